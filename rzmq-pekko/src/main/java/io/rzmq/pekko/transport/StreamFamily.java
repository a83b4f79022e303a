package io.rzmq.pekko.transport;

import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;

import java.net.InetSocketAddress;

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

    /** How a peer address reads in logs, monitor events and the ZAP Address. */
    String peerAddress(InetSocketAddress address);
}
