package io.rzmq.pekko.internal.transport;

/**
 * The socket options a transport applies to a connection or listener, as today's {@code BufferSizes} and
 * {@code TcpKeepAlive} apply them (libzmq's ZMQ_SNDBUF, ZMQ_RCVBUF, ZMQ_TCP_KEEPALIVE*, ZMQ_BACKLOG), plus
 * TCP_NODELAY (always on in libzmq; a switch here only for measurements). Immutable; -1 leaves the OS
 * default. tcp-only options are ignored for ipc.
 *
 * <p>When they apply: RCVBUF before a listener binds and before a socket connects (the TCP window scale is
 * fixed by the handshake; accepted sockets inherit it); SNDBUF, TCP_NODELAY and keepalive once connected or
 * accepted. Keepalive timing (idle, interval, count) is applied only with keepAlive 1 and where the JDK
 * supports it (Linux, macOS), as libzmq ignores what the OS cannot do.
 */
public record StreamOptions(boolean tcpNoDelay, int sndBuf, int rcvBuf, int keepAlive, int keepAliveIdle,
                            int keepAliveInterval, int keepAliveCount, int backlog) {

    private static final StreamOptions DEFAULTS = new StreamOptions(true, -1, -1, -1, -1, -1, -1, 100);

    public StreamOptions {
        if (keepAlive < -1 || keepAlive > 1) {
            throw new IllegalArgumentException("keepAlive must be -1, 0 or 1: " + keepAlive);
        }
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog must be positive: " + backlog);
        }
    }

    /** libzmq's defaults: no-delay on, everything else the OS's, backlog 100. */
    public static StreamOptions defaults() {
        return DEFAULTS;
    }

    public StreamOptions withTcpNoDelay(boolean v) {
        return new StreamOptions(v, sndBuf, rcvBuf, keepAlive, keepAliveIdle, keepAliveInterval, keepAliveCount,
            backlog);
    }

    public StreamOptions withSndBuf(int v) {
        return new StreamOptions(tcpNoDelay, v, rcvBuf, keepAlive, keepAliveIdle, keepAliveInterval, keepAliveCount,
            backlog);
    }

    public StreamOptions withRcvBuf(int v) {
        return new StreamOptions(tcpNoDelay, sndBuf, v, keepAlive, keepAliveIdle, keepAliveInterval, keepAliveCount,
            backlog);
    }

    public StreamOptions withKeepAlive(int v) {
        return new StreamOptions(tcpNoDelay, sndBuf, rcvBuf, v, keepAliveIdle, keepAliveInterval, keepAliveCount,
            backlog);
    }

    public StreamOptions withKeepAliveIdle(int seconds) {
        return new StreamOptions(tcpNoDelay, sndBuf, rcvBuf, keepAlive, seconds, keepAliveInterval, keepAliveCount,
            backlog);
    }

    public StreamOptions withKeepAliveInterval(int seconds) {
        return new StreamOptions(tcpNoDelay, sndBuf, rcvBuf, keepAlive, keepAliveIdle, seconds, keepAliveCount,
            backlog);
    }

    public StreamOptions withKeepAliveCount(int probes) {
        return new StreamOptions(tcpNoDelay, sndBuf, rcvBuf, keepAlive, keepAliveIdle, keepAliveInterval, probes,
            backlog);
    }

    public StreamOptions withBacklog(int v) {
        return new StreamOptions(tcpNoDelay, sndBuf, rcvBuf, keepAlive, keepAliveIdle, keepAliveInterval,
            keepAliveCount, v);
    }
}
