package io.rzmq.pekko.typed;

import io.rzmq.pekko.Rzmq;
import io.rzmq.pekko.model.RzmqException;
import io.rzmq.pekko.api.ZContext;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.pekko.internal.socket.SocketStatus;
import io.rzmq.pekko.typed.ZmqSocketActor.Command;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.rzmq.pekko.api.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12, defect 3, typed protocol: every request the actor took gets a reply, also when the actor or its
 * socket stops while the request waits.
 */
class ZmqSocketActorCloseTest {
    static final ActorTestKit testKit = ActorTestKit.create();
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    ZContext ctx;

    @BeforeEach
    void newContext() {
        ctx = Rzmq.get(testKit.system()).newContext("typed-close");
    }

    @AfterEach
    void closeContext() {
        ctx.close(Duration.ZERO).toCompletableFuture().join();
    }

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    private ActorRef<Command> socketActor(SocketType type) {
        return testKit.spawn(ZmqSocketActor.create(ctx, type, ctx.defaultOptions().withLinger(Duration.ZERO)));
    }

    private static RzmqException.Code errorCode(StatusReply<?> reply) {
        assertThat(reply.isError()).as("an error reply, got " + reply).isTrue();
        assertThat(reply.getError()).isInstanceOf(RzmqException.class);
        return ((RzmqException) reply.getError()).code();
    }

    @Test
    void aReceiveWaitingWhenTheActorStopsIsAnsweredWithEterm() {
        ActorRef<Command> pull = socketActor(SocketType.PULL);
        TestProbe<StatusReply<String>> bound = testKit.createTestProbe();
        pull.tell(new ZmqSocketActor.Bind("inproc://typed-stop", bound.ref()));
        assertThat(bound.expectMessageClass(StatusReply.class, TIMEOUT).isSuccess()).isTrue();

        TestProbe<StatusReply<Msg>> received = testKit.createTestProbe();
        pull.tell(new ZmqSocketActor.Receive(received.ref()));
        // The actor took the Receive once it answers a later command. A stop is a system message: sent at
        // once it can overtake a Receive still in the mailbox, which then is a dead letter nobody answers.
        TestProbe<StatusReply<SocketStatus>> status = testKit.createTestProbe();
        pull.tell(new ZmqSocketActor.GetStatus(status.ref()));
        assertThat(status.expectMessageClass(StatusReply.class, TIMEOUT).isSuccess()).isTrue();
        // Stopped from outside (a parent stopping, say), not by Close: its socket closes in PostStop.
        testKit.stop(pull, TIMEOUT);
        assertThat(errorCode(received.expectMessageClass(StatusReply.class, TIMEOUT)))
            .isEqualTo(RzmqException.Code.ETERM);
    }

    @Test
    void aSendWaitingWhenCloseArrivesIsAnsweredAndSoIsEveryClose() {
        // The close must not be able to finish before the second Close is in the actor's mailbox: a Close
        // told after the actor stopped is a dead letter nobody answers. (With no peer and LINGER 0 the first
        // close could complete, and the actor stop, while the test thread had not yet told the second.)
        // So: LINGER for ever, a message queued in a tcp session's pipe, and a peer that listens only once
        // both Closes were told: the session lingers until it has delivered it. (Over inproc nothing lingers
        // now: with no queue in front of the pipes a close does not wait for an inproc peer, as libzmq's.)
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        String name = "tcp://127.0.0.1:" + port;
        ActorRef<Command> push = testKit.spawn(ZmqSocketActor.create(ctx, SocketType.PUSH,
            ctx.defaultOptions().withSndHwm(1).withLinger(Duration.ofMillis(-1)).withReconnectIvl(Duration.ofMillis(20))));
        TestProbe<StatusReply<Done>> connected = testKit.createTestProbe();
        push.tell(new ZmqSocketActor.Connect(name, connected.ref()));
        connected.expectMessage(TIMEOUT, StatusReply.success(Done.getInstance()));
        TestProbe<StatusReply<Done>> sent = testKit.createTestProbe();
        // SNDHWM 1, nobody listening yet: the session's pipe holds one, the second send waits.
        for (int i = 0; i < 2; i++) {
            push.tell(new ZmqSocketActor.Send(Msg.of("m" + i), sent.ref()));
        }
        sent.expectMessage(TIMEOUT, StatusReply.success(Done.getInstance()));
        TestProbe<StatusReply<Done>> closed1 = testKit.createTestProbe();
        TestProbe<StatusReply<Done>> closed2 = testKit.createTestProbe();
        push.tell(new ZmqSocketActor.Close(closed1.ref()));
        push.tell(new ZmqSocketActor.Close(closed2.ref()));
        assertThat(errorCode(sent.expectMessageClass(StatusReply.class, TIMEOUT))).isEqualTo(RzmqException.Code.ETERM);
        // Now the peer: what the socket queued drains to it, which lets the close complete.
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL);
        result(pull.bind(name));
        closed1.expectMessage(TIMEOUT, StatusReply.success(Done.getInstance()));
        closed2.expectMessage(TIMEOUT, StatusReply.success(Done.getInstance()));
        assertThat(result(pull.receive()).firstString()).isEqualTo("m0");
        TestProbe<Void> watcher = testKit.createTestProbe();
        watcher.expectTerminated(push, TIMEOUT);
    }
}
