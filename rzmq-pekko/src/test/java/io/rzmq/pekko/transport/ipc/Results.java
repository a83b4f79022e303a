package io.rzmq.pekko.transport.ipc;

import io.rzmq.pekko.RzmqException;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.protocol.Msg;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** Deadline-bounded waits for the socket-level ipc tests (never sleeps). */
final class Results {
    static final Duration DEADLINE = Duration.ofSeconds(15);

    private Results() {
    }

    static <T> T result(CompletionStage<T> stage) {
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

    /** The RzmqException the stage fails with. */
    static RzmqException failure(CompletionStage<?> stage) {
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

    static void until(String what, BooleanSupplier condition) {
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
     * Publishes {@code probe} until the subscriber gets one: subscriptions travel asynchronously, so this
     * is how a test knows the publisher has them. Returns the probe received.
     */
    static Msg primeUntilReceived(ZSocket pub, ZSocket sub, Msg probe) {
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
