package io.rzmq.pekko.internal.transport.nio;

import io.rzmq.pekko.internal.transport.TcpAddresses;
import io.rzmq.pekko.internal.transport.TcpKeepAlive;

import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.pekko.internal.transport.BufferSizes;
import io.rzmq.pekko.model.Endpoint;
import io.rzmq.pekko.internal.transport.StreamFamily;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.io.Inet;
import org.apache.pekko.io.Tcp;

import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/** {@code tcp://} on rzmq's I/O loop ({@link NioTcp}), or on Pekko IO's TCP manager when configured so. */
public final class TcpFamily implements StreamFamily {
    public static final TcpFamily INSTANCE = new TcpFamily();

    private TcpFamily() {
    }

    /** TCP_KEEPALIVE and its timing (see {@link TcpKeepAlive}), SNDBUF and RCVBUF ({@link BufferSizes}). */
    @Override
    public List<Inet.SocketOption> socketOptions(SocketOptions options) {
        List<Inet.SocketOption> list = new ArrayList<>(TcpKeepAlive.socketOptions(options));
        BufferSizes.of(options).ifPresent(list::add);
        return list;
    }

    @Override
    public ActorRef manager(ActorSystem system) {
        return NioTcp.get(system).manager();
    }

    @Override
    public InetSocketAddress bindAddress(Endpoint endpoint) {
        try {
            return TcpAddresses.bindAddress(endpoint);
        } catch (UnknownHostException | SecurityException e) {
            throw new IllegalArgumentException("cannot resolve host '" + endpoint.host() + "'");
        }
    }

    /** A wildcard bind reports as libzmq does (0.0.0.0), whatever the JVM made of the dual-stack socket. */
    @Override
    public String boundEndpoint(Endpoint requested, InetSocketAddress bound) {
        return requested.anyHost() ? "tcp://0.0.0.0:" + bound.getPort() : TcpAddresses.endpointOf(bound);
    }

    @Override
    public InetSocketAddress connectAddress(Endpoint endpoint) {
        return TcpAddresses.connectAddress(endpoint);
    }

    @Override
    public String peerAddress(InetSocketAddress address) {
        return TcpAddresses.hostPort(address);
    }

    @Override
    public String zapAddress(InetSocketAddress address) {
        return address.getAddress() == null ? address.getHostString() : TcpAddresses.ipText(address.getAddress());
    }
}
