package io.rzmq.pekko.internal.support;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Logs what peers do wrong (failed handshakes, refused credentials, protocol errors, resets, refused
 * connects while reconnecting) without letting a peer flood the log: every event at DEBUG, and per
 * endpoint and period one WARN, the first event's, followed by one summary of how many more came in that
 * period ("tcp://127.0.0.1:5555: handshake with 127.0.0.1:40112 failed: ... (and 20 more in the last
 * 10 s)"). The summary is written at the endpoint's next event after the period, by {@link #sweep()}
 * (the extension runs it once per period, not per event), or by {@link #flush()} at shutdown.
 *
 * <p>Our own bugs are not peer errors: they are logged where they happen, every time.
 *
 * <p>Lock-free (engines of one endpoint may run on different threads) and bounded: at most
 * {@code maxEndpoints} endpoints have a window; events of further endpoints share one more window.
 * Logged through the logger {@code io.rzmq.pekko.PeerErrorLog} (its name from before the class moved to
 * {@code internal}, kept for users' logging configuration): set it to DEBUG to see every event.
 */
public final class PeerErrorLog {
    /** The key of the window shared by endpoints beyond the bound. */
    static final String OTHER_ENDPOINTS = "(other endpoints)";

    private static final Logger DEFAULT_LOGGER = LoggerFactory.getLogger("io.rzmq.pekko.PeerErrorLog");

    private final Logger log;
    private final long periodNanos;
    private final int maxEndpoints;
    private final LongSupplier clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    /** One endpoint's current period: its first event was logged at WARN, later ones are counted. */
    private static final class Window {
        final long start;
        final String first;
        final AtomicLong more = new AtomicLong();
        final AtomicBoolean summarised = new AtomicBoolean();

        Window(long start, String first) {
            this.start = start;
            this.first = first;
        }
    }

    public PeerErrorLog(Duration period, int maxEndpoints) {
        this(DEFAULT_LOGGER, period, maxEndpoints, System::nanoTime);
    }

    /** With another logger and clock (nanoseconds), for tests. */
    PeerErrorLog(Logger log, Duration period, int maxEndpoints, LongSupplier clock) {
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("peer error period must be positive, was " + period);
        }
        if (maxEndpoints < 1) {
            throw new IllegalArgumentException("peer error endpoints must be at least 1, was " + maxEndpoints);
        }
        this.log = log;
        this.periodNanos = period.toNanos();
        this.maxEndpoints = maxEndpoints;
        this.clock = clock;
    }

    public Duration period() {
        return Duration.ofNanos(periodNanos);
    }

    /**
     * One peer error on {@code endpoint}: DEBUG always; WARN when it is the endpoint's first in the
     * current period. {@code message} says what happened and with whom (without the endpoint).
     */
    public void report(String endpoint, String message) {
        String key = endpoint == null ? "?" : endpoint;
        log.debug("{}: {}", key, message);
        count(key, message, clock.getAsLong());
    }

    private void count(String key, String message, long now) {
        while (true) {
            Window w = windows.get(key);
            if (w != null && now - w.start < periodNanos) {
                w.more.incrementAndGet();
                return;
            }
            if (w == null && windows.size() >= maxEndpoints && !key.equals(OTHER_ENDPOINTS)) {
                sweep(now);
                if (windows.size() >= maxEndpoints) {
                    count(OTHER_ENDPOINTS, key + ": " + message, now);
                    return;
                }
            }
            Window fresh = new Window(now, message);
            boolean won = w == null ? windows.putIfAbsent(key, fresh) == null : windows.replace(key, w, fresh);
            if (won) {
                if (w != null) {
                    summarise(key, w, now);
                }
                log.warn("{}: {}", key, message);
                return;
            }
            // another thread opened the window first: count against it
        }
    }

    /** Summarises and forgets the windows whose period is over (called once per period, not per event). */
    public void sweep() {
        sweep(clock.getAsLong());
    }

    private void sweep(long now) {
        for (Map.Entry<String, Window> e : windows.entrySet()) {
            Window w = e.getValue();
            if (now - w.start >= periodNanos && windows.remove(e.getKey(), w)) {
                summarise(e.getKey(), w, now);
            }
        }
    }

    /** Summarises every open window now (shutdown: nothing counted is left unsaid). */
    public void flush() {
        long now = clock.getAsLong();
        for (Map.Entry<String, Window> e : windows.entrySet()) {
            if (windows.remove(e.getKey(), e.getValue())) {
                summarise(e.getKey(), e.getValue(), now);
            }
        }
    }

    /** Endpoints with an open window (bounded by maxEndpoints + 1). */
    int tracked() {
        return windows.size();
    }

    private void summarise(String key, Window w, long now) {
        if (!w.summarised.compareAndSet(false, true)) {
            return;
        }
        long more = w.more.get();
        if (more > 0) {
            long seconds = Math.max(1, (Math.min(now - w.start, periodNanos) + 999_999_999L) / 1_000_000_000L);
            log.warn("{}: {} (and {} more in the last {} s)", key, w.first, more, seconds);
        }
    }
}
