package io.rzmq.pekko.stream;

import io.rzmq.pekko.Rzmq;
import io.rzmq.pekko.model.RzmqException;
import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.pekko.api.ZContext;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.SinkQueueWithCancel;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.rzmq.pekko.stream.Waits.failure;
import static io.rzmq.pekko.stream.Waits.result;
import static io.rzmq.pekko.stream.Waits.until;
import static org.assertj.core.api.Assertions.assertThat;

class ZmqStreamsTest {
    static final ActorTestKit testKit = ActorTestKit.create();
    static final ActorSystem<Void> system = testKit.system();

    ZContext ctx;

    @BeforeEach
    void newContext() {
        ctx = Rzmq.get(system).newContext("streams");
    }

    @AfterEach
    void closeContext() {
        result(ctx.close(Duration.ZERO));
    }

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    private static Msg numbered(int i) {
        return Msg.of("m" + i);
    }

    private static int indexOf(Msg m) {
        return Integer.parseInt(m.firstString().substring(1));
    }

    // ------------------------------------------------------------------ Source

    @ParameterizedTest
    @ValueSource(strings = {"inproc://src-pull", "tcp://127.0.0.1:*"})
    void sourceFromPullEmitsInOrderAndClosesTheSocketWhenCancelled(String bindTo) {
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL);
        String ep = result(pull.bind(bindTo));
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH);
        result(push.connect(ep));
        for (int i = 0; i < 200; i++) {
            result(push.send(numbered(i)));
        }
        Pair<ZmqControl, CompletionStage<List<Msg>>> run = ZmqStreams.source(pull)
            .take(200)
            .toMat(Sink.seq(), Keep.both())
            .run(system);
        List<Msg> got = result(run.second());
        assertThat(got).extracting(ZmqStreamsTest::indexOf).containsExactlyElementsOf(range(0, 200));
        // take(200) cancels the source, which closes its socket.
        result(run.first().isShutdown());
        assertThat(pull.isClosed()).isTrue();
    }

    @Test
    void sourceFromSubOverTcpOpensItsOwnSocketAndFilters() {
        ZSocket pub = ZSocket.create(ctx, SocketType.PUB, ctx.defaultOptions().withLinger(Duration.ZERO));
        String ep = result(pub.bind("tcp://127.0.0.1:*"));
        // A publisher that never stops (PUB drops while nobody listens), until the kill switch.
        Pair<UniqueKillSwitch, CompletionStage<Done>> publishing = Source.unfold(0, i -> Optional.of(Pair.create(i + 1, i)))
            .map(i -> Msg.of((i % 2 == 0 ? "A-" : "B-") + i, "payload"))
            .viaMat(KillSwitches.single(), Keep.right())
            .toMat(ZmqStreams.sink(pub), Keep.both())
            .run(system);

        Pair<ZmqControl, CompletionStage<List<Msg>>> run = ZmqStreams
            .source(ctx, ZmqSocketSpec.of(SocketType.SUB).withConnect(ep).withSubscribe("A-"))
            .take(20)
            .toMat(Sink.seq(), Keep.both())
            .run(system);
        List<Msg> got = result(run.second());
        assertThat(got).hasSize(20).allSatisfy(m -> {
            assertThat(m.firstString()).startsWith("A-");
            assertThat(m.frame(1).asString()).isEqualTo("payload");
        });
        List<Integer> seq = got.stream().map(m -> Integer.parseInt(m.firstString().substring(2))).toList();
        assertThat(seq).isSorted().doesNotHaveDuplicates();
        ZSocket sub = result(run.first().socket());
        result(run.first().isShutdown());
        assertThat(sub.isClosed()).isTrue();

        publishing.first().shutdown();
        assertThat(result(publishing.second())).isEqualTo(Done.getInstance());
        assertThat(pub.isClosed()).isTrue();
    }

    @Test
    void cancelledSourceReleasesItsTcpPortForARebind() {
        Pair<ZmqControl, CompletionStage<List<Msg>>> run = ZmqStreams
            .source(ctx, ZmqSocketSpec.of(SocketType.PULL).withBind("tcp://127.0.0.1:*"))
            .take(3)
            .toMat(Sink.seq(), Keep.both())
            .run(system);
        String ep = result(run.first().boundEndpoints()).get(0);
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH);
        result(push.connect(ep));
        for (int i = 0; i < 3; i++) {
            result(push.send(numbered(i)));
        }
        assertThat(result(run.second())).extracting(ZmqStreamsTest::indexOf).containsExactly(0, 1, 2);
        result(run.first().isShutdown());
        ZSocket again = ZSocket.create(ctx, SocketType.PULL);
        assertThat(result(again.bind(ep))).isEqualTo(ep);
    }

    @Test
    void stopCompletesTheStreamButKeepsTheSocketAndLosesNothing() {
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL);
        result(pull.bind("inproc://stop"));
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH);
        result(push.connect("inproc://stop"));
        AtomicInteger seen = new AtomicInteger();
        Pair<ZmqControl, CompletionStage<List<Msg>>> run = ZmqStreams.source(pull)
            .map(m -> {
                seen.incrementAndGet();
                return m;
            })
            .toMat(Sink.seq(), Keep.both())
            .run(system);
        for (int i = 0; i < 3; i++) {
            result(push.send(numbered(i)));
        }
        until("the stream saw 3 messages", () -> seen.get() == 3);
        // The source now waits in a receive; stop must end it without swallowing a later message.
        result(run.first().stop());
        assertThat(result(run.second())).extracting(ZmqStreamsTest::indexOf).containsExactly(0, 1, 2);
        assertThat(pull.isClosed()).isFalse();
        for (int i = 3; i < 6; i++) {
            result(push.send(numbered(i)));
        }
        for (int i = 3; i < 6; i++) {
            assertThat(indexOf(result(pull.receive()))).isEqualTo(i);
        }
        result(run.first().shutdown());
        assertThat(pull.isClosed()).isTrue();
    }

    @Test
    void drainAndShutdownEmitsWhatTheSocketHoldsThenCloses() {
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL);
        result(pull.bind("inproc://drain"));
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH);
        result(push.connect("inproc://drain"));
        for (int i = 0; i < 50; i++) {
            result(push.send(numbered(i)));
        }
        until("all 50 messages wait in the PULL socket", () -> result(pull.status()).inbox() == 50);
        Pair<ZmqControl, SinkQueueWithCancel<Msg>> run = ZmqStreams.source(pull)
            .toMat(Sink.queue(), Keep.both())
            .run(system);
        List<Integer> got = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            got.add(indexOf(result(run.second().pull()).orElseThrow()));
        }
        CompletionStage<Done> drained = run.first().drainAndShutdown();
        while (true) {
            Optional<Msg> next = result(run.second().pull());
            if (next.isEmpty()) {
                break;
            }
            got.add(indexOf(next.get()));
        }
        assertThat(got).containsExactlyElementsOf(range(0, 50));
        result(drained);
        assertThat(pull.isClosed()).isTrue();
    }

    // ------------------------------------------------------------------ back-pressure

    /**
     * A consumer that stops pulling holds a PUSH/PULL link at its high-water marks: the producer's sends
     * stop completing with a bounded number of messages accepted beyond what was consumed, and once the
     * consumer drains everything arrives in order.
     */
    @ParameterizedTest
    @ValueSource(strings = {"inproc://bp", "tcp://127.0.0.1:*"})
    void slowConsumerHoldsThePushPullLinkAtTheHighWaterMark(String bindTo) {
        int hwm = 50;
        int total = 3000;
        SocketOptions small = ctx.defaultOptions().withSndHwm(hwm).withRcvHwm(hwm).withLinger(Duration.ZERO);
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL, small);
        String ep = result(pull.bind(bindTo));
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH, small);
        result(push.connect(ep));

        // 32 KiB per message, so that kernel socket buffers (a few MiB) hold a small part of the total.
        byte[] payload = new byte[32 * 1024];
        Producer producer = new Producer(push, total, i -> Msg.ofFrames(Frame.of("m" + i), Frame.wrap(payload)));

        Pair<ZmqControl, SinkQueueWithCancel<Msg>> run = ZmqStreams.source(pull)
            .toMat(Sink.queue(), Keep.both())
            .run(system);
        SinkQueueWithCancel<Msg> consumer = run.second();
        producer.start();
        int consumed = 0;
        for (; consumed < 10; consumed++) {
            assertThat(indexOf(result(consumer.pull()).orElseThrow())).isEqualTo(consumed);
        }

        // The consumer pulls nothing now: the producer ends up waiting on a send no pipe has room for.
        until("the producer is held back at the high-water mark", () -> producer.waiting()
            && result(push.status()).outbox() > 0);
        int acceptedWhileStalled = producer.accepted();
        assertThat(acceptedWhileStalled).as("messages accepted while the consumer stalls")
            .isLessThan(total / 2);
        assertThat(producer.finished()).isFalse();

        // Consume a little more: the producer may go on only by about as much.
        for (; consumed < 110; consumed++) {
            assertThat(indexOf(result(consumer.pull()).orElseThrow())).isEqualTo(consumed);
        }
        until("the producer is held back again", () -> producer.waiting() && result(push.status()).outbox() > 0);
        assertThat(producer.accepted() - consumed).as("outstanding messages")
            .isLessThan(total / 2);

        // Drain: everything arrives, in order.
        for (; consumed < total; consumed++) {
            assertThat(indexOf(result(consumer.pull()).orElseThrow())).isEqualTo(consumed);
        }
        result(producer.done);
        assertThat(producer.accepted()).isEqualTo(total);
        consumer.cancel();
        result(run.first().isShutdown());
        assertThat(pull.isClosed()).isTrue();
    }

    /** Sends messages 0..total-1 one after the other, each once the previous send completed; never blocks. */
    private static final class Producer {
        final ZSocket socket;
        final int total;
        final java.util.function.IntFunction<Msg> msg;
        final AtomicInteger accepted = new AtomicInteger();
        final AtomicReference<CompletableFuture<Done>> current = new AtomicReference<>(
            CompletableFuture.completedFuture(Done.getInstance()));
        final CompletableFuture<Done> done = new CompletableFuture<>();

        Producer(ZSocket socket, int total, java.util.function.IntFunction<Msg> msg) {
            this.socket = socket;
            this.total = total;
            this.msg = msg;
        }

        void start() {
            sendFrom(0);
        }

        private void sendFrom(int first) {
            for (int i = first; i < total; i++) {
                CompletableFuture<Done> s = socket.send(msg.apply(i)).toCompletableFuture();
                if (!s.isDone()) {
                    current.set(s);
                    int next = i + 1;
                    s.whenComplete((d, e) -> {
                        if (e != null) {
                            done.completeExceptionally(e);
                        } else {
                            accepted.incrementAndGet();
                            sendFrom(next);
                        }
                    });
                    return;
                }
                if (s.isCompletedExceptionally()) {
                    s.whenComplete((d, e) -> done.completeExceptionally(e));
                    return;
                }
                accepted.incrementAndGet();
            }
            done.complete(Done.getInstance());
        }

        boolean waiting() {
            return !current.get().isDone();
        }

        int accepted() {
            return accepted.get();
        }

        boolean finished() {
            return done.isDone();
        }
    }

    // ------------------------------------------------------------------ Sink

    @ParameterizedTest
    @ValueSource(strings = {"inproc://sink-push", "tcp://127.0.0.1:*"})
    void sinkIntoPushDeliversEverythingInOrderThenClosesTheSocket(String bindTo) {
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL);
        String ep = result(pull.bind(bindTo));
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH);
        result(push.connect(ep));
        CompletionStage<Done> sent = Source.range(0, 1999).map(ZmqStreamsTest::numbered)
            .runWith(ZmqStreams.sink(push), system);
        List<Integer> got = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            got.add(indexOf(result(pull.receive())));
        }
        assertThat(got).containsExactlyElementsOf(range(0, 2000));
        assertThat(result(sent)).isEqualTo(Done.getInstance());
        assertThat(push.isClosed()).isTrue();
    }

    @Test
    void sinkFromSpecConnectsAndFlushesBeforeCompleting() {
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL);
        String ep = result(pull.bind("tcp://127.0.0.1:*"));
        CompletionStage<Done> sent = Source.range(0, 99).map(ZmqStreamsTest::numbered)
            .runWith(ZmqStreams.sink(ctx, ZmqSocketSpec.of(SocketType.PUSH).withConnect(ep)), system);
        // Done means: every element taken and the socket closed after flushing (LINGER -1).
        result(sent);
        for (int i = 0; i < 100; i++) {
            assertThat(indexOf(result(pull.receive()))).isEqualTo(i);
        }
    }

    @Test
    void sinkIntoPubWithoutSubscribersNeverWaits() {
        ZSocket pub = ZSocket.create(ctx, SocketType.PUB, ctx.defaultOptions().withSndHwm(10));
        result(pub.bind("inproc://nobody"));
        CompletionStage<Done> sent = Source.range(0, 19_999).map(ZmqStreamsTest::numbered)
            .runWith(ZmqStreams.sink(pub), system);
        // 20000 messages through a socket with room for 16: PUB drops instead of back-pressuring.
        assertThat(result(sent)).isEqualTo(Done.getInstance());
        assertThat(pub.isClosed()).isTrue();
    }

    @Test
    void sinkIntoPubReachesASubscriber() {
        ZSocket sub = ZSocket.create(ctx, SocketType.SUB);
        result(sub.subscribe("news"));
        result(sub.subscribe("sync"));
        result(sub.bind("inproc://pubsink"));
        ZSocket pub = ZSocket.create(ctx, SocketType.PUB);
        result(pub.connect("inproc://pubsink"));
        // Subscriptions reach the publisher asynchronously (the "slow joiner"): publish "sync" until one arrives.
        long end = System.nanoTime() + Waits.DEADLINE.toNanos();
        while (true) {
            result(pub.send(Msg.of("sync")));
            try {
                result(sub.receive(Duration.ofMillis(20)));
                break;
            } catch (RzmqException e) {
                assertThat(e.code()).isEqualTo(RzmqException.Code.EAGAIN);
                assertThat(System.nanoTime()).as("the subscription reached the publisher in time").isLessThan(end);
            }
        }
        CompletionStage<Done> sent = Source.range(0, 99)
            .map(i -> Msg.of(i % 2 == 0 ? "news" : "other", Integer.toString(i)))
            .runWith(ZmqStreams.sink(pub), system);
        result(sent);
        List<Integer> got = new ArrayList<>();
        while (got.size() < 50) {
            Msg m = result(sub.receive());
            if (m.firstString().equals("sync")) {
                continue; // an extra priming message
            }
            assertThat(m.firstString()).isEqualTo("news");
            got.add(Integer.parseInt(m.frame(1).asString()));
        }
        assertThat(got).containsExactlyElementsOf(range(0, 100).stream().filter(i -> i % 2 == 0).toList());
    }

    @Test
    void upstreamFailureFailsTheSinkAndClosesTheSocket() {
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH, ctx.defaultOptions().withLinger(Duration.ZERO));
        CompletionStage<Done> sent = Source.<Msg>failed(new IllegalStateException("boom"))
            .runWith(ZmqStreams.sink(push), system);
        assertThat(failure(sent)).isInstanceOf(IllegalStateException.class).hasMessage("boom");
        until("the socket is closed", push::isClosed);
    }

    @Test
    void sinkOnAReceivingSocketFailsWithEnotsup() {
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL);
        CompletionStage<Done> sent = Source.single(Msg.of("x")).runWith(ZmqStreams.sink(pull), system);
        assertThat(failure(sent)).isInstanceOf(RzmqException.class)
            .satisfies(e -> assertThat(((RzmqException) e).code()).isEqualTo(RzmqException.Code.ENOTSUP));
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> l = new ArrayList<>();
        for (int i = from; i < to; i++) {
            l.add(i);
        }
        return l;
    }
}
