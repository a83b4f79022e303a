package io.rzmq.pekko.internal.transport.ipc;

import io.rzmq.pekko.model.Endpoint;
import io.rzmq.pekko.internal.transport.StreamFamily;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;

import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.pekko.internal.transport.BufferSizes;
import org.apache.pekko.io.Inet;

import java.net.InetSocketAddress;
import java.util.List;

/** {@code ipc://} for the shared TCP listener, session and engine: the {@link IpcIo} manager and ipc addresses. */
public final class IpcFamily implements StreamFamily {
    public static final IpcFamily INSTANCE = new IpcFamily();

    private IpcFamily() {
    }

    /** SNDBUF / RCVBUF, which the ipc manager applies to each channel (TCP keepalive has no meaning here). */
    @Override
    public List<Inet.SocketOption> socketOptions(SocketOptions options) {
        return BufferSizes.of(options).<List<Inet.SocketOption>>map(List::of).orElse(List.of());
    }

    @Override
    public ActorRef manager(ActorSystem system) {
        return IpcIo.get(system).manager();
    }

    @Override
    public InetSocketAddress bindAddress(Endpoint endpoint) {
        IpcAddresses.validate(endpoint.address(), true);
        return IpcAddresses.carrier(endpoint.address());
    }

    @Override
    public String boundEndpoint(Endpoint requested, InetSocketAddress bound) {
        return "ipc://" + IpcAddresses.address(bound);
    }

    @Override
    public InetSocketAddress connectAddress(Endpoint endpoint) {
        IpcAddresses.validate(endpoint.address(), false);
        return IpcAddresses.carrier(endpoint.address());
    }

    /** The listener's path or {@code @name}: Unix-domain peers have no address of their own worth showing. */
    @Override
    public String peerAddress(InetSocketAddress address) {
        return IpcAddresses.address(address);
    }

    /** {@code localhost:uid:gid:pid} of the process at the other end, as libzmq on Linux (SO_PEERCRED). */
    @Override
    public String zapAddress(InetSocketAddress address) {
        return IpcAddresses.peerCredentials(address);
    }
}
