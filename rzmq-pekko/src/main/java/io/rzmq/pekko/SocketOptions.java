package io.rzmq.pekko;

import java.time.Duration;

/**
 * The options of one socket, with libzmq's names, meanings and defaults; immutable, {@code withX}
 * returns a changed copy. Read from {@code rzmq.socket-defaults} in reference.conf by the extension.
 * Durations: negative LINGER means wait forever (libzmq's -1); zero RECONNECT_IVL_MAX means no backoff.
 */
public final class SocketOptions {
    private final int sndHwm;
    private final int rcvHwm;
    private final Duration linger;
    private final Duration reconnectIvl;
    private final Duration reconnectIvlMax;
    private final Duration handshakeIvl;
    private final long maxMsgSize;
    private final byte[] routingId;
    private final int backlog;

    private SocketOptions(int sndHwm, int rcvHwm, Duration linger, Duration reconnectIvl, Duration reconnectIvlMax,
                          Duration handshakeIvl, long maxMsgSize, byte[] routingId, int backlog) {
        this.sndHwm = sndHwm;
        this.rcvHwm = rcvHwm;
        this.linger = linger;
        this.reconnectIvl = reconnectIvl;
        this.reconnectIvlMax = reconnectIvlMax;
        this.handshakeIvl = handshakeIvl;
        this.maxMsgSize = maxMsgSize;
        this.routingId = routingId;
        this.backlog = backlog;
    }

    /** libzmq 4.3's defaults. */
    public static SocketOptions defaults() {
        return new SocketOptions(1000, 1000, Duration.ofMillis(-1), Duration.ofMillis(100), Duration.ZERO,
            Duration.ofSeconds(30), -1, new byte[0], 100);
    }

    public int sndHwm() {
        return sndHwm;
    }

    public int rcvHwm() {
        return rcvHwm;
    }

    public Duration linger() {
        return linger;
    }

    public Duration reconnectIvl() {
        return reconnectIvl;
    }

    public Duration reconnectIvlMax() {
        return reconnectIvlMax;
    }

    public Duration handshakeIvl() {
        return handshakeIvl;
    }

    public long maxMsgSize() {
        return maxMsgSize;
    }

    public byte[] routingId() {
        return routingId.clone();
    }

    public int backlog() {
        return backlog;
    }

    /** SNDHWM in messages; 0 means "no limit" in libzmq and is refused here: every queue has a limit. */
    public SocketOptions withSndHwm(int v) {
        return new SocketOptions(positive("SNDHWM", v), rcvHwm, linger, reconnectIvl, reconnectIvlMax, handshakeIvl,
            maxMsgSize, routingId, backlog);
    }

    public SocketOptions withRcvHwm(int v) {
        return new SocketOptions(sndHwm, positive("RCVHWM", v), linger, reconnectIvl, reconnectIvlMax, handshakeIvl,
            maxMsgSize, routingId, backlog);
    }

    /** LINGER; negative means wait for ever. */
    public SocketOptions withLinger(Duration v) {
        return new SocketOptions(sndHwm, rcvHwm, v, reconnectIvl, reconnectIvlMax, handshakeIvl, maxMsgSize,
            routingId, backlog);
    }

    public SocketOptions withReconnectIvl(Duration v) {
        return new SocketOptions(sndHwm, rcvHwm, linger, nonNegative("RECONNECT_IVL", v), reconnectIvlMax,
            handshakeIvl, maxMsgSize, routingId, backlog);
    }

    public SocketOptions withReconnectIvlMax(Duration v) {
        return new SocketOptions(sndHwm, rcvHwm, linger, reconnectIvl, nonNegative("RECONNECT_IVL_MAX", v),
            handshakeIvl, maxMsgSize, routingId, backlog);
    }

    /** HANDSHAKE_IVL; zero disables the limit. */
    public SocketOptions withHandshakeIvl(Duration v) {
        return new SocketOptions(sndHwm, rcvHwm, linger, reconnectIvl, reconnectIvlMax, nonNegative("HANDSHAKE_IVL", v),
            maxMsgSize, routingId, backlog);
    }

    /** MAXMSGSIZE in bytes; -1 for no limit. */
    public SocketOptions withMaxMsgSize(long v) {
        if (v < -1) {
            throw new IllegalArgumentException("MAXMSGSIZE must be -1 or >= 0, was " + v);
        }
        return new SocketOptions(sndHwm, rcvHwm, linger, reconnectIvl, reconnectIvlMax, handshakeIvl, v, routingId,
            backlog);
    }

    /** ROUTING_ID (libzmq's ZMQ_IDENTITY): 0..255 bytes, not starting with a zero byte. */
    public SocketOptions withRoutingId(byte[] v) {
        if (v.length > 255 || (v.length > 0 && v[0] == 0)) {
            throw new IllegalArgumentException("ROUTING_ID must be 0..255 bytes and not start with a zero byte");
        }
        return new SocketOptions(sndHwm, rcvHwm, linger, reconnectIvl, reconnectIvlMax, handshakeIvl, maxMsgSize,
            v.clone(), backlog);
    }

    public SocketOptions withBacklog(int v) {
        return new SocketOptions(sndHwm, rcvHwm, linger, reconnectIvl, reconnectIvlMax, handshakeIvl, maxMsgSize,
            routingId, positive("BACKLOG", v));
    }

    private static int positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, was " + v);
        }
        return v;
    }

    private static Duration nonNegative(String name, Duration v) {
        if (v.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + v);
        }
        return v;
    }
}
