package io.rzmq.pekko.api;

import io.rzmq.pekko.Rzmq;
import io.rzmq.pekko.model.RzmqException;
import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.rzmq.pekko.api.Await.failure;
import static io.rzmq.pekko.api.Await.result;
import static io.rzmq.pekko.api.Await.primeUntilReceived;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** CONFLATE: a slow reader sees the latest message, not a backlog. */
class ConflateTest {
    static final ActorTestKit testKit = ActorTestKit.create();
    private static final SocketOptions CONFLATE = SocketOptions.defaults().withConflate(true);
    private static final int COUNT = 5000;

    ZContext ctx;

    @BeforeEach
    void newContext() {
        ctx = Rzmq.get(testKit.system()).newContext("conflate");
    }

    @AfterEach
    void closeContext() {
        result(ctx.close(Duration.ZERO));
    }

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    /**
     * Sends m0..m(COUNT-1) and "last" without reading, then reads until "last": a conflating reader skips
     * almost everything (a queue would hand over all COUNT + 1 in order), and nothing stale is left after.
     */
    private static void assertSlowReaderSeesLatest(ZSocket sender, ZSocket reader) {
        for (int i = 0; i < COUNT; i++) {
            result(sender.send(Msg.of("m" + i)));
        }
        result(sender.send(Msg.of("last")));
        List<String> seen = new ArrayList<>();
        String s;
        do {
            s = result(reader.receive()).firstString();
            seen.add(s);
        } while (!s.equals("last"));
        assertThat(seen.size()).as("messages seen before the latest: %s", seen).isLessThan(COUNT / 2);
        int previous = -1;
        for (String x : seen.subList(0, seen.size() - 1)) {
            int i = Integer.parseInt(x.substring(1));
            assertThat(i).as("only ever newer messages").isGreaterThan(previous);
            previous = i;
        }
        assertThat(reader.tryReceive()).isNull();
    }

    @Test
    void aSlowPullSeesTheLatestMessageOnly() {
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL, CONFLATE);
        assertThat(pull.options().conflate()).isTrue();
        String endpoint = result(pull.bind("tcp://127.0.0.1:*"));
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH);
        result(push.connect(endpoint));
        assertSlowReaderSeesLatest(push, pull);
    }

    @Test
    void aSlowPullSeesTheLatestMessageOnlyOverInproc() {
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL, CONFLATE);
        result(pull.bind("inproc://conflated"));
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH);
        result(push.connect("inproc://conflated"));
        assertSlowReaderSeesLatest(push, pull);
    }

    @Test
    void aSlowSubSeesTheLatestMessageOnly() {
        // The PUB itself must not drop (it would for a full pipe, "last" included): room for everything.
        ZSocket pub = ZSocket.create(ctx, SocketType.PUB, ctx.defaultOptions().withSndHwm(4 * COUNT));
        String endpoint = result(pub.bind("tcp://127.0.0.1:*"));
        ZSocket sub = ZSocket.create(ctx, SocketType.SUB, CONFLATE);
        result(sub.subscribe(""));
        result(sub.connect(endpoint));
        primeUntilReceived(pub, sub, Msg.of("probe"));
        assertSlowReaderSeesLatest(pub, sub);
    }

    @Test
    void aConflatingPushKeepsOnlyTheLatestForAPeerThatIsNotThereYet() {
        ZSocket probe = ZSocket.create(ctx, SocketType.PULL);
        String endpoint = result(probe.bind("tcp://127.0.0.1:*"));
        result(probe.close());
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH, CONFLATE.withReconnectIvl(Duration.ofMillis(20)));
        result(push.connect(endpoint));
        for (int i = 0; i < COUNT; i++) {
            result(push.send(Msg.of("m" + i))); // never waits: nothing older is kept
        }
        result(push.send(Msg.of("last")));
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL);
        result(pull.bind(endpoint));
        assertThat(result(pull.receive()).firstString()).isEqualTo("last");
    }

    @Test
    void conflateIsRefusedWhereLibzmqDoesNotConflateAndForMultipartMessages() {
        assertThatThrownBy(() -> CONFLATE.checkFor(SocketType.ROUTER))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CONFLATE");
        CONFLATE.checkFor(SocketType.DEALER);

        ZSocket push = ZSocket.create(ctx, SocketType.PUSH, CONFLATE);
        assertThat(failure(push.send(Msg.of("a", "b"))).code()).isEqualTo(RzmqException.Code.EINVAL);
        assertThatThrownBy(() -> push.trySend(Msg.of("a", "b"))).isInstanceOf(RzmqException.class)
            .hasMessageContaining("multipart");
        assertThat(push.trySend(Msg.of("single"))).isTrue();
    }
}
