package io.rzmq.pekko.api;

import io.rzmq.pekko.model.RzmqException;
import io.rzmq.protocol.Msg;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** Test helpers: wait for outcomes with a deadline, never sleep. */
public final class Await {
    public static final Duration DEADLINE = Duration.ofSeconds(15);

    private Await() {
    }

    public static <T> T result(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new AssertionError(e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("no result within " + DEADLINE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The failure the stage completes with (fails the test if it succeeds or takes too long). */
    public static RzmqException failure(CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RzmqException re) {
                return re;
            }
            throw new AssertionError("expected an RzmqException, got " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("no outcome within " + DEADLINE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        throw new AssertionError("expected a failure, but the stage succeeded");
    }

    /** Polls {@code condition} (yielding the thread between checks) until true or the deadline. */
    public static void until(String what, BooleanSupplier condition) {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    /**
     * Publishes {@code probe} until {@code sub} receives a message (subscriptions travel asynchronously,
     * the ZeroMQ "slow joiner"); returns that message.
     */
    public static Msg primeUntilReceived(ZSocket pub, ZSocket sub, Msg probe) {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < end) {
            result(pub.send(probe));
            try {
                return result(sub.receive(Duration.ofMillis(20)));
            } catch (RzmqException e) {
                if (e.code() != RzmqException.Code.EAGAIN) {
                    throw e;
                }
            }
        }
        throw new AssertionError("the subscription never reached the publisher");
    }
}
