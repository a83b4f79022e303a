package io.rzmq.pekko.api;

import io.rzmq.pekko.testing.TcpTransportTest;
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
import static io.rzmq.pekko.api.Await.primeUntilReceived;
import static org.assertj.core.api.Assertions.assertThat;

/** rzmq <-> rzmq through the public API over real loopback TCP. */
@TcpTransportTest
class TcpSocketTest {
    static final ActorTestKit testKit = ActorTestKit.create();

    ZContext ctx;

    @BeforeEach
    void newContext() {
        ctx = Rzmq.get(testKit.system()).newContext("tcp");
    }

    @AfterEach
    void closeContext() {
        result(ctx.close(Duration.ZERO));
    }

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    @Test
    void bindToAnyPortReportsTheRealEndpointAndCarriesWholeMessages() {
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL);
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH);
        String endpoint = result(pull.bind("tcp://127.0.0.1:*"));
        assertThat(endpoint).startsWith("tcp://127.0.0.1:").doesNotEndWith(":0").doesNotEndWith(":*");
        result(push.connect(endpoint));

        byte[] big = new byte[10 * 1024 * 1024];
        for (int i = 0; i < big.length; i += 4096) {
            big[i] = (byte) (i >> 12);
        }
        Msg multipart = Msg.of("a", "", "ccc");
        result(push.send(multipart));
        result(push.send(Msg.of(new byte[0])));
        result(push.send(Msg.of("head".getBytes(), big)));
        assertThat(result(pull.receive())).isEqualTo(multipart);
        Msg empty = result(pull.receive());
        assertThat(empty.frameCount()).isEqualTo(1);
        assertThat(empty.first().size()).isZero();
        Msg large = result(pull.receive());
        assertThat(large.frameCount()).isEqualTo(2);
        assertThat(large.frame(1)).isEqualTo(Frame.wrap(big));
    }

    @Test
    void connectBeforeBindQueuesAndDeliversOnceTheListenerIsUp() {
        // Find a free port, then free it again, so the connect has nothing to talk to at first.
        ZSocket probe = ZSocket.create(ctx, SocketType.PULL);
        String endpoint = result(probe.bind("tcp://127.0.0.1:*"));
        result(probe.close());

        ZSocket push = ZSocket.create(ctx, SocketType.PUSH);
        result(push.connect(endpoint));
        for (int i = 0; i < 5; i++) {
            result(push.send(Msg.of("early" + i)));
        }
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL);
        result(pull.bind(endpoint));
        for (int i = 0; i < 5; i++) {
            assertThat(result(pull.receive()).firstString()).isEqualTo("early" + i);
        }
    }

    @Test
    void pushRoundRobinsAndPullFairQueuesOverTcp() {
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH);
        String endpoint = result(push.bind("tcp://127.0.0.1:*"));
        List<ZSocket> pulls = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ZSocket pull = ZSocket.create(ctx, SocketType.PULL);
            result(pull.connect(endpoint));
            pulls.add(pull);
        }
        Await.until("three peers handshaken", () -> result(push.status()).readyPeers() == 3);
        for (int i = 0; i < 30; i++) {
            result(push.send(Msg.of(Integer.toString(i))));
        }
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

        // Many pushers into one puller: everything arrives, each sender's messages in order.
        ZSocket sink = ZSocket.create(ctx, SocketType.PULL);
        String sinkEndpoint = result(sink.bind("tcp://127.0.0.1:*"));
        int peers = 5;
        int each = 1000;
        for (int p = 0; p < peers; p++) {
            ZSocket s = ZSocket.create(ctx, SocketType.PUSH);
            result(s.connect(sinkEndpoint));
            for (int i = 0; i < each; i++) {
                s.send(Msg.of("p" + p, Integer.toString(i)));
            }
        }
        Map<String, Integer> next = new HashMap<>();
        for (int i = 0; i < peers * each; i++) {
            Msg m = result(sink.receive());
            int seq = Integer.parseInt(m.frame(1).asString());
            assertThat(seq).isEqualTo(next.getOrDefault(m.firstString(), 0));
            next.put(m.firstString(), seq + 1);
        }
        assertThat(next).hasSize(peers);
    }

    @Test
    void pushIsHeldBackWhileTheTcpPeerDoesNotReadAndNothingIsLost() {
        SocketOptions small = ctx.defaultOptions().withSndHwm(10).withRcvHwm(10);
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL, small);
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH, small);
        String endpoint = result(pull.bind("tcp://127.0.0.1:*"));
        result(push.connect(endpoint));
        // 64 KiB messages fill the kernel's socket buffers quickly, so the sender must be held back.
        byte[] payload = new byte[64 * 1024];
        int n = 400;
        List<CompletionStage<Done>> sends = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            sends.add(push.send(Msg.of(Integer.toString(i).getBytes(), payload)));
        }
        Await.until("the sender is held back", () -> !sends.get(n - 1).toCompletableFuture().isDone()
            && result(push.status()).outbox() > 0);
        for (int i = 0; i < n; i++) {
            Msg m = result(pull.receive());
            assertThat(m.firstString()).isEqualTo(Integer.toString(i));
            assertThat(m.frame(1).size()).isEqualTo(payload.length);
        }
        for (CompletionStage<Done> s : sends) {
            result(s);
        }
    }

    @Test
    void pubSubFiltersLateJoinersAndDropsForASlowSubscriberOverTcp() {
        SocketOptions small = ctx.defaultOptions().withSndHwm(16).withRcvHwm(16);
        ZSocket pub = ZSocket.create(ctx, SocketType.PUB, small);
        String endpoint = result(pub.bind("tcp://127.0.0.1:*"));
        for (int i = 0; i < 100; i++) {
            result(pub.send(Msg.of("t", "before anyone listens")));
        }
        ZSocket fast = ZSocket.create(ctx, SocketType.SUB, small);
        ZSocket slow = ZSocket.create(ctx, SocketType.SUB, small);
        for (ZSocket s : List.of(fast, slow)) {
            result(s.connect(endpoint));
            result(s.subscribe("t"));
        }
        primeUntilReceived(pub, fast, Msg.of("t", "probe"));
        primeUntilReceived(pub, slow, Msg.of("t", "probe"));
        result(pub.send(Msg.of("other", "filtered")));
        // Lock-step with the fast subscriber; the slow one never reads and must not hold anyone back.
        byte[] payload = new byte[16 * 1024];
        int n = 500;
        for (int i = 0; i < n; i++) {
            result(pub.send(Msg.of("t".getBytes(), Integer.toString(i).getBytes(), payload)));
            Msg m;
            do {
                m = result(fast.receive());
                assertThat(m.firstString()).isEqualTo("t");
            } while (m.frame(1).asString().equals("probe"));
            assertThat(m.frame(1).asString()).isEqualTo(Integer.toString(i));
        }
        List<Integer> slowGot = new ArrayList<>();
        Msg m;
        while ((m = receiveBriefly(slow)) != null) {
            assertThat(m.firstString()).isEqualTo("t");
            if (!m.frame(1).asString().equals("probe")) {
                slowGot.add(Integer.parseInt(m.frame(1).asString()));
            }
        }
        assertThat(slowGot.size()).isLessThan(n);
        assertThat(slowGot).isSorted().doesNotHaveDuplicates();
    }

    private static Msg receiveBriefly(ZSocket s) {
        try {
            return result(s.receive(Duration.ofMillis(300)));
        } catch (RzmqException e) {
            return null;
        }
    }

    @Test
    void closeWithLingerDeliversQueuedMessagesOverTcp() {
        // A small receive side, so that most messages still wait in its pipe and in the kernel when the
        // sender closes the connection: they must be delivered all the same.
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL, ctx.defaultOptions().withRcvHwm(8));
        String endpoint = result(pull.bind("tcp://127.0.0.1:*"));
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH, ctx.defaultOptions().withLinger(Duration.ofSeconds(5)));
        result(push.connect(endpoint));
        Await.until("connected", () -> result(push.status()).readyPeers() == 1);
        byte[] payload = new byte[1024];
        int n = 1000;
        for (int i = 0; i < n; i++) {
            result(push.send(Msg.of(("l" + i).getBytes(), payload)));
        }
        result(push.close());
        for (int i = 0; i < n; i++) {
            assertThat(result(pull.receive()).firstString()).isEqualTo("l" + i);
        }
    }

    @Test
    void messagesThatArrivedBeforeThePeerLeftAreStillDelivered() {
        // 4 messages sit in the puller's pipe (RCVHWM 8) without the puller reading; then the pusher goes away.
        // Not 8 or more: a full pipe can leave the engine holding the last message with reading suspended
        // (the pipe wakes its writer only at half its HWM), and a reader that is not reading cannot see the
        // peer's FIN (libzmq behaves the same).
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL, ctx.defaultOptions().withRcvHwm(8));
        String endpoint = result(pull.bind("tcp://127.0.0.1:*"));
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH);
        result(push.connect(endpoint));
        for (int i = 0; i < 4; i++) {
            result(push.send(Msg.of("g" + i)));
        }
        result(push.close());
        Await.until("the puller saw its peer leave", () -> result(pull.status()).readyPeers() == 0);
        for (int i = 0; i < 4; i++) {
            assertThat(result(pull.receive()).firstString()).isEqualTo("g" + i);
        }
    }

    @Test
    void closeWithLingerZeroOnAnUnconnectedSocketDiscardsAndReturns() {
        ZSocket probe = ZSocket.create(ctx, SocketType.PULL);
        String endpoint = result(probe.bind("tcp://127.0.0.1:*"));
        result(probe.close());
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH, ctx.defaultOptions().withLinger(Duration.ZERO));
        result(push.connect(endpoint)); // nobody listens: messages wait in the session's pipe
        for (int i = 0; i < 10; i++) {
            result(push.send(Msg.of("lost" + i)));
        }
        result(push.close());
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL);
        result(pull.bind(endpoint));
        ZSocket marker = ZSocket.create(ctx, SocketType.PUSH);
        result(marker.connect(endpoint));
        result(marker.send(Msg.of("marker")));
        assertThat(result(pull.receive()).firstString()).isEqualTo("marker");
    }

    @Test
    void tcpErrorsAreClear() {
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL);
        String endpoint = result(pull.bind("tcp://127.0.0.1:*"));
        ZSocket other = ZSocket.create(ctx, SocketType.PULL);
        RzmqException inUse = failure(other.bind(endpoint));
        assertThat(inUse.code()).isIn(RzmqException.Code.EADDRINUSE, RzmqException.Code.EFAULT);
        assertThat(inUse.getMessage()).contains(endpoint.substring(endpoint.lastIndexOf(':') + 1));
        assertThat(failure(ZSocket.create(ctx, SocketType.PUSH).connect("tcp://127.0.0.1:*")).code())
            .isEqualTo(RzmqException.Code.EINVAL);
        result(pull.unbind(endpoint));
        assertThat(failure(pull.unbind(endpoint)).code()).isEqualTo(RzmqException.Code.ENOENT);
        // The port is free again.
        result(other.bind(endpoint));
    }
}
