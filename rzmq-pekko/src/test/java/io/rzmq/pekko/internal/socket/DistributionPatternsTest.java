package io.rzmq.pekko.internal.socket;

import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.pekko.api.ZProxy;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.apache.pekko.Done;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

import static org.assertj.core.api.Assertions.assertThat;

/** PAIR, XPUB and XSUB (RFC 29, 31) and the proxy, over inproc and tcp. */
class DistributionPatternsTest extends PatternTestSupport {

    private static SocketOptions opts() {
        return SocketOptions.defaults().withLinger(Duration.ZERO);
    }

    static Msg sub(String topic) {
        return notification(1, topic);
    }

    static Msg unsub(String topic) {
        return notification(0, topic);
    }

    static Msg notification(int kind, String topic) {
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        byte[] b = new byte[t.length + 1];
        b[0] = (byte) kind;
        System.arraycopy(t, 0, b, 1, t.length);
        return Msg.of(Frame.wrap(b));
    }

    @ParameterizedTest
    @EnumSource(Via.class)
    void pairRefusesASecondPeerWithoutDisturbingTheFirst(Via via) {
        ZSocket a = socket(SocketType.PAIR);
        String ep = bind(a, via);
        ZSocket b = socket(SocketType.PAIR);
        result(b.connect(ep));
        awaitReadyPeers(a, 1);
        result(b.send(Msg.of("b1")));
        assertThat(receive(a)).isEqualTo(Msg.of("b1"));

        ZSocket intruder = socket(SocketType.PAIR);
        result(intruder.connect(ep));
        // Not awaited: refused, the intruder has no peer to take it (libzmq's zmq_send would block).
        intruder.send(Msg.of("intruder"));
        result(a.status());
        for (int i = 0; i < 20; i++) {
            result(a.send(Msg.of("a" + i)));
            assertThat(receive(b)).isEqualTo(Msg.of("a" + i));
            result(b.send(Msg.of("b" + i)));
            assertThat(receive(a)).isEqualTo(Msg.of("b" + i));
        }
        assertThat(intruder.tryReceive()).isNull();
        assertThat(a.tryReceive()).isNull();
        if (via == Via.INPROC) {
            until("the intruder's pipe is gone", () -> result(intruder.status()).pipes() == 0);
        }
        assertThat(result(a.status()).readyPeers()).isLessThanOrEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Via.class)
    void xpubShowsSubscriptionsOnceAndCancelsWhenTheLastSubscriberGoes(Via via) {
        ZSocket xpub = socket(SocketType.XPUB);
        String ep = bind(xpub, via);
        ZSocket s1 = socket(SocketType.SUB);
        ZSocket s2 = socket(SocketType.SUB);
        result(s1.connect(ep));
        result(s2.connect(ep));
        awaitReadyPeers(xpub, 2);

        result(s1.subscribe("news"));
        assertThat(receive(xpub)).isEqualTo(sub("news"));
        result(s2.subscribe("news")); // a duplicate across subscribers: not shown
        result(s2.subscribe("sport"));
        assertThat(receive(xpub)).isEqualTo(sub("sport"));

        result(s1.unsubscribe("news")); // s2 still has it: not shown
        result(s1.subscribe("weather"));
        assertThat(receive(xpub)).isEqualTo(sub("weather"));

        // s2 goes away: its topics nobody else has are cancelled.
        result(s2.close());
        Msg c1 = receive(xpub);
        Msg c2 = receive(xpub);
        assertThat(java.util.List.of(c1, c2)).containsExactlyInAnyOrder(unsub("news"), unsub("sport"));

        // Publishing still filters per subscriber.
        result(xpub.send(Msg.of("weather", "rain")));
        assertThat(receive(s1)).isEqualTo(Msg.of("weather", "rain"));
    }

    @ParameterizedTest
    @EnumSource(Via.class)
    void verboseXpubShowsEverySubscribeAndWelcomesNewSubscribers(Via via) {
        ZSocket xpub = socket(SocketType.XPUB, opts().withXpubVerbose(true)
            .withXpubWelcomeMsg("W-hello".getBytes(StandardCharsets.UTF_8)));
        String ep = bind(xpub, via);
        ZSocket s1 = socket(SocketType.SUB);
        ZSocket s2 = socket(SocketType.SUB);
        result(s1.subscribe("W"));
        result(s2.subscribe("W"));
        result(s1.connect(ep));
        assertThat(receive(xpub)).isEqualTo(sub("W"));
        result(s2.connect(ep));
        assertThat(receive(xpub)).isEqualTo(sub("W")); // verbose: the duplicate is shown too
        assertThat(receive(s1)).isEqualTo(Msg.of("W-hello"));
        assertThat(receive(s2)).isEqualTo(Msg.of("W-hello"));
    }

    @ParameterizedTest
    @EnumSource(Via.class)
    void xsubSendsSubscriptionMessagesUpstream(Via via) {
        ZSocket pub = socket(SocketType.PUB);
        String ep = bind(pub, via);
        ZSocket xsub = socket(SocketType.XSUB);
        result(xsub.connect(ep));
        result(xsub.send(sub("a")));
        // The publisher filters on what the XSUB subscribed to: publish until "a" arrives.
        Msg got = publishUntilReceived(pub, Msg.of("a-topic", "x"), Msg.of("b-topic", "y"), xsub);
        assertThat(got).isEqualTo(Msg.of("a-topic", "x"));
        result(xsub.send(unsub("a")));
        result(xsub.send(sub("b")));
        // Messages for "a" published before the cancel took effect may still come, but none after the
        // first "b" one (the cancel travelled ahead of the new subscription).
        long end = System.nanoTime() + DEADLINE.toNanos();
        Msg first = null;
        while (first == null && System.nanoTime() < end) {
            result(pub.send(Msg.of("a-topic", "w")));
            result(pub.send(Msg.of("b-topic", "z")));
            for (Msg m = xsub.tryReceive(); m != null && first == null; m = xsub.tryReceive()) {
                if (m.firstString().startsWith("b")) {
                    first = m;
                }
            }
        }
        assertThat(first).isEqualTo(Msg.of("b-topic", "z"));
        result(pub.send(Msg.of("a-topic", "after")));
        result(pub.send(Msg.of("b-topic", "final")));
        Msg m;
        do {
            m = receive(xsub);
            assertThat(m.firstString()).isEqualTo("b-topic");
        } while (!m.equals(Msg.of("b-topic", "final")));
    }

    @ParameterizedTest
    @EnumSource(Via.class)
    void xsubUserMessagesReachTheXpubApplication(Via via) {
        ZSocket xpub = socket(SocketType.XPUB);
        ZSocket xsub = socket(SocketType.XSUB);
        result(xsub.connect(bind(xpub, via)));
        awaitReadyPeers(xsub, 1);
        result(xsub.send(sub("x")));
        assertThat(receive(xpub)).isEqualTo(sub("x"));
        result(xsub.send(Msg.of("upstream", "data")));
        result(xsub.send(Msg.of(new byte[] {7, 'z'})));
        assertThat(receive(xpub)).isEqualTo(Msg.of("upstream", "data"));
        assertThat(receive(xpub)).isEqualTo(Msg.of(new byte[] {7, 'z'}));
        // A cancel for a topic never subscribed is not sent on.
        result(xsub.send(unsub("never")));
        result(xsub.send(unsub("x")));
        assertThat(receive(xpub)).isEqualTo(unsub("x"));
    }

    @ParameterizedTest
    @EnumSource(Via.class)
    void proxyForwardsPublicationsAndSubscriptions(Via via) {
        ZSocket pub = socket(SocketType.PUB);
        String upstream = bind(pub, via);
        ZSocket xsub = socket(SocketType.XSUB);
        ZSocket xpub = socket(SocketType.XPUB);
        ZSocket capture = socket(SocketType.PUSH);
        ZSocket captured = socket(SocketType.PULL);
        result(captured.connect(bind(capture, Via.INPROC)));
        result(xsub.connect(upstream));
        String downstream = bind(xpub, via);
        CompletionStage<Done> proxy = ZProxy.proxy(xsub, xpub, capture);

        ZSocket sub = socket(SocketType.SUB);
        result(sub.connect(downstream));
        result(sub.subscribe("t"));
        Msg got = publishUntilReceived(pub, Msg.of("t1", "body"), Msg.of("u1", "other"), sub);
        assertThat(got).isEqualTo(Msg.of("t1", "body"));
        // The capture socket saw the subscription going upstream and the publication coming down.
        Msg c = receiveMatching(captured, m -> m.equals(sub("t")));
        assertThat(c).isEqualTo(sub("t"));
        receiveMatching(captured, m -> m.equals(Msg.of("t1", "body")));

        result(xpub.close());
        assertThat(result(proxy)).isEqualTo(Done.getInstance());
    }

    /** Publishes {@code unwanted} and {@code wanted} in turn until the receiver gets a message. */
    private static Msg publishUntilReceived(ZSocket pub, Msg wanted, Msg unwanted, ZSocket receiver) {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < end) {
            result(pub.send(unwanted));
            result(pub.send(wanted));
            Msg m = receiver.tryReceive();
            if (m != null) {
                assertThat(m).isNotEqualTo(unwanted);
                return m;
            }
            result(receiver.status());
        }
        throw new AssertionError("nothing arrived within " + DEADLINE);
    }
}
