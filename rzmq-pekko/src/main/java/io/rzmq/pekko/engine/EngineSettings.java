package io.rzmq.pekko.engine;

import java.time.Duration;

/**
 * I/O tuning of an engine, not per socket: how much encoded output one write may carry and how long a
 * graceful close may wait for Pekko IO to confirm.
 *
 * @param writeBatchBytes stop draining the outgoing pipe once this many encoded bytes wait for the
 *                        next write (one write is in flight at a time; larger batches mean fewer writes)
 * @param closeTimeout    how long a closing connection waits for its last write and the TCP close
 *                        before it is aborted
 */
public record EngineSettings(int writeBatchBytes, Duration closeTimeout) {
    /** 256 KiB batches (measured near Pekko IO's best throughput on loopback), 5 s close timeout. */
    public static final int DEFAULT_WRITE_BATCH_BYTES = 256 * 1024;
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);

    public EngineSettings {
        if (writeBatchBytes < 1) {
            throw new IllegalArgumentException("write batch must be at least 1 byte, was " + writeBatchBytes);
        }
        if (closeTimeout.isNegative() || closeTimeout.isZero()) {
            throw new IllegalArgumentException("close timeout must be positive, was " + closeTimeout);
        }
    }

    public static EngineSettings defaults() {
        return new EngineSettings(DEFAULT_WRITE_BATCH_BYTES, DEFAULT_CLOSE_TIMEOUT);
    }

    public EngineSettings withWriteBatchBytes(int v) {
        return new EngineSettings(v, closeTimeout);
    }

    public EngineSettings withCloseTimeout(Duration v) {
        return new EngineSettings(writeBatchBytes, v);
    }
}
