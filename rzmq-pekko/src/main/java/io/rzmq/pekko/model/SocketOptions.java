package io.rzmq.pekko.model;

import io.rzmq.protocol.SocketType;
import io.rzmq.protocol.security.CurveKeyPair;
import io.rzmq.protocol.security.Z85;

import java.time.Duration;

/**
 * The options of one socket, with libzmq's names, meanings and defaults; immutable, {@code withX}
 * returns a changed copy (invalid values are refused with an {@link IllegalArgumentException} naming the
 * option). Read from {@code rzmq.socket-defaults} in reference.conf by the extension.
 * Durations: negative LINGER means wait forever (libzmq's -1); zero RECONNECT_IVL_MAX means no backoff.
 */
public final class SocketOptions {
    /** libzmq's largest HEARTBEAT_TTL: the wire carries deciseconds in 16 bits. */
    public static final Duration MAX_HEARTBEAT_TTL = Duration.ofMillis(65535L * 100 + 99);

    /** RCVTIMEO / SNDTIMEO "wait for ever" (libzmq's -1). */
    private static final Duration FOREVER = Duration.ofMillis(-1);

    // Fields are assigned only on fresh copies inside withX: the object is immutable once returned.
    private int sndHwm;
    private int rcvHwm;
    private Duration linger;
    private Duration reconnectIvl;
    private Duration reconnectIvlMax;
    private Duration handshakeIvl;
    private long maxMsgSize;
    private byte[] routingId;
    private int backlog;
    private Duration heartbeatIvl = Duration.ZERO;
    private Duration heartbeatTtl = Duration.ZERO;
    private Duration heartbeatTimeout = Duration.ZERO;
    private int tcpKeepalive = -1;
    private int tcpKeepaliveIdle = -1;
    private int tcpKeepaliveCnt = -1;
    private int tcpKeepaliveIntvl = -1;
    private int sndBuf = -1;
    private int rcvBuf = -1;
    private boolean immediate;
    private boolean conflate;
    private Duration rcvTimeo = FOREVER;
    private Duration sndTimeo = FOREVER;
    // Per-peer bounds on a PUB/XPUB's subscriptions (no libzmq counterpart; see withMaxSubscriptions).
    private int maxSubscriptions = DEFAULT_MAX_SUBSCRIPTIONS;
    private long maxSubscriptionBytes = DEFAULT_MAX_SUBSCRIPTION_BYTES;
    // Options of particular socket types (REQ_*, ROUTER_*, PROBE_ROUTER, XPUB_*), kept together.
    private PatternFlags patterns = new PatternFlags(false, false, false, false, false, false, false, new byte[0],
        false, false);

    // Security options (PLAIN_*, CURVE_*, ZAP_DOMAIN), kept together; never shown by toString.
    private Security security = Security.NONE;

    /** Which security mechanism the socket's options select (libzmq's ZMQ_MECHANISM). */
    public enum SecurityMechanism { NULL, PLAIN, CURVE }

    private record Security(SecurityMechanism mechanism, boolean asServer, String plainUsername,
                            String plainPassword, byte[] curvePublicKey, byte[] curveSecretKey,
                            byte[] curveServerKey, String zapDomain) {
        static final Security NONE = new Security(SecurityMechanism.NULL, false, null, null, null, null, null, "");

        @Override
        public String toString() {
            return "Security{" + mechanism + (asServer ? " server" : " client") + "}";
        }
    }

    // xpubVerbose: every subscribe is shown (libzmq's verbose_subs); xpubVerboser: every unsubscribe too.
    private record PatternFlags(boolean reqRelaxed, boolean reqCorrelate, boolean routerMandatory,
                                boolean routerHandover, boolean probeRouter, boolean xpubVerbose,
                                boolean xpubNodrop, byte[] xpubWelcomeMsg, boolean xpubVerboser,
                                boolean xpubManual) {
        PatternFlags withXpub(boolean verbose, boolean verboser, boolean manual) {
            return new PatternFlags(reqRelaxed, reqCorrelate, routerMandatory, routerHandover, probeRouter, verbose,
                xpubNodrop, xpubWelcomeMsg, verboser, manual);
        }
    }

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

    /** A copy to change in a withX method before it is returned. */
    private SocketOptions copy() {
        SocketOptions c = new SocketOptions(sndHwm, rcvHwm, linger, reconnectIvl, reconnectIvlMax, handshakeIvl,
            maxMsgSize, routingId, backlog);
        c.heartbeatIvl = heartbeatIvl;
        c.heartbeatTtl = heartbeatTtl;
        c.heartbeatTimeout = heartbeatTimeout;
        c.tcpKeepalive = tcpKeepalive;
        c.tcpKeepaliveIdle = tcpKeepaliveIdle;
        c.tcpKeepaliveCnt = tcpKeepaliveCnt;
        c.tcpKeepaliveIntvl = tcpKeepaliveIntvl;
        c.sndBuf = sndBuf;
        c.rcvBuf = rcvBuf;
        c.immediate = immediate;
        c.conflate = conflate;
        c.rcvTimeo = rcvTimeo;
        c.sndTimeo = sndTimeo;
        c.maxSubscriptions = maxSubscriptions;
        c.maxSubscriptionBytes = maxSubscriptionBytes;
        c.patterns = patterns;
        c.security = security;
        return c;
    }

    /**
     * The default MAXMSGSIZE: 256 MiB. libzmq's default is no limit; ours is finite so that a peer cannot
     * grow a receiver without bound unless the application asks for that with -1.
     */
    public static final long DEFAULT_MAX_MSG_SIZE = 256L * 1024 * 1024;

    /** libzmq 4.3's defaults, except MAXMSGSIZE ({@link #DEFAULT_MAX_MSG_SIZE}). */
    public static SocketOptions defaults() {
        return new SocketOptions(1000, 1000, Duration.ofMillis(-1), Duration.ofMillis(100), Duration.ZERO,
            Duration.ofSeconds(30), DEFAULT_MAX_MSG_SIZE, new byte[0], 100);
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

    /** HEARTBEAT_IVL: how often a handshaken connection sends PING; zero (the default) sends none. */
    public Duration heartbeatIvl() {
        return heartbeatIvl;
    }

    /** HEARTBEAT_TTL as set (zero: none); our PINGs carry it rounded down to deciseconds. */
    public Duration heartbeatTtl() {
        return heartbeatTtl;
    }

    /** HEARTBEAT_TIMEOUT as set; zero (the default) means "the same as HEARTBEAT_IVL". */
    public Duration heartbeatTimeout() {
        return heartbeatTimeout;
    }

    /** The timeout after a PING that heartbeats actually use: HEARTBEAT_TIMEOUT, or HEARTBEAT_IVL when unset. */
    public Duration effectiveHeartbeatTimeout() {
        return heartbeatTimeout.isZero() ? heartbeatIvl : heartbeatTimeout;
    }

    /** Our HEARTBEAT_TTL in the PING's unit (deciseconds, rounded down), 0..65535. */
    public int heartbeatTtlDeciseconds() {
        return (int) (heartbeatTtl.toMillis() / 100);
    }

    /** TCP_KEEPALIVE: -1 leaves the OS default, 0 turns SO_KEEPALIVE off, 1 on. */
    public int tcpKeepalive() {
        return tcpKeepalive;
    }

    /** TCP_KEEPALIVE_IDLE in seconds (TCP_KEEPIDLE), -1 for the OS default. */
    public int tcpKeepaliveIdle() {
        return tcpKeepaliveIdle;
    }

    /** TCP_KEEPALIVE_CNT (TCP_KEEPCNT), -1 for the OS default. */
    public int tcpKeepaliveCnt() {
        return tcpKeepaliveCnt;
    }

    /** TCP_KEEPALIVE_INTVL in seconds (TCP_KEEPINTVL), -1 for the OS default. */
    public int tcpKeepaliveIntvl() {
        return tcpKeepaliveIntvl;
    }

    /** SNDBUF: the kernel send buffer size (SO_SNDBUF) in bytes for tcp/ipc connections; -1 = OS default. */
    public int sndBuf() {
        return sndBuf;
    }

    /** RCVBUF: the kernel receive buffer size (SO_RCVBUF) in bytes for tcp/ipc connections; -1 = OS default. */
    public int rcvBuf() {
        return rcvBuf;
    }

    /** IMMEDIATE: queue messages only to completed connections (connect side). */
    public boolean immediate() {
        return immediate;
    }

    /** CONFLATE: keep only the last message in the inbound and outbound queues. */
    public boolean conflate() {
        return conflate;
    }

    /**
     * RCVTIMEO: how long {@code ZSocket.receive()} waits for a message before failing with EAGAIN; negative
     * (the default, libzmq's -1) waits for ever, zero fails at once when no message is ready.
     */
    public Duration rcvTimeo() {
        return rcvTimeo;
    }

    /**
     * SNDTIMEO: how long {@code ZSocket.send(msg)} waits for room before failing with EAGAIN; negative (the
     * default, libzmq's -1) waits for ever, zero fails at once when the socket is full.
     */
    public Duration sndTimeo() {
        return sndTimeo;
    }

    /**
     * Checks the options against the socket type they are used with, as libzmq's setsockopt refuses an
     * option the type does not have (EINVAL): CONFLATE (PUB, SUB, PUSH, PULL, DEALER), REQ_RELAXED and
     * REQ_CORRELATE (REQ), ROUTER_MANDATORY and ROUTER_HANDOVER (ROUTER), PROBE_ROUTER (ROUTER, DEALER, REQ),
     * XPUB_VERBOSE, XPUB_VERBOSER, XPUB_MANUAL, XPUB_NODROP and XPUB_WELCOME_MSG (XPUB). Only options set away
     * from their default count.
     *
     * @throws IllegalArgumentException naming the first option that does not apply to {@code type}
     */
    public void checkFor(SocketType type) {
        if (conflate && !type.accepts(SocketType.Option.CONFLATE)) {
            throw new IllegalArgumentException("CONFLATE is not supported by " + type + " sockets (only by "
                + "PUB, SUB, PUSH, PULL and DEALER)");
        }
        PatternFlags f = patterns;
        onlyFor(type, f.reqRelaxed(), SocketType.Option.REQ_RELAXED);
        onlyFor(type, f.reqCorrelate(), SocketType.Option.REQ_CORRELATE);
        onlyFor(type, f.routerMandatory(), SocketType.Option.ROUTER_MANDATORY);
        onlyFor(type, f.routerHandover(), SocketType.Option.ROUTER_HANDOVER);
        onlyFor(type, f.probeRouter(), SocketType.Option.PROBE_ROUTER);
        onlyFor(type, f.xpubVerboser(), SocketType.Option.XPUB_VERBOSER);
        onlyFor(type, f.xpubVerbose(), SocketType.Option.XPUB_VERBOSE);
        onlyFor(type, f.xpubManual(), SocketType.Option.XPUB_MANUAL);
        onlyFor(type, f.xpubNodrop(), SocketType.Option.XPUB_NODROP);
        onlyFor(type, f.xpubWelcomeMsg().length > 0, SocketType.Option.XPUB_WELCOME_MSG);
        checkSecurity();
    }

    /**
     * Checks that the security options form a usable set, as libzmq does when a connection starts: a CURVE
     * server needs CURVE_SECRETKEY (CURVE_PUBLICKEY, when set, must be the one it derives); a CURVE client
     * needs CURVE_PUBLICKEY, CURVE_SECRETKEY (matching) and CURVE_SERVERKEY. Messages never show a secret key.
     *
     * @throws IllegalArgumentException naming the missing or inconsistent option
     */
    public void checkSecurity() {
        Security s = security;
        if (s.mechanism() != SecurityMechanism.CURVE) {
            return;
        }
        if (s.curveSecretKey() == null) {
            throw new IllegalArgumentException("CURVE " + (s.asServer() ? "server" : "client")
                + " needs CURVE_SECRETKEY");
        }
        if (!s.asServer()) {
            if (s.curvePublicKey() == null) {
                throw new IllegalArgumentException("CURVE client needs CURVE_PUBLICKEY");
            }
            if (s.curveServerKey() == null) {
                throw new IllegalArgumentException("CURVE client needs CURVE_SERVERKEY (the server's public key)");
            }
        }
        if (s.curvePublicKey() != null && !java.security.MessageDigest.isEqual(s.curvePublicKey(),
            CurveKeyPair.publicKeyOf(s.curveSecretKey()))) {
            throw new IllegalArgumentException("CURVE_PUBLICKEY does not belong to CURVE_SECRETKEY");
        }
    }

    /** The mechanism the security options select: NULL (default), PLAIN or CURVE, whichever was set last. */
    public SecurityMechanism mechanism() {
        return security.mechanism();
    }

    /** PLAIN_SERVER or CURVE_SERVER: this socket is the server of its mechanism (for any bind/connect). */
    public boolean securityServer() {
        return security.asServer();
    }

    /** PLAIN_USERNAME; empty when unset. */
    public String plainUsername() {
        return security.plainUsername() == null ? "" : security.plainUsername();
    }

    /** PLAIN_PASSWORD; empty when unset. */
    public String plainPassword() {
        return security.plainPassword() == null ? "" : security.plainPassword();
    }

    /** CURVE_SERVERKEY (32 bytes), or null when unset. */
    public byte[] curveServerKey() {
        return security.curveServerKey() == null ? null : security.curveServerKey().clone();
    }

    /** CURVE_PUBLICKEY (32 bytes), or null when unset (a server then derives it from its secret key). */
    public byte[] curvePublicKey() {
        return security.curvePublicKey() == null ? null : security.curvePublicKey().clone();
    }

    /**
     * The CURVE long-term key pair from CURVE_SECRETKEY (its public key derived), or null when no secret key
     * is set. Call {@link #checkSecurity()} first to know it matches CURVE_PUBLICKEY.
     */
    public CurveKeyPair curveKeyPair() {
        return security.curveSecretKey() == null ? null : CurveKeyPair.fromSecretKey(security.curveSecretKey());
    }

    /** ZAP_DOMAIN; stored and passed on only (ZAP is not routed yet). Empty by default. */
    public String zapDomain() {
        return security.zapDomain();
    }

    /**
     * PLAIN_SERVER: true makes this socket the PLAIN server (selects PLAIN); false makes it a PLAIN client.
     * No ZAP handler runs in rzmq yet, and, like libzmq's PLAIN server without one, ours refuses every client.
     */
    public SocketOptions withPlainServer(boolean v) {
        Security s = security;
        return with(new Security(SecurityMechanism.PLAIN, v, s.plainUsername(), s.plainPassword(),
            s.curvePublicKey(), s.curveSecretKey(), s.curveServerKey(), s.zapDomain()));
    }

    /** PLAIN_USERNAME (at most 255 bytes of UTF-8): selects PLAIN as a client, as in libzmq. */
    public SocketOptions withPlainUsername(String v) {
        Security s = security;
        return with(new Security(SecurityMechanism.PLAIN, false, credential("PLAIN_USERNAME", v),
            s.plainPassword(), s.curvePublicKey(), s.curveSecretKey(), s.curveServerKey(), s.zapDomain()));
    }

    /** PLAIN_PASSWORD (at most 255 bytes of UTF-8): selects PLAIN as a client, as in libzmq. */
    public SocketOptions withPlainPassword(String v) {
        Security s = security;
        return with(new Security(SecurityMechanism.PLAIN, false, s.plainUsername(),
            credential("PLAIN_PASSWORD", v), s.curvePublicKey(), s.curveSecretKey(), s.curveServerKey(),
            s.zapDomain()));
    }

    /**
     * CURVE_SERVER: true makes this socket the CURVE server (selects CURVE; needs CURVE_SECRETKEY). Without a
     * ZAP handler (none runs in rzmq yet) a CURVE server admits every client that completes the handshake,
     * as libzmq does by default. False makes it a client.
     */
    public SocketOptions withCurveServer(boolean v) {
        Security s = security;
        return with(new Security(SecurityMechanism.CURVE, v, s.plainUsername(), s.plainPassword(),
            s.curvePublicKey(), s.curveSecretKey(), s.curveServerKey(), s.zapDomain()));
    }

    /** CURVE_PUBLICKEY: this socket's long-term public key, 32 bytes; selects CURVE. */
    public SocketOptions withCurvePublicKey(byte[] v) {
        Security s = security;
        return with(new Security(SecurityMechanism.CURVE, s.asServer(), s.plainUsername(), s.plainPassword(),
            key("CURVE_PUBLICKEY", v), s.curveSecretKey(), s.curveServerKey(), s.zapDomain()));
    }

    /** CURVE_PUBLICKEY as 40 Z85 characters. */
    public SocketOptions withCurvePublicKey(String z85) {
        return withCurvePublicKey(z85Key("CURVE_PUBLICKEY", z85));
    }

    /** CURVE_SECRETKEY: this socket's long-term secret key, 32 bytes; selects CURVE. Never shown anywhere. */
    public SocketOptions withCurveSecretKey(byte[] v) {
        Security s = security;
        return with(new Security(SecurityMechanism.CURVE, s.asServer(), s.plainUsername(), s.plainPassword(),
            s.curvePublicKey(), key("CURVE_SECRETKEY", v), s.curveServerKey(), s.zapDomain()));
    }

    /** CURVE_SECRETKEY as 40 Z85 characters. */
    public SocketOptions withCurveSecretKey(String z85) {
        return withCurveSecretKey(z85Key("CURVE_SECRETKEY", z85));
    }

    /** CURVE_SERVERKEY: the public key of the server to trust, 32 bytes; selects CURVE as a client. */
    public SocketOptions withCurveServerKey(byte[] v) {
        Security s = security;
        return with(new Security(SecurityMechanism.CURVE, false, s.plainUsername(), s.plainPassword(),
            s.curvePublicKey(), s.curveSecretKey(), key("CURVE_SERVERKEY", v), s.zapDomain()));
    }

    /** CURVE_SERVERKEY as 40 Z85 characters. */
    public SocketOptions withCurveServerKey(String z85) {
        return withCurveServerKey(z85Key("CURVE_SERVERKEY", z85));
    }

    /** ZAP_DOMAIN (at most 255 bytes): stored only until ZAP is routed. */
    public SocketOptions withZapDomain(String v) {
        Security s = security;
        return with(new Security(s.mechanism(), s.asServer(), s.plainUsername(), s.plainPassword(),
            s.curvePublicKey(), s.curveSecretKey(), s.curveServerKey(), credential("ZAP_DOMAIN", v)));
    }

    private SocketOptions with(Security s) {
        SocketOptions c = copy();
        c.security = s;
        return c;
    }

    private static String credential(String name, String v) {
        if (v == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        int len = v.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (len > 255) {
            throw new IllegalArgumentException(name + " must be at most 255 bytes, was " + len);
        }
        return v;
    }

    private static byte[] key(String name, byte[] v) {
        if (v == null || v.length != CurveKeyPair.KEY_BYTES) {
            throw new IllegalArgumentException(name + " must be " + CurveKeyPair.KEY_BYTES + " bytes (or "
                + CurveKeyPair.Z85_KEY_CHARS + " Z85 characters), was " + (v == null ? "null" : v.length + " bytes"));
        }
        return v.clone();
    }

    // The message never repeats the text: it may be a secret key.
    private static byte[] z85Key(String name, String z85) {
        if (z85 == null || z85.length() != CurveKeyPair.Z85_KEY_CHARS) {
            throw new IllegalArgumentException(name + " in Z85 must be " + CurveKeyPair.Z85_KEY_CHARS
                + " characters, was " + (z85 == null ? "null" : z85.length()));
        }
        try {
            return Z85.decode(z85);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(name + " is not valid Z85");
        }
    }

    private static void onlyFor(SocketType type, boolean set, SocketType.Option option) {
        if (set && !type.accepts(option)) {
            throw new IllegalArgumentException(option + " does not apply to " + type + " sockets (only to "
                + option.types() + ")");
        }
    }

    /** RCVTIMEO; negative (default) waits for ever, zero never waits. See {@link #rcvTimeo()}. */
    public SocketOptions withRcvTimeo(Duration v) {
        SocketOptions c = copy();
        c.rcvTimeo = timeout("RCVTIMEO", v);
        return c;
    }

    /** SNDTIMEO; negative (default) waits for ever, zero never waits. See {@link #sndTimeo()}. */
    public SocketOptions withSndTimeo(Duration v) {
        SocketOptions c = copy();
        c.sndTimeo = timeout("SNDTIMEO", v);
        return c;
    }

    private static Duration timeout(String name, Duration v) {
        if (v == null) {
            throw new IllegalArgumentException(name + " must not be null (use a negative duration to wait for ever)");
        }
        return v.isNegative() ? FOREVER : v;
    }

    /** SNDHWM in messages; 0 means "no limit" in libzmq and is refused here: every queue has a limit. */
    public SocketOptions withSndHwm(int v) {
        SocketOptions c = copy();
        c.sndHwm = positive("SNDHWM", v);
        return c;
    }

    public SocketOptions withRcvHwm(int v) {
        SocketOptions c = copy();
        c.rcvHwm = positive("RCVHWM", v);
        return c;
    }

    /** LINGER; negative means wait for ever. */
    public SocketOptions withLinger(Duration v) {
        SocketOptions c = copy();
        c.linger = v;
        return c;
    }

    public SocketOptions withReconnectIvl(Duration v) {
        SocketOptions c = copy();
        c.reconnectIvl = nonNegative("RECONNECT_IVL", v);
        return c;
    }

    public SocketOptions withReconnectIvlMax(Duration v) {
        SocketOptions c = copy();
        c.reconnectIvlMax = nonNegative("RECONNECT_IVL_MAX", v);
        return c;
    }

    /** HANDSHAKE_IVL; zero disables the limit. */
    public SocketOptions withHandshakeIvl(Duration v) {
        SocketOptions c = copy();
        c.handshakeIvl = nonNegative("HANDSHAKE_IVL", v);
        return c;
    }

    /**
     * MAXMSGSIZE in bytes: the largest whole message accepted from a peer (each frame with MORE counts 2
     * bytes more than its payload); -1 for no limit. Default {@link #DEFAULT_MAX_MSG_SIZE}.
     */
    public SocketOptions withMaxMsgSize(long v) {
        if (v < -1) {
            throw new IllegalArgumentException("MAXMSGSIZE must be -1 or >= 0, was " + v);
        }
        SocketOptions c = copy();
        c.maxMsgSize = v;
        return c;
    }

    /** ROUTING_ID (libzmq's ZMQ_IDENTITY): 0..255 bytes, not starting with a zero byte. */
    public SocketOptions withRoutingId(byte[] v) {
        if (v.length > 255 || (v.length > 0 && v[0] == 0)) {
            throw new IllegalArgumentException("ROUTING_ID must be 0..255 bytes and not start with a zero byte");
        }
        SocketOptions c = copy();
        c.routingId = v.clone();
        return c;
    }

    public SocketOptions withBacklog(int v) {
        SocketOptions c = copy();
        c.backlog = positive("BACKLOG", v);
        return c;
    }

    /** HEARTBEAT_IVL: send PING this often once handshaken; zero (default) turns heartbeats off. */
    public SocketOptions withHeartbeatIvl(Duration v) {
        SocketOptions c = copy();
        c.heartbeatIvl = nonNegative("HEARTBEAT_IVL", v);
        return c;
    }

    /**
     * HEARTBEAT_TTL: announced in our PINGs; a peer that honours it drops the connection when it hears
     * nothing from us for that long. Travels in deciseconds (rounded down); 0 .. 6553.599 s as libzmq.
     */
    public SocketOptions withHeartbeatTtl(Duration v) {
        nonNegative("HEARTBEAT_TTL", v);
        if (v.compareTo(MAX_HEARTBEAT_TTL) > 0) {
            throw new IllegalArgumentException("HEARTBEAT_TTL must be at most " + MAX_HEARTBEAT_TTL.toMillis()
                + " ms (65535 deciseconds on the wire), was " + v.toMillis() + " ms");
        }
        SocketOptions c = copy();
        c.heartbeatTtl = v;
        return c;
    }

    /** HEARTBEAT_TIMEOUT: drop the connection when nothing arrives this long after a PING; zero = HEARTBEAT_IVL. */
    public SocketOptions withHeartbeatTimeout(Duration v) {
        SocketOptions c = copy();
        c.heartbeatTimeout = nonNegative("HEARTBEAT_TIMEOUT", v);
        return c;
    }

    /** TCP_KEEPALIVE: -1 (default) leaves the OS setting, 0 off, 1 on. */
    public SocketOptions withTcpKeepalive(int v) {
        if (v < -1 || v > 1) {
            throw new IllegalArgumentException("TCP_KEEPALIVE must be -1, 0 or 1, was " + v);
        }
        SocketOptions c = copy();
        c.tcpKeepalive = v;
        return c;
    }

    /** TCP_KEEPALIVE_IDLE in seconds before the first probe; -1 (default) leaves the OS setting. */
    public SocketOptions withTcpKeepaliveIdle(int v) {
        SocketOptions c = copy();
        c.tcpKeepaliveIdle = osDefaultOrPositive("TCP_KEEPALIVE_IDLE", v);
        return c;
    }

    /** TCP_KEEPALIVE_CNT: unanswered probes before the connection is dropped; -1 leaves the OS setting. */
    public SocketOptions withTcpKeepaliveCnt(int v) {
        SocketOptions c = copy();
        c.tcpKeepaliveCnt = osDefaultOrPositive("TCP_KEEPALIVE_CNT", v);
        return c;
    }

    /** TCP_KEEPALIVE_INTVL in seconds between probes; -1 (default) leaves the OS setting. */
    public SocketOptions withTcpKeepaliveIntvl(int v) {
        SocketOptions c = copy();
        c.tcpKeepaliveIntvl = osDefaultOrPositive("TCP_KEEPALIVE_INTVL", v);
        return c;
    }

    /**
     * SNDBUF: the kernel send buffer size (SO_SNDBUF) of every tcp:// and ipc:// connection the socket makes
     * or accepts, in bytes; -1 (the default) leaves the OS default. The kernel may round or cap it (Linux
     * doubles the value and caps it at net.core.wmem_max). 0 is refused (the JDK cannot set it).
     */
    public SocketOptions withSndBuf(int v) {
        SocketOptions c = copy();
        c.sndBuf = osDefaultOrPositive("SNDBUF", v);
        return c;
    }

    /**
     * RCVBUF: the kernel receive buffer size (SO_RCVBUF) of every tcp:// and ipc:// connection, in bytes;
     * -1 (the default) leaves the OS default. Set on a listener before it binds, so accepted connections
     * start with it (the TCP window scale is chosen at the handshake). 0 is refused.
     */
    public SocketOptions withRcvBuf(int v) {
        SocketOptions c = copy();
        c.rcvBuf = osDefaultOrPositive("RCVBUF", v);
        return c;
    }

    /**
     * IMMEDIATE: a connect-side pipe joins the socket only once its connection completed the handshake,
     * and leaves it (dropping what was queued) when the connection breaks; so round-robin sockets never
     * queue to a peer that is not there, and a send with no connected peer waits.
     */
    public SocketOptions withImmediate(boolean v) {
        SocketOptions c = copy();
        c.immediate = v;
        return c;
    }

    /**
     * CONFLATE: keep only the last message in the inbound and outbound queues (SNDHWM/RCVHWM are then
     * ignored). Only PUB, SUB, PUSH, PULL and DEALER sockets accept it, and they refuse to send multipart
     * messages, as libzmq does not support them with CONFLATE.
     */
    public SocketOptions withConflate(boolean v) {
        SocketOptions c = copy();
        c.conflate = v;
        return c;
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

    /** XPUB_VERBOSER: every unsubscribe is shown too (see {@link #withXpubVerboser}). */
    public boolean xpubVerboser() {
        return patterns.xpubVerboser();
    }

    /** XPUB_MANUAL: the application applies subscriptions (see {@link #withXpubManual}). */
    public boolean xpubManual() {
        return patterns.xpubManual();
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
            f.xpubVerbose(), f.xpubNodrop(), f.xpubWelcomeMsg(), f.xpubVerboser(), f.xpubManual()));
    }

    /**
     * REQ_CORRELATE (REQ only): each request carries a 4-byte request id frame before the delimiter and only
     * a reply echoing it is accepted. Default false.
     */
    public SocketOptions withReqCorrelate(boolean v) {
        PatternFlags f = patterns;
        return with(new PatternFlags(f.reqRelaxed(), v, f.routerMandatory(), f.routerHandover(), f.probeRouter(),
            f.xpubVerbose(), f.xpubNodrop(), f.xpubWelcomeMsg(), f.xpubVerboser(), f.xpubManual()));
    }

    /**
     * ROUTER_MANDATORY (ROUTER only): a message for an unknown peer fails with EHOSTUNREACH instead of being
     * dropped, and a message for a full peer waits instead of being dropped. Default false.
     */
    public SocketOptions withRouterMandatory(boolean v) {
        PatternFlags f = patterns;
        return with(new PatternFlags(f.reqRelaxed(), f.reqCorrelate(), v, f.routerHandover(), f.probeRouter(),
            f.xpubVerbose(), f.xpubNodrop(), f.xpubWelcomeMsg(), f.xpubVerboser(), f.xpubManual()));
    }

    /**
     * ROUTER_HANDOVER (ROUTER only): a new peer announcing a routing id already in use takes it over and
     * the old connection is dropped. Default false (the newcomer is ignored).
     */
    public SocketOptions withRouterHandover(boolean v) {
        PatternFlags f = patterns;
        return with(new PatternFlags(f.reqRelaxed(), f.reqCorrelate(), f.routerMandatory(), v, f.probeRouter(),
            f.xpubVerbose(), f.xpubNodrop(), f.xpubWelcomeMsg(), f.xpubVerboser(), f.xpubManual()));
    }

    /**
     * PROBE_ROUTER (ROUTER, DEALER, REQ): send an empty message to each new peer as soon as it is attached,
     * so a ROUTER on the other side learns our routing id. Default false.
     */
    public SocketOptions withProbeRouter(boolean v) {
        PatternFlags f = patterns;
        return with(new PatternFlags(f.reqRelaxed(), f.reqCorrelate(), f.routerMandatory(), f.routerHandover(), v,
            f.xpubVerbose(), f.xpubNodrop(), f.xpubWelcomeMsg(), f.xpubVerboser(), f.xpubManual()));
    }

    /**
     * XPUB_VERBOSE (XPUB only): pass every subscribe message to the application, duplicates too. Default
     * false. As in libzmq, setting it also turns XPUB_VERBOSER's "every unsubscribe" off.
     */
    public SocketOptions withXpubVerbose(boolean v) {
        PatternFlags f = patterns;
        return with(f.withXpub(v, false, f.xpubManual()));
    }

    /**
     * XPUB_VERBOSER (XPUB only): pass every subscribe <em>and</em> every unsubscribe message to the
     * application: a cancel is shown even while other subscribers keep the topic, and a subscriber that goes
     * away shows a cancel for each of its topics. As in libzmq it sets XPUB_VERBOSE to the same value
     * ({@code withXpubVerboser(false)} turns both off). Default false.
     */
    public SocketOptions withXpubVerboser(boolean v) {
        PatternFlags f = patterns;
        return with(f.withXpub(v, v, f.xpubManual()));
    }

    /**
     * XPUB_MANUAL (XPUB only): subscriptions from subscribers are not applied to the socket's filter. Every
     * subscribe and unsubscribe message is passed to the application, which decides: after receiving one,
     * {@code ZSocket.subscribe(topic)} / {@code unsubscribe(topic)} on the XPUB add or remove a topic for the
     * subscriber that sent it (libzmq's "last pipe"). A subscriber that goes away shows a cancel for each
     * topic it had asked for. Receive with {@code receive()}/{@code tryReceive()} (or the stream source built
     * on them); pushing deliveries to an actor ({@code deliverTo}) is refused, since the socket could not
     * know which message the actor is looking at. Default false.
     */
    public SocketOptions withXpubManual(boolean v) {
        PatternFlags f = patterns;
        return with(f.withXpub(f.xpubVerbose(), f.xpubVerboser(), v));
    }

    /** XPUB_NODROP (XPUB only): wait for room when a matching subscriber is full instead of dropping. Default false. */
    public SocketOptions withXpubNodrop(boolean v) {
        PatternFlags f = patterns;
        return with(new PatternFlags(f.reqRelaxed(), f.reqCorrelate(), f.routerMandatory(), f.routerHandover(),
            f.probeRouter(), f.xpubVerbose(), v, f.xpubWelcomeMsg(), f.xpubVerboser(), f.xpubManual()));
    }

    /** XPUB_WELCOME_MSG (XPUB only): a one-frame message sent to every new subscriber; empty for none. */
    public SocketOptions withXpubWelcomeMsg(byte[] v) {
        if (v == null) {
            throw new IllegalArgumentException("XPUB_WELCOME_MSG must not be null (use an empty array for none)");
        }
        PatternFlags f = patterns;
        return with(new PatternFlags(f.reqRelaxed(), f.reqCorrelate(), f.routerMandatory(), f.routerHandover(),
            f.probeRouter(), f.xpubVerbose(), f.xpubNodrop(), v.clone(), f.xpubVerboser(), f.xpubManual()));
    }

    /**
     * The default of {@link #withMaxSubscriptions}: 100,000 distinct topics per peer. Generous for real
     * publishers, and at roughly 250 bytes of heap per subscription a peer at the limit costs about 25 MB.
     */
    public static final int DEFAULT_MAX_SUBSCRIPTIONS = 100_000;

    /** The default of {@link #withMaxSubscriptionBytes}: 16 MiB of topic bytes per peer. */
    public static final long DEFAULT_MAX_SUBSCRIPTION_BYTES = 16L * 1024 * 1024;

    /** Distinct topics one peer of a PUB/XPUB may hold at once; -1 = no limit. */
    public int maxSubscriptions() {
        return maxSubscriptions;
    }

    /** Bytes of distinct topics one peer of a PUB/XPUB may hold at once; -1 = no limit. */
    public long maxSubscriptionBytes() {
        return maxSubscriptionBytes;
    }

    /**
     * PUB/XPUB: how many distinct topics one peer (one tcp/ipc connection) may be subscribed to at once
     * (-1 = no limit; default {@link #DEFAULT_MAX_SUBSCRIPTIONS}). A subscription past it closes that
     * connection (DISCONNECTED with the reason, one peer-error log line); a repeated subscription to a
     * topic the peer already holds costs nothing, and a cancel frees room. libzmq has no such limit.
     */
    public SocketOptions withMaxSubscriptions(int v) {
        if (v < -1) {
            throw new IllegalArgumentException("max-subscriptions must be -1 or >= 0, was " + v);
        }
        SocketOptions c = copy();
        c.maxSubscriptions = v;
        return c;
    }

    /**
     * PUB/XPUB: how many bytes of distinct topics one peer may hold at once, as {@link #withMaxSubscriptions}
     * (-1 = no limit; default {@link #DEFAULT_MAX_SUBSCRIPTION_BYTES}). It also bounds one topic's length.
     */
    public SocketOptions withMaxSubscriptionBytes(long v) {
        if (v < -1) {
            throw new IllegalArgumentException("max-subscription-bytes must be -1 or >= 0, was " + v);
        }
        SocketOptions c = copy();
        c.maxSubscriptionBytes = v;
        return c;
    }

    private SocketOptions with(PatternFlags f) {
        SocketOptions c = copy();
        c.patterns = f;
        return c;
    }

    private static int positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, was " + v);
        }
        return v;
    }

    private static int osDefaultOrPositive(String name, int v) {
        if (v != -1 && v < 1) {
            throw new IllegalArgumentException(name + " must be -1 (OS default) or at least 1, was " + v);
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
