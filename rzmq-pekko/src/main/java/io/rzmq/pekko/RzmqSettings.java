package io.rzmq.pekko;

import io.rzmq.pekko.model.SocketOptions;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueType;

import java.time.Duration;

/**
 * The extension's settings, read from the {@code rzmq} block of the configuration (defaults in
 * rzmq-pekko's reference.conf). Immutable; {@code withX} returns a changed copy.
 */
public final class RzmqSettings {
    private final SocketOptions socketDefaults;
    private final Duration socketCreateTimeout;
    private final Duration shutdownLinger;
    private final int pumpBatch;
    private final int zapMaxPending;
    private final Duration peerErrorPeriod;
    private final int peerErrorEndpoints;

    private RzmqSettings(SocketOptions socketDefaults, Duration socketCreateTimeout, Duration shutdownLinger,
                         int pumpBatch, int zapMaxPending, Duration peerErrorPeriod, int peerErrorEndpoints) {
        this.socketDefaults = socketDefaults;
        this.socketCreateTimeout = socketCreateTimeout;
        this.shutdownLinger = shutdownLinger;
        this.pumpBatch = pumpBatch;
        this.zapMaxPending = zapMaxPending;
        if (peerErrorPeriod.isNegative() || peerErrorPeriod.isZero()) {
            throw new IllegalArgumentException("rzmq.log.peer-error-period must be positive, was " + peerErrorPeriod);
        }
        if (peerErrorEndpoints < 1) {
            throw new IllegalArgumentException("rzmq.log.peer-error-endpoints must be at least 1, was "
                + peerErrorEndpoints);
        }
        this.peerErrorPeriod = peerErrorPeriod;
        this.peerErrorEndpoints = peerErrorEndpoints;
    }

    /** Reads {@code rzmq { ... }} from a full configuration (e.g. {@code system.settings().config()}). */
    public static RzmqSettings create(Config config) {
        Config rz = config.getConfig("rzmq");
        Config sd = rz.getConfig("socket-defaults");
        SocketOptions o = SocketOptions.defaults()
            .withSndHwm(sd.getInt("sndhwm"))
            .withRcvHwm(sd.getInt("rcvhwm"))
            .withLinger(lingerOf(sd, "linger"))
            .withReconnectIvl(sd.getDuration("reconnect-ivl"))
            .withReconnectIvlMax(sd.getDuration("reconnect-ivl-max"))
            .withHandshakeIvl(sd.getDuration("handshake-ivl"))
            .withMaxMsgSize(sd.getLong("maxmsgsize"))
            .withBacklog(sd.getInt("backlog"))
            .withHeartbeatIvl(sd.getDuration("heartbeat-ivl"))
            .withHeartbeatTtl(sd.getDuration("heartbeat-ttl"))
            .withHeartbeatTimeout(sd.getDuration("heartbeat-timeout"))
            .withTcpKeepalive(sd.getInt("tcp-keepalive"))
            .withTcpKeepaliveIdle(sd.getInt("tcp-keepalive-idle"))
            .withTcpKeepaliveCnt(sd.getInt("tcp-keepalive-cnt"))
            .withTcpKeepaliveIntvl(sd.getInt("tcp-keepalive-intvl"))
            .withSndBuf(sd.getInt("sndbuf"))
            .withRcvBuf(sd.getInt("rcvbuf"))
            .withImmediate(sd.getBoolean("immediate"))
            .withRcvTimeo(lingerOf(sd, "rcvtimeo"))
            .withSndTimeo(lingerOf(sd, "sndtimeo"))
            .withMaxSubscriptions(sd.getInt("max-subscriptions"))
            .withMaxSubscriptionBytes(limitOf(sd, "max-subscription-bytes"));
        Config cx = rz.getConfig("context");
        int batch = cx.getInt("pump-batch");
        if (batch < 1) {
            throw new IllegalArgumentException("rzmq.context.pump-batch must be at least 1, was " + batch);
        }
        int zapMaxPending = cx.getInt("zap-max-pending");
        if (zapMaxPending < 1) {
            throw new IllegalArgumentException("rzmq.context.zap-max-pending must be at least 1, was " + zapMaxPending);
        }
        Config lg = rz.getConfig("log");
        return new RzmqSettings(o, cx.getDuration("socket-create-timeout"), cx.getDuration("shutdown-linger"), batch,
            zapMaxPending, lg.getDuration("peer-error-period"), lg.getInt("peer-error-endpoints"));
    }

    // A byte size ("16 MiB" or a number) or -1 for no limit.
    private static long limitOf(Config c, String path) {
        return c.getValue(path).unwrapped() instanceof Number n && n.longValue() == -1 ? -1 : c.getBytes(path);
    }

    // libzmq's LINGER (and RCVTIMEO/SNDTIMEO) is a number of milliseconds where -1 means for ever;
    // accept that or a duration.
    private static Duration lingerOf(Config c, String path) {
        if (c.getValue(path).valueType() == ConfigValueType.NUMBER) {
            long ms = c.getLong(path);
            return ms < 0 ? Duration.ofMillis(-1) : Duration.ofMillis(ms);
        }
        String s = c.getString(path).trim();
        if (s.equals("infinite") || s.equals("-1")) {
            return Duration.ofMillis(-1);
        }
        return c.getDuration(path);
    }

    /** The options new sockets start with. */
    public SocketOptions socketDefaults() {
        return socketDefaults;
    }

    public Duration socketCreateTimeout() {
        return socketCreateTimeout;
    }

    /** LINGER cap applied when contexts close on actor-system shutdown. */
    public Duration shutdownLinger() {
        return shutdownLinger;
    }

    public int pumpBatch() {
        return pumpBatch;
    }

    /** How many ZAP requests of one context may wait for the handler's answer at once. */
    public int zapMaxPending() {
        return zapMaxPending;
    }

    /** Peer errors of one endpoint log one WARN (and one summary) per this period, the rest at DEBUG. */
    public Duration peerErrorPeriod() {
        return peerErrorPeriod;
    }

    /** How many endpoints the peer-error log tracks at once (further ones share one window). */
    public int peerErrorEndpoints() {
        return peerErrorEndpoints;
    }

    public RzmqSettings withSocketDefaults(SocketOptions v) {
        return new RzmqSettings(v, socketCreateTimeout, shutdownLinger, pumpBatch, zapMaxPending, peerErrorPeriod,
            peerErrorEndpoints);
    }

    public RzmqSettings withShutdownLinger(Duration v) {
        return new RzmqSettings(socketDefaults, socketCreateTimeout, v, pumpBatch, zapMaxPending, peerErrorPeriod,
            peerErrorEndpoints);
    }

    public RzmqSettings withPeerErrorPeriod(Duration v) {
        return new RzmqSettings(socketDefaults, socketCreateTimeout, shutdownLinger, pumpBatch, zapMaxPending, v,
            peerErrorEndpoints);
    }

    public RzmqSettings withPeerErrorEndpoints(int v) {
        return new RzmqSettings(socketDefaults, socketCreateTimeout, shutdownLinger, pumpBatch, zapMaxPending,
            peerErrorPeriod, v);
    }
}
