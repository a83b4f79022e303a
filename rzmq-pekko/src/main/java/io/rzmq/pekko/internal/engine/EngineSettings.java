package io.rzmq.pekko.internal.engine;

import com.typesafe.config.Config;
import io.rzmq.protocol.connection.ZmtpLimits;

import java.time.Duration;

/**
 * I/O tuning and peer bounds of engines and listeners, not per socket: how much encoded output one write
 * may carry, how long a graceful close may wait for Pekko IO to confirm, what a peer may make a connection
 * hold (handshake, metadata and frame-count bounds) and how many accepted connections of one listener may
 * be in their handshake at once.
 *
 * @param writeBatchBytes stop draining the outgoing pipe once this many encoded bytes wait for the
 *                        next write (one write is in flight at a time; larger batches mean fewer writes)
 * @param closeTimeout    how long a closing connection waits for its last write and the TCP close
 *                        before it is aborted
 * @param limits          the ZMTP bounds every connection applies ({@code rzmq.handshake}, {@code rzmq.message})
 * @param maxHandshaking  accepted connections of one listener that may be in their handshake at once; a
 *                        connection accepted beyond it is closed at once ({@code rzmq.listener.max-handshaking})
 */
public record EngineSettings(int writeBatchBytes, Duration closeTimeout, ZmtpLimits limits, int maxHandshaking) {
    /** 256 KiB batches (measured near Pekko IO's best throughput on loopback), 5 s close timeout. */
    public static final int DEFAULT_WRITE_BATCH_BYTES = 256 * 1024;
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);
    /** As reference.conf: a few hundred handshakes in flight per listener. */
    public static final int DEFAULT_MAX_HANDSHAKING = 256;

    public EngineSettings {
        if (writeBatchBytes < 1) {
            throw new IllegalArgumentException("write batch must be at least 1 byte, was " + writeBatchBytes);
        }
        if (closeTimeout.isNegative() || closeTimeout.isZero()) {
            throw new IllegalArgumentException("close timeout must be positive, was " + closeTimeout);
        }
        if (limits == null) {
            throw new NullPointerException("limits");
        }
        if (maxHandshaking < 1) {
            throw new IllegalArgumentException("max handshaking connections must be at least 1, was " + maxHandshaking);
        }
    }

    public EngineSettings(int writeBatchBytes, Duration closeTimeout) {
        this(writeBatchBytes, closeTimeout, ZmtpLimits.DEFAULT, DEFAULT_MAX_HANDSHAKING);
    }

    public static EngineSettings defaults() {
        return new EngineSettings(DEFAULT_WRITE_BATCH_BYTES, DEFAULT_CLOSE_TIMEOUT);
    }

    /** The defaults with the bounds of {@code rzmq.handshake}, {@code rzmq.message} and {@code rzmq.listener}. */
    public static EngineSettings create(Config config) {
        Config rz = config.getConfig("rzmq");
        Config hs = rz.getConfig("handshake");
        ZmtpLimits limits = new ZmtpLimits(bytes(hs, "max-command-size"), bytes(hs, "max-buffered"),
            hs.getInt("max-properties"), bytes(hs, "max-properties-size"), rz.getConfig("message").getInt("max-frames"));
        return new EngineSettings(DEFAULT_WRITE_BATCH_BYTES, DEFAULT_CLOSE_TIMEOUT, limits,
            rz.getConfig("listener").getInt("max-handshaking"));
    }

    private static int bytes(Config c, String path) {
        long v = c.getBytes(path);
        if (v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(path + " must be below 2 GiB, was " + v);
        }
        return (int) v;
    }

    public EngineSettings withWriteBatchBytes(int v) {
        return new EngineSettings(v, closeTimeout, limits, maxHandshaking);
    }

    public EngineSettings withCloseTimeout(Duration v) {
        return new EngineSettings(writeBatchBytes, v, limits, maxHandshaking);
    }

    public EngineSettings withLimits(ZmtpLimits v) {
        return new EngineSettings(writeBatchBytes, closeTimeout, v, maxHandshaking);
    }

    public EngineSettings withMaxHandshaking(int v) {
        return new EngineSettings(writeBatchBytes, closeTimeout, limits, v);
    }
}
