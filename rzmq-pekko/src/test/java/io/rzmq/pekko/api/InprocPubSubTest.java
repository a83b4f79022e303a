package io.rzmq.pekko.api;

import io.rzmq.pekko.testing.PerTestContext;
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
import static io.rzmq.pekko.api.Await.primeUntilReceived;
import static io.rzmq.pekko.api.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

class InprocPubSubTest extends PerTestContext {
    /** Drains whatever probes are still queued for {@code sub}, up to {@code marker}. */
    static void skipUntil(ZSocket sub, String marker) {
        while (!result(sub.receive()).firstString().equals(marker)) {
            // an extra probe
        }
    }

    @Test
    void subscriberGetsMatchingTopicsOnlyWithMultipartAndEmptyAndLargeMessages() {
        ZSocket pub = ZSocket.create(ctx, SocketType.PUB);
        ZSocket sub = ZSocket.create(ctx, SocketType.SUB);
        result(pub.bind("inproc://news"));
        result(sub.connect("inproc://news"));
        result(sub.subscribe("weather"));
        result(sub.subscribe(""  + "sync"));
        primeUntilReceived(pub, sub, Msg.of("sync"));
        result(pub.send(Msg.of("sports", "goal")));
        result(pub.send(Msg.of("weather", "rain", "tomorrow")));
        result(pub.send(Msg.of("weather")));
        byte[] big = new byte[10 * 1024 * 1024];
        big[big.length - 1] = 7;
        result(pub.send(Msg.of("weatherbig".getBytes(), big)));
        result(pub.send(Msg.of("sync", "end")));

        List<Msg> got = new ArrayList<>();
        while (true) {
            Msg m = result(sub.receive());
            if (m.firstString().equals("sync") && m.frameCount() == 2) {
                break;
            }
            if (!m.firstString().equals("sync")) {
                got.add(m);
            }
        }
        assertThat(got).hasSize(3);
        assertThat(got.get(0)).isEqualTo(Msg.of("weather", "rain", "tomorrow"));
        assertThat(got.get(1)).isEqualTo(Msg.of("weather"));
        assertThat(got.get(2).frame(1).size()).isEqualTo(big.length);
        assertThat(got.get(2).frame(1).get(big.length - 1)).isEqualTo((byte) 7);
    }

    @Test
    void emptySubscriptionGetsEverythingAndUnsubscribeStopsIt() {
        ZSocket pub = ZSocket.create(ctx, SocketType.PUB);
        ZSocket sub = ZSocket.create(ctx, SocketType.SUB);
        result(sub.bind("inproc://all"));           // SUB binds, PUB connects: works both ways
        result(pub.connect("inproc://all"));
        result(sub.subscribe("ctl"));
        result(sub.subscribe(new byte[0]));
        primeUntilReceived(pub, sub, Msg.of("ctl", "probe"));
        result(pub.send(Msg.of(new byte[0])));
        result(pub.send(Msg.of("anything")));
        result(pub.send(Msg.of("ctl", "1")));
        skipUntil(sub, "");
        assertThat(result(sub.receive()).firstString()).isEqualTo("anything");
        assertThat(result(sub.receive())).isEqualTo(Msg.of("ctl", "1"));

        result(sub.unsubscribe(new byte[0]));
        // After the cancel reaches the publisher only "ctl" passes: wait for a "ctl" sent after an
        // "other", and check "other" was not delivered.
        result(pub.send(Msg.of("other")));
        result(pub.send(Msg.of("ctl", "2")));
        Msg next = result(sub.receive());
        if (next.firstString().equals("other")) {
            // the cancel was still on its way; try again now that it has certainly been processed
            assertThat(result(sub.receive())).isEqualTo(Msg.of("ctl", "2"));
            result(pub.send(Msg.of("other")));
            result(pub.send(Msg.of("ctl", "3")));
            next = result(sub.receive());
        }
        assertThat(next.firstString()).isEqualTo("ctl");
    }

    @Test
    void duplicateSubscriptionNeedsTwoUnsubscribes() {
        ZSocket pub = ZSocket.create(ctx, SocketType.PUB);
        ZSocket sub = ZSocket.create(ctx, SocketType.SUB);
        result(pub.bind("inproc://dup"));
        result(sub.connect("inproc://dup"));
        result(sub.subscribe("a"));
        result(sub.subscribe("a"));
        result(sub.subscribe("z"));
        primeUntilReceived(pub, sub, Msg.of("z"));
        result(sub.unsubscribe("a"));
        result(pub.send(Msg.of("a1")));
        result(pub.send(Msg.of("zend")));
        skipUntilPrefix(sub, "a1");
        assertThat(result(sub.receive()).firstString()).isEqualTo("zend");
    }

    private static void skipUntilPrefix(ZSocket sub, String wanted) {
        while (!result(sub.receive()).firstString().equals(wanted)) {
            // probes
        }
    }

    @Test
    void lateSubscriberGetsWhatIsPublishedAfterItJoins() {
        ZSocket pub = ZSocket.create(ctx, SocketType.PUB);
        result(pub.bind("inproc://late"));
        for (int i = 0; i < 100; i++) {
            result(pub.send(Msg.of("t", "early" + i))); // nobody listens: dropped, never blocks
        }
        ZSocket sub = ZSocket.create(ctx, SocketType.SUB);
        result(sub.connect("inproc://late"));
        result(sub.subscribe("t"));
        primeUntilReceived(pub, sub, Msg.of("t", "probe"));
        for (int i = 0; i < 50; i++) {
            result(pub.send(Msg.of("t", Integer.toString(i))));
        }
        Msg m;
        do {
            m = result(sub.receive());
        } while (m.frame(1).asString().equals("probe"));
        for (int i = 0; i < 50; i++) {
            assertThat(m.frame(1).asString()).isEqualTo(Integer.toString(i));
            m = i < 49 ? result(sub.receive()) : m;
        }
    }

    @Test
    void fullSubscriberLosesMessagesWithoutSlowingAnother() {
        SocketOptions small = ctx.defaultOptions().withSndHwm(8).withRcvHwm(8);
        ZSocket pub = ZSocket.create(ctx, SocketType.PUB, small);
        ZSocket slow = ZSocket.create(ctx, SocketType.SUB, small);
        ZSocket fast = ZSocket.create(ctx, SocketType.SUB, small);
        result(pub.bind("inproc://drop"));
        for (ZSocket s : List.of(slow, fast)) {
            result(s.connect("inproc://drop"));
            result(s.subscribe("d"));
        }
        primeUntilReceived(pub, slow, Msg.of("d", "probe"));
        primeUntilReceived(pub, fast, Msg.of("d", "probe"));
        skipUntilNoProbe(slow);

        // Lock-step with the fast subscriber; the slow one never reads.
        int n = 200;
        for (int i = 0; i < n; i++) {
            result(pub.send(Msg.of("d", Integer.toString(i))));
            Msg m;
            do {
                m = result(fast.receive());
            } while (m.frame(1).asString().equals("probe"));
            assertThat(m.frame(1).asString()).isEqualTo(Integer.toString(i));
        }
        // The slow one holds at most what its pipe and inbox took (in order), the rest was dropped for it.
        List<Integer> slowGot = new ArrayList<>();
        Msg m;
        while ((m = slow.tryReceive()) != null || (m = receiveBriefly(slow)) != null) {
            if (!m.frame(1).asString().equals("probe")) {
                slowGot.add(Integer.parseInt(m.frame(1).asString()));
            }
        }
        assertThat(slowGot).isNotEmpty();
        assertThat(slowGot.size()).isLessThanOrEqualTo(8 + 8 + 8); // pipe + inbox, refilled once at most
        assertThat(slowGot).isSorted().doesNotHaveDuplicates();
    }

    private static void skipUntilNoProbe(ZSocket s) {
        while (s.tryReceive() != null) {
            // leave the slow subscriber's queues empty before the run
        }
    }

    private static Msg receiveBriefly(ZSocket s) {
        try {
            return result(s.receive(Duration.ofMillis(200)));
        } catch (RzmqException e) {
            return null;
        }
    }

    @Test
    void pubNeverBlocksWithoutSubscribersAndSubCannotSend() {
        ZSocket pub = ZSocket.create(ctx, SocketType.PUB, ctx.defaultOptions().withSndHwm(2));
        result(pub.bind("inproc://nobody"));
        for (int i = 0; i < 10_000; i++) {
            result(pub.send(Msg.of("x")));
        }
        ZSocket sub = ZSocket.create(ctx, SocketType.SUB);
        assertThat(failure(sub.send(Msg.of("x"))).code()).isEqualTo(RzmqException.Code.ENOTSUP);
        assertThat(failure(pub.receive()).code()).isEqualTo(RzmqException.Code.ENOTSUP);
    }
}
