package io.rzmq.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Waiting in tests: every wait has a deadline and fails the test with what it waited for; nothing sleeps to
 * synchronise. Works with any {@link CompletionStage}, so it serves rzmq's API and anyone else's.
 */
public final class Awaits {
    /** The deadline the testkit's peers use when the caller names none. */
    public static final Duration TIMEOUT = Duration.ofSeconds(20);

    private Awaits() {
    }

    /** The stage's value within {@code deadline}; its failure is rethrown (unchecked ones as they are). */
    public static <T> T result(CompletionStage<T> stage, Duration deadline) {
        try {
            return stage.toCompletableFuture().get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new AssertionError(e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("no result within " + deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The failure the stage completes with within {@code deadline}; fails the test if it succeeds. */
    public static Throwable failure(CompletionStage<?> stage, Duration deadline) {
        try {
            stage.toCompletableFuture().get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("no outcome within " + deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        throw new AssertionError("expected a failure, but the stage succeeded");
    }

    /** Re-checks {@code condition} (yielding between checks) until it holds; fails after {@code deadline}. */
    public static void until(String what, BooleanSupplier condition, Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("timed out after " + deadline + " waiting for: " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    /** {@link #until(String, BooleanSupplier, Duration)} with {@link #TIMEOUT}. */
    public static void until(String what, BooleanSupplier condition) {
        until(what, condition, TIMEOUT);
    }

    /**
     * Waits until {@code progress} has moved and then stayed put for {@code quiet} (a flooding peer held back
     * by a bound); returns its value then, or as soon as it reaches {@code enough} (it was never held back:
     * the caller's bound check fails on that value). An upper bound checked on the result cannot fail
     * because the machine is slow, only because the bound let more through. Polls every millisecond: the
     * counter is read, nothing is synchronised on the poll.
     */
    public static long stall(LongSupplier progress, Duration quiet, long enough, Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        long last = -1;
        long since = System.nanoTime();
        while (System.nanoTime() - end < 0) {
            long now = progress.getAsLong();
            if (now != last) {
                last = now;
                since = System.nanoTime();
            } else if (now > 0 && System.nanoTime() - since > quiet.toNanos()) {
                return now;
            }
            if (now >= enough) {
                return now;
            }
            LockSupport.parkNanos(1_000_000);
        }
        throw new AssertionError("progress never stalled within " + deadline + " (at " + last + ")");
    }

    /**
     * Reads {@code raw} (a plain socket a test drives by hand) until the other side ends the connection:
     * end of stream or a reset. Whatever arrives first (a greeting, an ERROR command) is skipped. Fails the
     * test if the connection stays open for {@code deadline}.
     */
    public static void closedByPeer(Socket raw, Duration deadline) throws IOException {
        raw.setSoTimeout((int) deadline.toMillis());
        InputStream in = raw.getInputStream();
        byte[] buf = new byte[4096];
        try {
            while (in.read(buf) >= 0) {
                // skipped
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the connection was not closed within " + deadline, e);
        } catch (IOException reset) {
            // reset: closed as well
        }
    }
}
