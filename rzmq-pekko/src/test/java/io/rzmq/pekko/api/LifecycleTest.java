package io.rzmq.pekko.api;

import io.rzmq.pekko.Rzmq;
import io.rzmq.pekko.model.RzmqException;
import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

import static io.rzmq.pekko.api.Await.failure;
import static io.rzmq.pekko.api.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** LINGER, context close, actor-system shutdown, actor delivery. */
class LifecycleTest {
    static final ActorTestKit testKit = ActorTestKit.create();

    ZContext ctx;

    @BeforeEach
    void newContext() {
        ctx = Rzmq.get(testKit.system()).newContext("lifecycle");
    }

    @AfterEach
    void closeContext() {
        result(ctx.close(Duration.ZERO));
    }

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    private ZSocket push(Duration linger) {
        return ZSocket.create(ctx, SocketType.PUSH, ctx.defaultOptions().withLinger(linger));
    }

    @Test
    void lingerForeverDeliversWhatWasQueuedBeforeClose() {
        ZSocket push = push(Duration.ofMillis(-1));
        result(push.connect("inproc://linger-forever"));
        for (int i = 0; i < 5; i++) {
            result(push.send(Msg.of("m" + i)));
        }
        result(push.close());
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL);
        result(pull.bind("inproc://linger-forever"));
        for (int i = 0; i < 5; i++) {
            assertThat(result(pull.receive()).firstString()).isEqualTo("m" + i);
        }
    }

    @Test
    void lingerZeroDiscardsWhatWasQueued() {
        ZSocket dropped = push(Duration.ZERO);
        result(dropped.connect("inproc://linger-zero"));
        for (int i = 0; i < 5; i++) {
            result(dropped.send(Msg.of("old" + i)));
        }
        result(dropped.close());
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL);
        result(pull.bind("inproc://linger-zero"));
        ZSocket marker = push(Duration.ofMillis(-1));
        result(marker.connect("inproc://linger-zero"));
        result(marker.send(Msg.of("marker")));
        // Anything the closed socket had queued would have reached the puller before the marker did.
        assertThat(result(pull.receive()).firstString()).isEqualTo("marker");
        assertThat(pull.tryReceive()).isNull();
    }

    @Test
    void positiveLingerEndsCloseEvenWhenNobodyReads() {
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH,
            ctx.defaultOptions().withSndHwm(2).withLinger(Duration.ofMillis(100)));
        result(push.connect("inproc://linger-short"));  // nobody binds: nothing can leave
        int queued = 0;
        while (push.trySend(Msg.of("x"))) {
            queued++;
        }
        assertThat(queued).isPositive();
        CompletionStage<?> parked = push.send(Msg.of("parked"));
        result(push.close());
        assertThat(failure(parked).code()).isEqualTo(RzmqException.Code.ETERM);
    }

    @Test
    void pendingReceiveFailsWhenTheSocketCloses() {
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL);
        CompletionStage<Msg> pending = pull.receive();
        result(pull.close());
        assertThat(failure(pending).code()).isEqualTo(RzmqException.Code.ETERM);
        assertThatThrownBy(pull::tryReceive).isInstanceOf(RzmqException.class);
    }

    @Test
    void closingTheContextClosesItsSockets() {
        ZContext own = Rzmq.get(testKit.system()).newContext("own");
        ZSocket pull = ZSocket.create(own, SocketType.PULL);
        ZSocket push = ZSocket.create(own, SocketType.PUSH);
        result(pull.bind("inproc://ctx"));
        result(push.connect("inproc://ctx"));
        CompletionStage<Msg> pending = pull.receive(Duration.ofSeconds(30));
        result(own.close());
        assertThat(own.isClosed()).isTrue();
        assertThat(failure(pending).code()).isEqualTo(RzmqException.Code.ETERM);
        assertThat(push.isClosed()).isTrue();
        result(push.close());
        assertThat(failure(push.send(Msg.of("x"))).code()).isEqualTo(RzmqException.Code.ETERM);
        assertThatThrownBy(() -> ZSocket.create(own, SocketType.PUSH))
            .isInstanceOfSatisfying(RzmqException.class, e -> assertThat(e.code()).isEqualTo(RzmqException.Code.ETERM));
    }

    @Test
    void contextsHaveSeparateInprocNamespaces() {
        ZContext other = Rzmq.get(testKit.system()).newContext("other");
        try {
            ZSocket a = ZSocket.create(ctx, SocketType.PULL);
            ZSocket b = ZSocket.create(other, SocketType.PULL);
            result(a.bind("inproc://same-name"));
            result(b.bind("inproc://same-name"));
        } finally {
            result(other.close(Duration.ZERO));
        }
    }

    @Test
    void actorSystemShutdownClosesEverythingEvenALingeringSocket() {
        ActorTestKit own = ActorTestKit.create("rzmq-shutdown");
        ZContext c = Rzmq.get(own.system()).defaultContext();
        // LINGER -1 and no peer at all: without the shutdown cap its close would wait for ever.
        ZSocket push = ZSocket.create(c, SocketType.PUSH);
        result(push.connect("inproc://stuck")); // nobody binds: what is sent stays in the pipe
        for (int i = 0; i < 10; i++) {
            result(push.send(Msg.of("stuck")));
        }
        ZSocket pull = ZSocket.create(c, SocketType.PULL);
        CompletionStage<Msg> pending = pull.receive();
        own.shutdownTestKit(); // CoordinatedShutdown caps LINGER (rzmq.context.shutdown-linger)
        result(push.close());
        result(pull.close());
        assertThat(failure(pending).code()).isEqualTo(RzmqException.Code.ETERM);
        assertThat(push.isClosed()).isTrue();
        result(c.close());
    }

    @Test
    void deliverToPushesMessagesToAnActorWithBoundedInFlight() {
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL);
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH);
        result(pull.bind("inproc://deliver"));
        result(push.connect("inproc://deliver"));
        TestProbe<Msg> probe = testKit.createTestProbe();
        result(pull.deliverTo(probe.ref(), 2));
        for (int i = 0; i < 5; i++) {
            result(push.send(Msg.of("d" + i)));
        }
        assertThat(probe.receiveMessage().firstString()).isEqualTo("d0");
        assertThat(probe.receiveMessage().firstString()).isEqualTo("d1");
        probe.expectNoMessage(Duration.ofMillis(100)); // two in flight, no acks yet
        pull.ack(1);
        assertThat(probe.receiveMessage().firstString()).isEqualTo("d2");
        pull.ack(2);
        assertThat(probe.receiveMessage().firstString()).isEqualTo("d3");
        assertThat(probe.receiveMessage().firstString()).isEqualTo("d4");
        assertThat(failure(pull.receive()).code()).isEqualTo(RzmqException.Code.EINVAL);
    }

    @Test
    void unbindAndDisconnectDropTheirPipes() {
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL);
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH, ctx.defaultOptions().withSndHwm(4));
        result(pull.bind("inproc://ub"));
        result(push.connect("inproc://ub"));
        result(push.send(Msg.of("before")));
        assertThat(result(pull.receive()).firstString()).isEqualTo("before");
        result(push.disconnect("inproc://ub"));
        assertThat(failure(push.disconnect("inproc://ub")).code()).isEqualTo(RzmqException.Code.ENOENT);
        result(pull.unbind("inproc://ub"));
        assertThat(failure(pull.unbind("inproc://ub")).code()).isEqualTo(RzmqException.Code.ENOENT);
        // The name is free again.
        ZSocket again = ZSocket.create(ctx, SocketType.PULL);
        result(again.bind("inproc://ub"));
        result(push.connect("inproc://ub"));
        result(push.send(Msg.of("after")));
        assertThat(result(again.receive()).firstString()).isEqualTo("after");
    }

    @Test
    void settingsComeFromReferenceConf() {
        SocketOptions d = Rzmq.get(testKit.system()).settings().socketDefaults();
        assertThat(d.sndHwm()).isEqualTo(1000);
        assertThat(d.rcvHwm()).isEqualTo(1000);
        assertThat(d.linger().isNegative()).isTrue();
        assertThat(d.reconnectIvl()).isEqualTo(Duration.ofMillis(100));
        assertThat(d.reconnectIvlMax()).isEqualTo(Duration.ZERO);
        assertThat(d.handshakeIvl()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.maxMsgSize()).as("finite by default, unlike libzmq").isEqualTo(256L * 1024 * 1024);
        assertThat(d.backlog()).isEqualTo(100);
    }
}
