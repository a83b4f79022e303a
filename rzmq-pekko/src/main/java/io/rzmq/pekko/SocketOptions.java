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
    // Options of particular socket types (REQ_*, ROUTER_*, PROBE_ROUTER, XPUB_*), kept together.
    private final PatternFlags patterns;

    private record PatternFlags(boolean reqRelaxed, boolean reqCorrelate, boolean routerMandatory,
                                boolean routerHandover, boolean probeRouter, boolean xpubVerbose,
                                boolean xpubNodrop, byte[] xpubWelcomeMsg) {
    }

    private SocketOptions(int sndHwm, int rcvHwm, Duration linger, Duration reconnectIvl, Duration reconnectIvlMax,
                          Duration handshakeIvl, long maxMsgSize, byte[] routingId, int backlog,
                          PatternFlags patterns) {
        this.sndHwm = sndHwm;
        this.rcvHwm = rcvHwm;
        this.linger = linger;
        this.reconnectIvl = reconnectIvl;
        this.reconnectIvlMax = reconnectIvlMax;
        this.handshakeIvl = handshakeIvl;
        this.maxMsgSize = maxMsgSize;
        this.routingId = routingId;
        this.backlog = backlog;
        this.patterns = patterns;
    }

    /** libzmq 4.3's defaults. */
    public static SocketOptions defaults() {
        return new SocketOptions(1000, 1000, Duration.ofMillis(-1), Duration.ofMillis(100), Duration.ZERO,
            Duration.ofSeconds(30), -1, new byte[0], 100,
            new PatternFlags(false, false, false, false, false, false, false, new byte[0]));
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
            maxMsgSize, routingId, backlog, patterns);
    }

    public SocketOptions withRcvHwm(int v) {
        return new SocketOptions(sndHwm, positive("RCVHWM", v), linger, reconnectIvl, reconnectIvlMax, handshakeIvl,
            maxMsgSize, routingId, backlog, patterns);
    }

    /** LINGER; negative means wait for ever. */
    public SocketOptions withLinger(Duration v) {
        return new SocketOptions(sndHwm, rcvHwm, v, reconnectIvl, reconnectIvlMax, handshakeIvl, maxMsgSize,
            routingId, backlog, patterns);
    }

    public SocketOptions withReconnectIvl(Duration v) {
        return new SocketOptions(sndHwm, rcvHwm, linger, nonNegative("RECONNECT_IVL", v), reconnectIvlMax,
            handshakeIvl, maxMsgSize, routingId, backlog, patterns);
    }

    public SocketOptions withReconnectIvlMax(Duration v) {
        return new SocketOptions(sndHwm, rcvHwm, linger, reconnectIvl, nonNegative("RECONNECT_IVL_MAX", v),
            handshakeIvl, maxMsgSize, routingId, backlog, patterns);
    }

    /** HANDSHAKE_IVL; zero disables the limit. */
    public SocketOptions withHandshakeIvl(Duration v) {
        return new SocketOptions(sndHwm, rcvHwm, linger, reconnectIvl, reconnectIvlMax, nonNegative("HANDSHAKE_IVL", v),
            maxMsgSize, routingId, backlog, patterns);
    }

    /** MAXMSGSIZE in bytes; -1 for no limit. */
    public SocketOptions withMaxMsgSize(long v) {
        if (v < -1) {
            throw new IllegalArgumentException("MAXMSGSIZE must be -1 or >= 0, was " + v);
        }
        return new SocketOptions(sndHwm, rcvHwm, linger, reconnectIvl, reconnectIvlMax, handshakeIvl, v, routingId,
            backlog, patterns);
    }

    /** ROUTING_ID (libzmq's ZMQ_IDENTITY): 0..255 bytes, not starting with a zero byte. */
    public SocketOptions withRoutingId(byte[] v) {
        if (v.length > 255 || (v.length > 0 && v[0] == 0)) {
            throw new IllegalArgumentException("ROUTING_ID must be 0..255 bytes and not start with a zero byte");
        }
        return new SocketOptions(sndHwm, rcvHwm, linger, reconnectIvl, reconnectIvlMax, handshakeIvl, maxMsgSize,
            v.clone(), backlog, patterns);
    }

    public SocketOptions withBacklog(int v) {
        return new SocketOptions(sndHwm, rcvHwm, linger, reconnectIvl, reconnectIvlMax, handshakeIvl, maxMsgSize,
            routingId, positive("BACKLOG", v), patterns);
    }

    public boolean reqRelaxed() {
        return patterns.reqRelaxed();
    }

    public boolean reqCorrelate() {
        return patterns.reqCorrelate();
    }

    public boolean routerMandatory() {
        return patterns.routerMandatory();
    }

    public boolean routerHandover() {
        return patterns.routerHandover();
    }

    public boolean probeRouter() {
        return patterns.probeRouter();
    }

    public boolean xpubVerbose() {
        return patterns.xpubVerbose();
    }

    public boolean xpubNodrop() {
        return patterns.xpubNodrop();
    }

    /** XPUB_WELCOME_MSG; empty when none is set. */
    public byte[] xpubWelcomeMsg() {
        return patterns.xpubWelcomeMsg().clone();
    }

    /**
     * REQ_RELAXED (REQ only): a new request may be sent before the reply to the previous one arrived;
     * the old reply is then discarded. Default false (strict alternation, EFSM on misuse).
     */
    public SocketOptions withReqRelaxed(boolean v) {
        PatternFlags f = patterns;
        return with(new PatternFlags(v, f.reqCorrelate(), f.routerMandatory(), f.routerHandover(), f.probeRouter(),
            f.xpubVerbose(), f.xpubNodrop(), f.xpubWelcomeMsg()));
    }

    /**
     * REQ_CORRELATE (REQ only): each request carries a 4-byte request id frame before the delimiter and only
     * a reply echoing it is accepted. Default false.
     */
    public SocketOptions withReqCorrelate(boolean v) {
        PatternFlags f = patterns;
        return with(new PatternFlags(f.reqRelaxed(), v, f.routerMandatory(), f.routerHandover(), f.probeRouter(),
            f.xpubVerbose(), f.xpubNodrop(), f.xpubWelcomeMsg()));
    }

    /**
     * ROUTER_MANDATORY (ROUTER only): a message for an unknown peer fails with EHOSTUNREACH instead of being
     * dropped, and a message for a full peer waits instead of being dropped. Default false.
     */
    public SocketOptions withRouterMandatory(boolean v) {
        PatternFlags f = patterns;
        return with(new PatternFlags(f.reqRelaxed(), f.reqCorrelate(), v, f.routerHandover(), f.probeRouter(),
            f.xpubVerbose(), f.xpubNodrop(), f.xpubWelcomeMsg()));
    }

    /**
     * ROUTER_HANDOVER (ROUTER only): a new peer announcing a routing id already in use takes it over and
     * the old connection is dropped. Default false (the newcomer is ignored).
     */
    public SocketOptions withRouterHandover(boolean v) {
        PatternFlags f = patterns;
        return with(new PatternFlags(f.reqRelaxed(), f.reqCorrelate(), f.routerMandatory(), v, f.probeRouter(),
            f.xpubVerbose(), f.xpubNodrop(), f.xpubWelcomeMsg()));
    }

    /**
     * PROBE_ROUTER (ROUTER, DEALER, REQ): send an empty message to each new peer as soon as it is attached,
     * so a ROUTER on the other side learns our routing id. Default false.
     */
    public SocketOptions withProbeRouter(boolean v) {
        PatternFlags f = patterns;
        return with(new PatternFlags(f.reqRelaxed(), f.reqCorrelate(), f.routerMandatory(), f.routerHandover(), v,
            f.xpubVerbose(), f.xpubNodrop(), f.xpubWelcomeMsg()));
    }

    /** XPUB_VERBOSE (XPUB only): pass every subscribe message to the application, duplicates too. Default false. */
    public SocketOptions withXpubVerbose(boolean v) {
        PatternFlags f = patterns;
        return with(new PatternFlags(f.reqRelaxed(), f.reqCorrelate(), f.routerMandatory(), f.routerHandover(),
            f.probeRouter(), v, f.xpubNodrop(), f.xpubWelcomeMsg()));
    }

    /** XPUB_NODROP (XPUB only): wait for room when a matching subscriber is full instead of dropping. Default false. */
    public SocketOptions withXpubNodrop(boolean v) {
        PatternFlags f = patterns;
        return with(new PatternFlags(f.reqRelaxed(), f.reqCorrelate(), f.routerMandatory(), f.routerHandover(),
            f.probeRouter(), f.xpubVerbose(), v, f.xpubWelcomeMsg()));
    }

    /** XPUB_WELCOME_MSG (XPUB only): a one-frame message sent to every new subscriber; empty for none. */
    public SocketOptions withXpubWelcomeMsg(byte[] v) {
        if (v == null) {
            throw new IllegalArgumentException("XPUB_WELCOME_MSG must not be null (use an empty array for none)");
        }
        PatternFlags f = patterns;
        return with(new PatternFlags(f.reqRelaxed(), f.reqCorrelate(), f.routerMandatory(), f.routerHandover(),
            f.probeRouter(), f.xpubVerbose(), f.xpubNodrop(), v.clone()));
    }

    private SocketOptions with(PatternFlags f) {
        return new SocketOptions(sndHwm, rcvHwm, linger, reconnectIvl, reconnectIvlMax, handshakeIvl, maxMsgSize,
            routingId, backlog, f);
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
