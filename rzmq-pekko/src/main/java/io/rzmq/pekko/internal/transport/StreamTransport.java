package io.rzmq.pekko.internal.transport;

import java.io.IOException;
import java.net.SocketAddress;

/**
 * Makes {@link ByteStream}s: binds listeners and connects. Addresses are already resolved by the caller
 * (DNS blocks; it stays off the loops): an {@link java.net.InetSocketAddress} for tcp, a
 * {@link java.net.UnixDomainSocketAddress} for an ipc path. An implementation says which it serves.
 */
public interface StreamTransport {
    /** True if this transport serves {@code address}'s kind (tcp and/or ipc paths). */
    boolean serves(SocketAddress address);

    /**
     * Binds and starts accepting. For ipc, a socket file left by a dead process is replaced, a live one or a
     * non-socket file is not (libzmq's {@code ipc://*} is the caller's choice of a fresh path). Callable from
     * any thread; handler calls come on the listener's loop.
     *
     * @throws IOException the address is in use, not permitted, or bad (the message says which)
     */
    StreamListener bind(SocketAddress local, StreamOptions options, StreamListenerHandler handler)
        throws IOException;

    /**
     * Connects without blocking, on {@code loop}; {@code handler} hears the outcome there. Callable from any
     * thread (the work always runs as a task on the loop, so the outcome never arrives inside this call).
     */
    PendingConnect connect(SocketAddress remote, StreamOptions options, Loop loop, ConnectHandler handler);
}
