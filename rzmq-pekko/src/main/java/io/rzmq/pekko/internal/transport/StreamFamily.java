package io.rzmq.pekko.internal.transport;

import io.rzmq.pekko.model.Endpoint;

import io.rzmq.pekko.model.SocketOptions;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.io.Inet;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * What a stream transport plugs into the shared listener, session and engine ({@code transport.tcp},
 * {@code engine}): the connection manager, which speaks Pekko IO's classic TCP protocol (Bind/Bound,
 * Connect/Connected, Register, acked Write, Received, Suspend/ResumeReading, Close/Abort, Unbind), and
 * how the transport's endpoints map to the {@link InetSocketAddress} values that protocol carries.
 * {@code tcp://} uses Pekko's own manager; {@code ipc://} uses its own, which carries a socket path as an
 * unresolved address.
 */
public interface StreamFamily {

    /** The classic connection manager that takes Bind and Connect commands. */
    ActorRef manager(ActorSystem system);

    /**
     * The address to put in the Bind command.
     *
     * @throws IllegalArgumentException with a clear reason when the endpoint cannot be bound
     */
    InetSocketAddress bindAddress(Endpoint endpoint);

    /** The endpoint a bind reports as resolved, given what the manager said it bound to. */
    String boundEndpoint(Endpoint requested, InetSocketAddress bound);

    /**
     * The address to put in the Connect command.
     *
     * @throws IllegalArgumentException when the endpoint names nothing to connect to (a wildcard)
     */
    InetSocketAddress connectAddress(Endpoint endpoint);

    /** How a peer address reads in logs and monitor events. */
    String peerAddress(InetSocketAddress address);

    /**
     * The peer's address as libzmq gives it in a ZAP request's Address frame and a message's Peer-Address
     * property: the IP address for tcp, {@code localhost:uid:gid:pid} (the peer's credentials) for ipc.
     */
    String zapAddress(InetSocketAddress address);

    /**
     * Socket options for the Connect and Bind commands (applied to connected and accepted sockets), from
     * the socket's options; none by default.
     */
    default List<Inet.SocketOption> socketOptions(SocketOptions options) {
        return List.of();
    }
}
