package io.rzmq.pekko.internal.socket;

import io.rzmq.pekko.model.RzmqException;
import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bridge owns what it hands to the socket's actor (issue 12, defect 3): an operation still on its way
 * when the actor stops is failed by the stop, and one handed over after it fails at once. The core here is
 * a probe that never answers, as a stopped actor would not.
 */
class SocketBridgeHandOverTest {
    static final ActorTestKit testKit = ActorTestKit.create();
    static final Duration QUIET = Duration.ofMillis(200);

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    private static SocketBridge bridge(TestProbe<SocketCommand> core) {
        SocketDataPlane plane = new SocketDataPlane(SocketType.PULL, SocketOptions.defaults(), SocketGuard.NONE,
            testKit.system().scheduler(), testKit.system().executionContext());
        SocketBridge b = new SocketBridge(plane, SocketGuard.NONE);
        b.attachCore(core.ref());
        return b;
    }

    private static RzmqException.Code code(CompletableFuture<?> f) {
        assertThat(f).isDone();
        try {
            f.join();
        } catch (CompletionException e) {
            return ((RzmqException) e.getCause()).code();
        }
        throw new AssertionError("expected a failure, got " + f.join());
    }

    @Test
    void operationsStillOnTheirWayWhenTheCoreStopsFailWithEterm() {
        TestProbe<SocketCommand> core = testKit.createTestProbe();
        SocketBridge b = bridge(core);
        CompletableFuture<Done> connect = new CompletableFuture<>();
        CompletableFuture<SocketStatus> status = new CompletableFuture<>();
        b.handOver(new SocketCommand.Connect("inproc://x", connect), connect);
        b.handOver(new SocketCommand.Status(status), status);
        core.expectMessageClass(SocketCommand.Connect.class);
        core.expectMessageClass(SocketCommand.Status.class);
        assertThat(status).isNotDone();

        b.terminate(new RzmqException(RzmqException.Code.ETERM, "closed"));

        assertThat(code(connect)).isEqualTo(RzmqException.Code.ETERM);
        assertThat(code(status)).isEqualTo(RzmqException.Code.ETERM);
        assertThat(b.terminated()).isDone();
        assertThat(b.isClosed()).isTrue();
    }

    @Test
    void aHandOverAfterTheCoreStoppedFailsAtOnceAndTellsNobody() {
        TestProbe<SocketCommand> core = testKit.createTestProbe();
        SocketBridge b = bridge(core);
        b.terminate(new RzmqException(RzmqException.Code.ETERM, "closed"));

        CompletableFuture<SocketStatus> receive = new CompletableFuture<>();
        b.handOver(new SocketCommand.Status(receive), receive);
        CompletableFuture<String> bind = new CompletableFuture<>();
        b.handOver(new SocketCommand.Bind("inproc://x", bind), bind);

        assertThat(code(receive)).isEqualTo(RzmqException.Code.ETERM);
        assertThat(code(bind)).isEqualTo(RzmqException.Code.ETERM);
        assertThat(b.requestClose()).as("no Close for a core that is gone").isFalse();
        core.expectNoMessage(QUIET);
    }

    @Test
    void answeredOperationsAreNotKeptAndTheCoresAnswerStands() {
        TestProbe<SocketCommand> core = testKit.createTestProbe();
        SocketBridge b = bridge(core);
        CompletableFuture<SocketStatus> receive = new CompletableFuture<>();
        b.handOver(new SocketCommand.Status(receive), receive);
        SocketStatus answer = new SocketStatus(SocketType.PULL, 0, 0, 0, 0, false);
        core.expectMessageClass(SocketCommand.Status.class).result().complete(answer);
        assertThat(b.handedOverCount()).isZero();

        b.terminate(new RzmqException(RzmqException.Code.ETERM, "closed"));
        assertThat(receive.join()).isSameAs(answer);
    }

    /** Hand-overs racing the stop from several threads: each is answered exactly by one side. */
    @Test
    void handOversRacingTheStopAreAllAnswered() throws Exception {
        for (int round = 0; round < 200; round++) {
            TestProbe<SocketCommand> core = testKit.createTestProbe();
            SocketBridge b = bridge(core);
            List<CompletableFuture<SocketStatus>> receives = new ArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                List<CompletableFuture<SocketStatus>> mine = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    mine.add(new CompletableFuture<>());
                }
                receives.addAll(mine);
                Thread th = new Thread(() -> {
                    awaitLatch(go);
                    for (CompletableFuture<SocketStatus> r : mine) {
                        b.handOver(new SocketCommand.Status(r), r);
                    }
                });
                th.start();
                threads.add(th);
            }
            go.countDown();
            b.terminate(new RzmqException(RzmqException.Code.ETERM, "closed"));
            for (Thread th : threads) {
                th.join(TimeUnit.SECONDS.toMillis(10));
            }
            for (CompletableFuture<SocketStatus> r : receives) {
                assertThat(code(r)).isEqualTo(RzmqException.Code.ETERM);
            }
            assertThat(b.handedOverCount()).isZero();
        }
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void closeIsRequestedOnceWhileTheCoreRuns() {
        TestProbe<SocketCommand> core = testKit.createTestProbe();
        SocketBridge b = bridge(core);
        assertThat(b.requestClose()).isTrue();
        assertThat(b.requestClose()).isFalse();
    }
}
