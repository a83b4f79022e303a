package io.rzmq.pekko.internal.transport.ipc;

import io.rzmq.pekko.api.Await;
import io.rzmq.pekko.Rzmq;
import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.pekko.api.ZContext;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.rzmq.pekko.api.Await.result;
import static io.rzmq.pekko.api.Await.until;
import static org.assertj.core.api.Assertions.assertThat;

/** PAIR, XPUB and XSUB rzmq <-> rzmq over ipc:// (PUSH/PULL and PUB/SUB are in IpcSocketTest). */
class IpcDistributionTest {
    static final ActorTestKit testKit = ActorTestKit.create();

    ZContext ctx;

    @BeforeEach
    void newContext() {
        ctx = Rzmq.get(testKit.system()).newContext("ipc-distribution");
    }

    @AfterEach
    void closeContext() {
        result(ctx.close(Duration.ZERO));
    }

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    /** "wildcard" binds a fresh path, "abstract" a fresh @name. */
    static String bindAddress(String kind) {
        return kind.equals("abstract") ? "ipc://@rzmq-dist-" + UUID.randomUUID() : "ipc://*";
    }

    ZSocket socket(SocketType type) {
        return ZSocket.create(ctx, type, SocketOptions.defaults().withLinger(Duration.ZERO));
    }

    static Msg notification(int kind, String topic) {
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        byte[] b = new byte[t.length + 1];
        b[0] = (byte) kind;
        System.arraycopy(t, 0, b, 1, t.length);
        return Msg.of(Frame.wrap(b));
    }

    @ParameterizedTest
    @ValueSource(strings = {"wildcard", "abstract"})
    void pairTalksBothWaysAndIgnoresASecondPeer(String kind) {
        ZSocket a = socket(SocketType.PAIR);
        String ep = result(a.bind(bindAddress(kind)));
        ZSocket b = socket(SocketType.PAIR);
        result(b.connect(ep));
        until("the pair is connected", () -> result(a.status()).readyPeers() == 1);
        ZSocket intruder = socket(SocketType.PAIR);
        result(intruder.connect(ep));
        result(intruder.send(Msg.of("intruder")));
        for (int i = 0; i < 20; i++) {
            result(a.send(Msg.of("a" + i)));
            assertThat(result(b.receive())).isEqualTo(Msg.of("a" + i));
            result(b.send(Msg.of("b" + i)));
            assertThat(result(a.receive())).isEqualTo(Msg.of("b" + i));
        }
        assertThat(a.tryReceive()).isNull();
        assertThat(intruder.tryReceive()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"wildcard", "abstract"})
    void xpubSeesSubscriptionsAndTheirCancellationWhenASubscriberGoes(String kind) {
        ZSocket xpub = socket(SocketType.XPUB);
        String ep = result(xpub.bind(bindAddress(kind)));
        ZSocket s1 = socket(SocketType.SUB);
        ZSocket s2 = socket(SocketType.SUB);
        result(s1.connect(ep));
        result(s2.connect(ep));
        until("two subscribers connected", () -> result(xpub.status()).readyPeers() == 2);

        result(s1.subscribe("news"));
        assertThat(result(xpub.receive())).isEqualTo(notification(1, "news"));
        result(s2.subscribe("sport"));
        assertThat(result(xpub.receive())).isEqualTo(notification(1, "sport"));

        result(s2.close());
        assertThat(result(xpub.receive())).isEqualTo(notification(0, "sport"));

        result(xpub.send(Msg.of("news", "today")));
        assertThat(result(s1.receive())).isEqualTo(Msg.of("news", "today"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"wildcard", "abstract"})
    void xsubSubscribesUpstreamWithMessages(String kind) {
        ZSocket pub = socket(SocketType.PUB);
        String ep = result(pub.bind(bindAddress(kind)));
        ZSocket xsub = socket(SocketType.XSUB);
        result(xsub.connect(ep));
        result(xsub.send(notification(1, "a")));
        long end = System.nanoTime() + Await.DEADLINE.toNanos();
        Msg got = null;
        while (got == null && System.nanoTime() < end) {
            result(pub.send(Msg.of("b-topic", "not subscribed")));
            result(pub.send(Msg.of("a-topic", "x")));
            got = xsub.tryReceive();
            Thread.onSpinWait();
        }
        assertThat(got).as("a message for the XSUB's subscription").isEqualTo(Msg.of("a-topic", "x"));
        for (Msg m = xsub.tryReceive(); m != null; m = xsub.tryReceive()) {
            assertThat(List.of(m)).containsOnly(Msg.of("a-topic", "x"));
        }
    }
}
