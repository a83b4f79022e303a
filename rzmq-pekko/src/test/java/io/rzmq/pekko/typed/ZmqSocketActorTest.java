package io.rzmq.pekko.typed;

import io.rzmq.pekko.model.MonitorEventKind;

import io.rzmq.pekko.Rzmq;
import io.rzmq.pekko.model.RzmqException;
import io.rzmq.pekko.model.MonitorEvent;
import io.rzmq.pekko.api.ZContext;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.pekko.typed.ZmqSocketActor.Command;
import io.rzmq.pekko.typed.ZmqSocketActor.Delivery;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ZmqSocketActorTest {
    static final ActorTestKit testKit = ActorTestKit.create();
    static final Duration TIMEOUT = Duration.ofSeconds(20);
    /** How long "nothing more arrives" is watched for (a negative check, not a timing assertion). */
    static final Duration QUIET = Duration.ofMillis(300);

    ZContext ctx;

    @BeforeEach
    void newContext() {
        ctx = Rzmq.get(testKit.system()).newContext("typed");
    }

    @AfterEach
    void closeContext() {
        await(ctx.close(Duration.ZERO));
    }

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    private ActorRef<Command> socketActor(SocketType type) {
        return testKit.spawn(ZmqSocketActor.create(ctx, type, ctx.defaultOptions()));
    }

    private static <T> T ask(ActorRef<Command> actor, Function<ActorRef<StatusReply<T>>, Command> command) {
        return await(AskPattern.askWithStatus(actor, command, TIMEOUT, testKit.scheduler()));
    }

    private static <T> Throwable askFailure(ActorRef<Command> actor, Function<ActorRef<StatusReply<T>>, Command> command) {
        CompletionStage<T> stage = AskPattern.askWithStatus(actor, command, TIMEOUT, testKit.scheduler());
        try {
            stage.toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected a failure reply");
    }

    private static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void bindConnectSendAndReceiveByAskOverTcp() {
        ActorRef<Command> pull = socketActor(SocketType.PULL);
        ActorRef<Command> push = socketActor(SocketType.PUSH);
        String ep = ZmqSocketActorTest.<String>ask(pull, r -> new ZmqSocketActor.Bind("tcp://127.0.0.1:*", r));
        assertThat(ep).startsWith("tcp://127.0.0.1:").doesNotEndWith(":*");
        assertThat(ZmqSocketActorTest.<Done>ask(push, r -> new ZmqSocketActor.Connect(ep, r))).isEqualTo(Done.getInstance());
        for (int i = 0; i < 10; i++) {
            Msg m = Msg.of("m" + i, "second frame");
            assertThat(ZmqSocketActorTest.<Done>ask(push, r -> new ZmqSocketActor.Send(m, r))).isEqualTo(Done.getInstance());
        }
        for (int i = 0; i < 10; i++) {
            Msg got = ZmqSocketActorTest.<Msg>ask(pull, ZmqSocketActor.Receive::new);
            assertThat(got).isEqualTo(Msg.of("m" + i, "second frame"));
        }
    }

    @Test
    void subscriberActorGetsOnlyItsTopicsFromAPublisherActor() {
        ActorRef<Command> pub = socketActor(SocketType.PUB);
        ActorRef<Command> sub = socketActor(SocketType.SUB);
        ZmqSocketActorTest.<String>ask(pub, r -> new ZmqSocketActor.Bind("inproc://typed-news", r));
        ZmqSocketActorTest.<Done>ask(sub, r -> new ZmqSocketActor.Subscribe("a", r));
        ZmqSocketActorTest.<Done>ask(sub, r -> new ZmqSocketActor.Subscribe("sync", r));
        ZmqSocketActorTest.<Done>ask(sub, r -> new ZmqSocketActor.Connect("inproc://typed-news", r));
        TestProbe<Delivery> subscriber = testKit.createTestProbe();
        ZmqSocketActorTest.<Done>ask(sub, r -> new ZmqSocketActor.Deliver(subscriber.getRef(), r));

        // Subscriptions reach the publisher asynchronously (the "slow joiner"): publish "sync" until one arrives.
        long end = System.nanoTime() + TIMEOUT.toNanos();
        Delivery first = null;
        while (first == null) {
            if (System.nanoTime() > end) {
                throw new AssertionError("the subscription never reached the publisher");
            }
            ZmqSocketActorTest.<Done>ask(pub, r -> new ZmqSocketActor.Send(Msg.of("sync"), r));
            try {
                first = subscriber.receiveMessage(Duration.ofMillis(50));
            } catch (AssertionError noneYet) {
                // publish another
            }
        }
        first.ack();
        for (String topic : new String[] {"b-1", "a-1", "bb", "a-2", "end"}) {
            ZmqSocketActorTest.<Done>ask(pub, r -> new ZmqSocketActor.Send(Msg.of(topic, "body"), r));
        }
        ZmqSocketActorTest.<Done>ask(pub, r -> new ZmqSocketActor.Send(Msg.of("sync", "end"), r));
        java.util.List<String> got = new java.util.ArrayList<>();
        while (true) {
            Delivery d = subscriber.receiveMessage(TIMEOUT);
            d.ack();
            if (d.msg().firstString().equals("sync")) {
                if (d.msg().frameCount() == 2) {
                    break;
                }
                continue; // an extra priming message
            }
            got.add(d.msg().firstString());
        }
        assertThat(got).containsExactly("a-1", "a-2");
    }

    @Test
    void failuresComeBackAsErrorReplies() {
        ActorRef<Command> pull = socketActor(SocketType.PULL);
        Throwable notSupported = ZmqSocketActorTest.<Done>askFailure(pull, r -> new ZmqSocketActor.Send(Msg.of("x"), r));
        assertThat(notSupported).isInstanceOf(RzmqException.class);
        assertThat(((RzmqException) notSupported).code()).isEqualTo(RzmqException.Code.ENOTSUP);

        String ep = ZmqSocketActorTest.<String>ask(pull, r -> new ZmqSocketActor.Bind("tcp://127.0.0.1:*", r));
        ActorRef<Command> other = socketActor(SocketType.PULL);
        Throwable inUse = ZmqSocketActorTest.<String>askFailure(other, r -> new ZmqSocketActor.Bind(ep, r));
        assertThat(inUse).isInstanceOf(RzmqException.class);
        assertThat(((RzmqException) inUse).code()).isEqualTo(RzmqException.Code.EADDRINUSE);
    }

    @Test
    void deliveriesStopAtTheWindowUntilAcked() {
        ActorRef<Command> pull = socketActor(SocketType.PULL);
        ZmqSocketActorTest.<String>ask(pull, r -> new ZmqSocketActor.Bind("inproc://deliver", r));
        TestProbe<Delivery> subscriber = testKit.createTestProbe();
        ZmqSocketActorTest.<Done>ask(pull, r -> new ZmqSocketActor.Deliver(subscriber.getRef(), 4, r));

        ZSocket push = ZSocket.create(ctx, SocketType.PUSH);
        await(push.connect("inproc://deliver"));
        for (int i = 0; i < 20; i++) {
            await(push.send(Msg.of("m" + i)));
        }
        // Four deliveries, then nothing while none is acked.
        Delivery[] first = new Delivery[4];
        for (int i = 0; i < 4; i++) {
            first[i] = subscriber.receiveMessage(TIMEOUT);
            assertThat(first[i].msg().firstString()).isEqualTo("m" + i);
        }
        subscriber.expectNoMessage(QUIET);

        // Two acks let exactly two more through.
        first[0].ack();
        first[1].ack();
        for (int i = 4; i < 6; i++) {
            assertThat(subscriber.receiveMessage(TIMEOUT).msg().firstString()).isEqualTo("m" + i);
        }
        subscriber.expectNoMessage(QUIET);

        // Acking as we go drains the rest, in order.
        first[2].ack();
        first[3].ack();
        // The two delivered above are still unacked: ack them now (by count).
        pull.tell(new ZmqSocketActor.Ack(2));
        for (int i = 6; i < 20; i++) {
            Delivery d = subscriber.receiveMessage(TIMEOUT);
            assertThat(d.msg().firstString()).isEqualTo("m" + i);
            d.ack();
        }
    }

    @Test
    void excessAcksDoNotWidenTheWindow() {
        ActorRef<Command> pull = socketActor(SocketType.PULL);
        ZmqSocketActorTest.<String>ask(pull, r -> new ZmqSocketActor.Bind("inproc://excess", r));
        TestProbe<Delivery> subscriber = testKit.createTestProbe();
        ZmqSocketActorTest.<Done>ask(pull, r -> new ZmqSocketActor.Deliver(subscriber.getRef(), 2, r));
        // Acks for deliveries that never happened are ignored.
        pull.tell(new ZmqSocketActor.Ack(100));
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH);
        await(push.connect("inproc://excess"));
        for (int i = 0; i < 10; i++) {
            await(push.send(Msg.of("m" + i)));
        }
        subscriber.receiveMessage(TIMEOUT);
        subscriber.receiveMessage(TIMEOUT);
        subscriber.expectNoMessage(QUIET);
    }

    @Test
    void closeRepliesStopsTheActorAndFreesThePort() {
        ActorRef<Command> pull = socketActor(SocketType.PULL);
        String ep = ZmqSocketActorTest.<String>ask(pull, r -> new ZmqSocketActor.Bind("tcp://127.0.0.1:*", r));
        TestProbe<Object> watcher = testKit.createTestProbe();
        assertThat(ZmqSocketActorTest.<Done>ask(pull, ZmqSocketActor.Close::new)).isEqualTo(Done.getInstance());
        watcher.expectTerminated(pull, TIMEOUT);
        ZSocket again = ZSocket.create(ctx, SocketType.PULL);
        assertThat(await(again.bind(ep))).isEqualTo(ep);
    }

    @Test
    void stoppingTheSubscriberClosesTheSocket() {
        ActorRef<Command> pull = socketActor(SocketType.PULL);
        String ep = ZmqSocketActorTest.<String>ask(pull, r -> new ZmqSocketActor.Bind("tcp://127.0.0.1:*", r));
        TestProbe<Delivery> subscriber = testKit.createTestProbe();
        ZmqSocketActorTest.<Done>ask(pull, r -> new ZmqSocketActor.Deliver(subscriber.getRef(), r));
        subscriber.stop();
        TestProbe<Object> watcher = testKit.createTestProbe();
        watcher.expectTerminated(pull, TIMEOUT);
        // The socket went with the actor: its port can be bound again.
        ZSocket again = ZSocket.create(ctx, SocketType.PULL);
        long end = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            try {
                assertThat(await(again.bind(ep))).isEqualTo(ep);
                return;
            } catch (AssertionError e) {
                // the close (PostStop) may still be releasing the port
                if (System.nanoTime() > end) {
                    throw e;
                }
            }
        }
    }

    @Test
    void commandsSentBeforeTheSocketExistsAreKeptInOrder() {
        ActorRef<Command> push = socketActor(SocketType.PUSH);
        TestProbe<StatusReply<Done>> replies = testKit.createTestProbe();
        // No ask: these go in right after spawning, while the socket is still being created.
        push.tell(new ZmqSocketActor.Connect("inproc://early", replies.getRef()));
        for (int i = 0; i < 5; i++) {
            push.tell(new ZmqSocketActor.Send(Msg.of("m" + i), replies.getRef()));
        }
        for (int i = 0; i < 6; i++) {
            assertThat(replies.receiveMessage(TIMEOUT).isSuccess()).isTrue();
        }
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL);
        await(pull.bind("inproc://early"));
        for (int i = 0; i < 5; i++) {
            assertThat(await(pull.receive()).firstString()).isEqualTo("m" + i);
        }
    }

    /** The next event of {@code kind}, skipping others, within the timeout. */
    private static MonitorEvent nextOfKind(TestProbe<MonitorEvent> probe, MonitorEventKind kind) {
        java.util.List<MonitorEvent> seen = probe.fishForMessage(TIMEOUT, "a " + kind + " event",
            e -> e.kind() == kind ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
        return seen.get(seen.size() - 1);
    }

    @Test
    void monitorSendsTheSocketsEventsUntilStopped() {
        ActorRef<Command> pull = socketActor(SocketType.PULL);
        TestProbe<MonitorEvent> events = testKit.createTestProbe(MonitorEvent.class);
        // Sent at once: a Monitor stashed while the socket is created still sees the bind.
        TestProbe<StatusReply<Done>> monitorReply = testKit.createTestProbe();
        pull.tell(new ZmqSocketActor.Monitor(events.getRef(), monitorReply.getRef()));
        String ep = ask(pull, r -> new ZmqSocketActor.Bind("tcp://127.0.0.1:*", r));
        assertThat(monitorReply.receiveMessage(TIMEOUT).isSuccess()).isTrue();
        assertThat(nextOfKind(events, MonitorEventKind.LISTENING).endpoint()).isEqualTo(ep);

        ZSocket push = ZSocket.create(ctx, SocketType.PUSH);
        await(push.connect(ep));
        assertThat(nextOfKind(events, MonitorEventKind.ACCEPTED).endpoint()).isEqualTo(ep);
        assertThat(nextOfKind(events, MonitorEventKind.HANDSHAKE_SUCCEEDED).endpoint()).isEqualTo(ep);

        Done stopped = ask(pull, r -> new ZmqSocketActor.StopMonitor(events.getRef(), r));
        assertThat(stopped).isEqualTo(Done.getInstance());
        assertThat(nextOfKind(events, MonitorEventKind.MONITOR_STOPPED)).isNotNull();
        // Stopping again: it is no longer a monitor.
        Throwable again = askFailure(pull, (ActorRef<StatusReply<Done>> r) -> new ZmqSocketActor.StopMonitor(events.getRef(), r));
        assertThat(again).isInstanceOf(RzmqException.class);
        assertThat(((RzmqException) again).code()).isEqualTo(RzmqException.Code.ENOENT);
    }

    @Test
    void aMonitorHearsMonitorStoppedWhenTheActorCloses() {
        ActorRef<Command> pub = socketActor(SocketType.PUB);
        TestProbe<MonitorEvent> events = testKit.createTestProbe(MonitorEvent.class);
        Done watching = ask(pub, r -> new ZmqSocketActor.Monitor(events.getRef(), r));
        assertThat(watching).isEqualTo(Done.getInstance());
        String bound = ask(pub, r -> new ZmqSocketActor.Bind("tcp://127.0.0.1:*", r));
        assertThat(bound).startsWith("tcp://127.0.0.1:");
        nextOfKind(events, MonitorEventKind.LISTENING);
        Done closed = ask(pub, ZmqSocketActor.Close::new);
        assertThat(closed).isEqualTo(Done.getInstance());
        assertThat(nextOfKind(events, MonitorEventKind.CLOSED)).isNotNull();
        assertThat(nextOfKind(events, MonitorEventKind.MONITOR_STOPPED)).isNotNull();
    }
}
