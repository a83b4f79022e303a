package io.rzmq.pekko.api;

import io.rzmq.testkit.Awaits;
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
        return Awaits.result(stage, DEADLINE);
    }

    /** The failure the stage completes with (fails the test if it succeeds or takes too long). */
    public static RzmqException failure(CompletionStage<?> stage) {
        Throwable t = Awaits.failure(stage, DEADLINE);
        if (t instanceof RzmqException re) {
            return re;
        }
        throw new AssertionError("expected an RzmqException, got " + t, t);
    }

    /** Polls {@code condition} (yielding the thread between checks) until true or the deadline. */
    public static void until(String what, BooleanSupplier condition) {
        Awaits.until(what, condition, DEADLINE);
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
