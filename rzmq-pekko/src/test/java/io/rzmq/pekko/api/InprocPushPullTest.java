package io.rzmq.pekko.api;

import io.rzmq.pekko.Rzmq;
import io.rzmq.pekko.model.RzmqException;
import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import static io.rzmq.pekko.api.Await.failure;
import static io.rzmq.pekko.api.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InprocPushPullTest {
    static final ActorTestKit testKit = ActorTestKit.create();

    ZContext ctx;

    @BeforeEach
    void newContext() {
        ctx = Rzmq.get(testKit.system()).newContext("pushpull");
    }

    @AfterEach
    void closeContext() {
        result(ctx.close(Duration.ZERO));
    }

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    private ZSocket socket(SocketType type) {
        return ZSocket.create(ctx, type);
    }

    @Test
    void multipartZeroByteAndLargeMessagesArriveWhole() {
        ZSocket pull = socket(SocketType.PULL);
        ZSocket push = socket(SocketType.PUSH);
        assertThat(result(pull.bind("inproc://whole"))).isEqualTo("inproc://whole");
        result(push.connect("inproc://whole"));

        byte[] big = new byte[10 * 1024 * 1024];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        Msg multipart = Msg.of("topic", "", "body");
        Msg empty = Msg.of(new byte[0]);
        Msg large = Msg.of(big);
        result(push.send(multipart));
        result(push.send(empty));
        result(push.send(large));

        Msg m1 = result(pull.receive());
        assertThat(m1.frameCount()).isEqualTo(3);
        assertThat(m1).isEqualTo(multipart);
        Msg m2 = result(pull.receive());
        assertThat(m2.frameCount()).isEqualTo(1);
        assertThat(m2.first().size()).isZero();
        Msg m3 = result(pull.receive());
        assertThat(m3.first().size()).isEqualTo(big.length);
        assertThat(m3.first()).isEqualTo(Frame.wrap(big));
    }

    @Test
    void connectBeforeBindQueuesUntilTheBindAppears() {
        ZSocket push = socket(SocketType.PUSH);
        result(push.connect("inproc://later"));
        for (int i = 0; i < 5; i++) {
            result(push.send(Msg.of("m" + i)));
        }
        ZSocket pull = socket(SocketType.PULL);
        result(pull.bind("inproc://later"));
        for (int i = 0; i < 5; i++) {
            assertThat(result(pull.receive()).firstString()).isEqualTo("m" + i);
        }
    }

    @Test
    void pushRoundRobinsOverItsPeers() {
        ZSocket push = socket(SocketType.PUSH);
        result(push.bind("inproc://rr"));
        List<ZSocket> pulls = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ZSocket pull = socket(SocketType.PULL);
            result(pull.connect("inproc://rr"));
            pulls.add(pull);
        }
        // Peers attach asynchronously (as with libzmq); wait until the pusher has seen all three.
        assertThat(result(push.status()).readyPeers()).isEqualTo(3);
        for (int i = 0; i < 30; i++) {
            result(push.send(Msg.of(Integer.toString(i))));
        }
        // Each peer gets every third message, in order: strict rotation, nothing skipped or repeated.
        List<Integer> firsts = new ArrayList<>();
        for (ZSocket pull : pulls) {
            List<Integer> got = new ArrayList<>();
            for (int k = 0; k < 10; k++) {
                got.add(Integer.parseInt(result(pull.receive()).firstString()));
            }
            for (int k = 1; k < 10; k++) {
                assertThat(got.get(k) - got.get(k - 1)).as(got.toString()).isEqualTo(3);
            }
            firsts.add(got.get(0));
        }
        assertThat(firsts).containsExactlyInAnyOrder(0, 1, 2);
    }

    @Test
    void pullFairQueuesItsPeers() {
        // Three pushers queue 10 messages each before the puller exists; with an inbox of 2 the puller
        // must take them in rotation rather than draining one peer first.
        for (String name : List.of("a", "b", "c")) {
            ZSocket push = socket(SocketType.PUSH);
            result(push.connect("inproc://fair"));
            for (int i = 0; i < 10; i++) {
                result(push.send(Msg.of(name, Integer.toString(i))));
            }
            result(push.close()); // LINGER -1: everything is in the pipe once close completes
        }
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL, ctx.defaultOptions().withRcvHwm(2));
        result(pull.bind("inproc://fair"));
        List<String> order = new ArrayList<>();
        Map<String, Integer> next = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            Msg m = result(pull.receive());
            String from = m.firstString();
            int seq = Integer.parseInt(m.frame(1).asString());
            assertThat(seq).as("per-peer order").isEqualTo(next.getOrDefault(from, 0));
            next.put(from, seq + 1);
            order.add(from);
        }
        List<String> first12 = order.subList(0, 12);
        for (String name : List.of("a", "b", "c")) {
            assertThat(first12.stream().filter(name::equals).count()).as(name + " in " + first12).isBetween(2L, 6L);
        }
    }

    @Test
    void manyPushersAllGetThrough() {
        ZSocket pull = socket(SocketType.PULL);
        result(pull.bind("inproc://many"));
        int peers = 8;
        int each = 500;
        for (int p = 0; p < peers; p++) {
            ZSocket push = socket(SocketType.PUSH);
            result(push.connect("inproc://many"));
            for (int i = 0; i < each; i++) {
                push.send(Msg.of("p" + p, Integer.toString(i)));
            }
        }
        Map<String, Integer> next = new HashMap<>();
        for (int i = 0; i < peers * each; i++) {
            Msg m = result(pull.receive());
            String from = m.firstString();
            int seq = Integer.parseInt(m.frame(1).asString());
            assertThat(seq).isEqualTo(next.getOrDefault(from, 0));
            next.put(from, seq + 1);
        }
        assertThat(next).hasSize(peers).allSatisfy((k, v) -> assertThat(v).isEqualTo(each));
    }

    @Test
    void pushWaitsWhenEveryPeerIsFullAndResumesWhenRoomAppears() {
        // Connected before anyone binds, so nobody reads: the pipe holds SNDHWM 8 + RCVHWM 8 (the connecter's
        // own, standing in for the binder's not known yet) = exactly 16 messages.
        // The 17th must wait (not drop) until a reader makes room.
        SocketOptions small = ctx.defaultOptions().withSndHwm(8).withRcvHwm(8);
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH, small);
        result(push.connect("inproc://bp"));
        List<CompletionStage<Done>> sends = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            sends.add(push.send(Msg.of(Integer.toString(i))));
        }
        for (CompletionStage<Done> s : sends) {
            result(s);
        }
        CompletionStage<Done> blocked = push.send(Msg.of("16"));
        assertThat(push.trySend(Msg.of("never"))).isFalse();
        assertThat(blocked.toCompletableFuture().isDone()).as("send while every peer is full").isFalse();

        ZSocket pull = ZSocket.create(ctx, SocketType.PULL, small);
        result(pull.bind("inproc://bp"));
        for (int i = 0; i < 16; i++) {
            assertThat(result(pull.receive()).firstString()).isEqualTo(Integer.toString(i));
        }
        result(blocked); // room appeared: the waiting send completed, and its message follows in order
        assertThat(result(pull.receive()).firstString()).isEqualTo("16");
        assertThat(pull.tryReceive()).isNull();
    }

    @Test
    void pushWithABusyPeerNeverDropsAndKeepsOrder() {
        // A slow reader behind small queues: the sender is held back again and again, nothing is lost.
        SocketOptions small = ctx.defaultOptions().withSndHwm(4).withRcvHwm(4);
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL, small);
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH, small);
        result(pull.bind("inproc://busy"));
        result(push.connect("inproc://busy"));
        int n = 5_000;
        List<CompletionStage<Done>> sends = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            sends.add(push.send(Msg.of(Integer.toString(i))));
        }
        assertThat(sends.stream().filter(s -> !s.toCompletableFuture().isDone()).count())
            .as("sends held back: at most outbox + pipe + inbox = 12 can be taken before the reader reads")
            .isGreaterThanOrEqualTo(n - 12);
        for (int i = 0; i < n; i++) {
            assertThat(result(pull.receive()).firstString()).isEqualTo(Integer.toString(i));
        }
        for (CompletionStage<Done> s : sends) {
            result(s);
        }
    }

    private static int drainCount(ZSocket s) {
        int n = 0;
        while (s.tryReceive() != null) {
            n++;
        }
        return n;
    }

    @Test
    void wrongDirectionAndClosedSocketsFailClearly() {
        ZSocket pull = socket(SocketType.PULL);
        ZSocket push = socket(SocketType.PUSH);
        assertThat(failure(pull.send(Msg.of("x"))).code()).isEqualTo(RzmqException.Code.ENOTSUP);
        assertThat(failure(push.receive()).code()).isEqualTo(RzmqException.Code.ENOTSUP);
        assertThat(failure(push.subscribe("a")).code()).isEqualTo(RzmqException.Code.ENOTSUP);
        assertThat(failure(push.bind("bogus")).code()).isEqualTo(RzmqException.Code.EINVAL);
        result(pull.bind("inproc://dup"));
        RzmqException dup = failure(push.bind("inproc://dup"));
        assertThat(dup.code()).isEqualTo(RzmqException.Code.EADDRINUSE);
        assertThat(dup.getMessage()).contains("inproc://dup");

        result(push.close());
        assertThat(failure(push.send(Msg.of("x"))).code()).isEqualTo(RzmqException.Code.ETERM);
        assertThatThrownBy(() -> push.trySend(Msg.of("x"))).isInstanceOf(RzmqException.class);
        assertThat(failure(push.connect("inproc://dup")).code()).isEqualTo(RzmqException.Code.ETERM);
        result(push.close()); // idempotent
    }

    @Test
    void incompatibleSocketTypesCannotConnect() {
        ZSocket pub = socket(SocketType.PUB);
        result(pub.bind("inproc://pub"));
        ZSocket push = socket(SocketType.PUSH);
        RzmqException e = failure(push.connect("inproc://pub"));
        assertThat(e.code()).isEqualTo(RzmqException.Code.EPROTO);
        assertThat(e.getMessage()).contains("PUSH").contains("PUB");
    }

    @Test
    void receiveWithTimeoutFailsWithEagainAndLaterReceivesStillWork() {
        ZSocket pull = socket(SocketType.PULL);
        ZSocket push = socket(SocketType.PUSH);
        result(pull.bind("inproc://timeout"));
        result(push.connect("inproc://timeout"));
        assertThat(failure(pull.receive(Duration.ofMillis(50))).code()).isEqualTo(RzmqException.Code.EAGAIN);
        CompletionStage<Msg> waiting = pull.receive();
        result(push.send(Msg.of("late")));
        assertThat(result(waiting).firstString()).isEqualTo("late");
    }
}
