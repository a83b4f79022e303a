package io.rzmq.pekko.internal.socket;

import io.rzmq.testkit.Awaits;
import io.rzmq.pekko.Rzmq;
import io.rzmq.pekko.model.RzmqException;
import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.pekko.api.Await;
import io.rzmq.pekko.api.ZContext;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Shared set-up of the socket pattern tests: one actor system, a fresh context per test, sockets bound
 * over inproc or tcp (loopback, ephemeral port), and deadline-bounded waits (no sleeps).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PatternTestSupport {
    static final Duration DEADLINE = Duration.ofSeconds(15);
    // One actor system per test class (the class's tests share it; PER_CLASS lifecycle).
    final ActorTestKit testKit = ActorTestKit.create();
    private static final AtomicInteger names = new AtomicInteger();

    /** The transports every behaviour is checked over. */
    enum Via {
        INPROC, TCP;

        String bindAddress() {
            return this == INPROC ? "inproc://pattern-" + names.incrementAndGet() : "tcp://127.0.0.1:*";
        }
    }

    ZContext ctx;
    private final List<ZSocket> sockets = new ArrayList<>();

    @BeforeEach
    void newContext() {
        ctx = Rzmq.get(testKit.system()).newContext("patterns-" + names.incrementAndGet());
    }

    @AfterEach
    void closeContext() {
        result(ctx.close(Duration.ZERO));
    }

    @AfterAll
    void shutdown() {
        testKit.shutdownTestKit();
    }

    ZSocket socket(SocketType type) {
        return socket(type, SocketOptions.defaults().withLinger(Duration.ZERO));
    }

    ZSocket socket(SocketType type, SocketOptions options) {
        ZSocket s = ZSocket.create(ctx, type, options);
        sockets.add(s);
        return s;
    }

    /** Binds {@code s} over {@code via}; returns the endpoint to connect to. */
    static String bind(ZSocket s, Via via) {
        return result(s.bind(via.bindAddress()));
    }

    /** Waits until {@code s} has {@code n} peers with a live connection behind them. */
    static void awaitReadyPeers(ZSocket s, int n) {
        until(s + " has " + n + " ready peers", () -> result(s.status()).readyPeers() == n);
    }

    static Msg receive(ZSocket s) {
        return result(s.receive(DEADLINE));
    }

    static <T> T result(CompletionStage<T> stage) {
        return Awaits.result(stage, DEADLINE);
    }

    static RzmqException failure(CompletionStage<?> stage) {
        return Await.failure(stage);
    }

    interface Check {
        boolean ok();
    }

    static void until(String what, Check condition) {
        Awaits.until(what, condition::ok, DEADLINE);
    }

    /** Receives until a message matching {@code p} arrives (others are skipped), within the deadline. */
    static Msg receiveMatching(ZSocket s, Predicate<Msg> p) {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no matching message within " + DEADLINE);
            }
            Msg m = result(s.receive(Duration.ofNanos(left)));
            if (p.test(m)) {
                return m;
            }
        }
    }
}
