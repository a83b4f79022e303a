package io.rzmq.pekko.stream;

import io.rzmq.testkit.Awaits;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** Test helpers: outcomes with deadlines, never sleeps. */
final class Waits {
    static final Duration DEADLINE = Duration.ofSeconds(20);

    private Waits() {
    }

    static <T> T result(CompletionStage<T> stage) {
        return Awaits.result(stage, DEADLINE);
    }

    /** The failure {@code stage} completes with. */
    static Throwable failure(CompletionStage<?> stage) {
        return Awaits.failure(stage, DEADLINE);
    }

    /** Re-checks {@code condition} (yielding between checks) until it holds or the deadline passes. */
    static void until(String what, BooleanSupplier condition) {
        Awaits.until(what, condition, DEADLINE);
    }
}
