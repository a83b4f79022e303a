package io.rzmq.pekko.internal.socket;

import io.rzmq.pekko.model.RzmqException;
import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;

import static io.rzmq.pekko.internal.socket.DistributionPatternsTest.sub;
import static io.rzmq.pekko.internal.socket.DistributionPatternsTest.unsub;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * XPUB_VERBOSER and XPUB_MANUAL between rzmq sockets over inproc and tcp. Subscribers are XSUBs, which
 * send their (un)subscriptions as messages and filter nothing themselves, so what they receive is
 * exactly what the XPUB's filter let through. Absence is proven by order, never by waiting: a marker
 * message sent after the event that must stay silent arrives first.
 */
class XPubModesTest extends PatternTestSupport {

    private static SocketOptions opts() {
        return SocketOptions.defaults().withLinger(Duration.ZERO);
    }

    private ZSocket xsubConnected(String ep) {
        ZSocket s = socket(SocketType.XSUB);
        result(s.connect(ep));
        return s;
    }

    @ParameterizedTest
    @EnumSource(Via.class)
    void verboserShowsACancelWhileAnotherSubscriberKeepsTheTopic(Via via) {
        TwoSubscribers t = twoSubscribers(opts().withXpubVerboser(true), via);
        ZSocket xpub = t.xpub(), s1 = t.s1(), s2 = t.s2();
        result(s1.send(sub("A")));
        assertThat(receive(xpub)).isEqualTo(sub("A"));
        result(s2.send(sub("A")));
        assertThat(receive(xpub)).isEqualTo(sub("A")); // VERBOSER implies VERBOSE

        result(s1.send(unsub("A")));
        result(s1.send(Msg.of("marker")));
        assertThat(receive(xpub)).isEqualTo(unsub("A")); // s2 still has A: shown only with VERBOSER
        assertThat(receive(xpub)).isEqualTo(Msg.of("marker"));
    }

    @ParameterizedTest
    @EnumSource(Via.class)
    void verboseAloneHidesThatCancel(Via via) {
        TwoSubscribers t = twoSubscribers(opts().withXpubVerbose(true), via);
        ZSocket xpub = t.xpub(), s1 = t.s1(), s2 = t.s2();
        result(s1.send(sub("A")));
        assertThat(receive(xpub)).isEqualTo(sub("A"));
        result(s2.send(sub("A")));
        assertThat(receive(xpub)).isEqualTo(sub("A"));

        result(s1.send(unsub("A")));
        result(s1.send(Msg.of("marker")));
        assertThat(receive(xpub)).isEqualTo(Msg.of("marker"));
    }

    @ParameterizedTest
    @EnumSource(Via.class)
    void verboserShowsEveryTopicOfADepartingSubscriber(Via via) {
        TwoSubscribers t = twoSubscribers(opts().withXpubVerboser(true), via);
        ZSocket xpub = t.xpub(), s1 = t.s1(), s2 = t.s2();
        bothWantAThenS2WithBLeaves(xpub, s1, s2);
        result(s1.send(Msg.of("marker")));
        // A is still wanted by s1, yet VERBOSER shows its cancel for s2.
        assertThat(List.of(receive(xpub), receive(xpub))).containsExactlyInAnyOrder(unsub("A"), unsub("B"));
        assertThat(receive(xpub)).isEqualTo(Msg.of("marker"));
    }

    @ParameterizedTest
    @EnumSource(Via.class)
    void withoutVerboserADepartingSubscriberCancelsOnlyWhatNobodyElseHas(Via via) {
        TwoSubscribers t = twoSubscribers(opts().withXpubVerbose(true), via);
        ZSocket xpub = t.xpub(), s1 = t.s1(), s2 = t.s2();
        bothWantAThenS2WithBLeaves(xpub, s1, s2);
        result(s1.send(Msg.of("marker")));
        assertThat(receive(xpub)).isEqualTo(unsub("B"));
        assertThat(receive(xpub)).isEqualTo(Msg.of("marker"));
    }

    @ParameterizedTest
    @EnumSource(Via.class)
    void manualAppliesWhatTheApplicationSaysToTheSubscriberItHeardLast(Via via) {
        TwoSubscribers t = twoSubscribers(opts().withXpubManual(true), via);
        ZSocket xpub = t.xpub(), s1 = t.s1(), s2 = t.s2();
        result(s1.send(sub("A")));
        result(s2.send(sub("B")));
        // The application maps each request to topics of its own, per subscriber.
        for (int i = 0; i < 2; i++) {
            Msg m = receive(xpub);
            if (m.equals(sub("A"))) {
                result(xpub.subscribe("one-"));
                result(xpub.subscribe("end-1"));
            } else {
                assertThat(m).isEqualTo(sub("B"));
                result(xpub.subscribe("two-"));
                result(xpub.subscribe("end-2"));
            }
        }
        // A and B were not applied: the first message each XSUB gets is its own topic.
        for (String m : List.of("A-x", "B-x", "one-x", "two-x")) {
            result(xpub.send(Msg.of(m)));
        }
        assertThat(receive(s1)).isEqualTo(Msg.of("one-x"));
        assertThat(receive(s2)).isEqualTo(Msg.of("two-x"));

        // A cancel is shown every time; the application removes its topic for that subscriber only.
        result(s1.send(unsub("A")));
        assertThat(receive(xpub)).isEqualTo(unsub("A"));
        result(xpub.unsubscribe("one-"));
        for (String m : List.of("one-y", "end-1", "two-y")) {
            result(xpub.send(Msg.of(m)));
        }
        assertThat(receive(s1)).isEqualTo(Msg.of("end-1"));
        assertThat(receive(s2)).isEqualTo(Msg.of("two-y"));
    }

    @ParameterizedTest
    @EnumSource(Via.class)
    void manualShowsDuplicatesAndCancelsForADepartingSubscriber(Via via) {
        TwoSubscribers t = twoSubscribers(opts().withXpubManual(true), via);
        ZSocket xpub = t.xpub(), s1 = t.s1(), s2 = t.s2();
        result(s1.send(sub("A")));
        assertThat(receive(xpub)).isEqualTo(sub("A"));
        result(s2.send(sub("A")));
        assertThat(receive(xpub)).isEqualTo(sub("A")); // shown although s1 has it
        result(xpub.subscribe("A")); // for s2
        result(xpub.send(Msg.of("A-1")));
        assertThat(receive(s2)).isEqualTo(Msg.of("A-1"));

        result(s2.close());
        until("s2 is gone", () -> result(xpub.status()).pipes() == 1);
        result(s1.send(Msg.of("marker")));
        // s1 still asked for A, yet s2's departure shows its cancel: the application must hear of it.
        assertThat(receive(xpub)).isEqualTo(unsub("A"));
        // That cancel names no subscriber: a subscribe now changes nobody's filter.
        result(xpub.subscribe("A"));
        assertThat(receive(xpub)).isEqualTo(Msg.of("marker"));
        result(xpub.send(Msg.of("A-2")));
        result(s1.send(sub("Z")));
        assertThat(receive(xpub)).isEqualTo(sub("Z"));
        result(xpub.subscribe("Z"));
        result(xpub.send(Msg.of("Z-1")));
        assertThat(receive(s1)).isEqualTo(Msg.of("Z-1")); // A-2 never reached s1
    }

    @Test
    void manualSubscribeBeforeAnySubscriptionMessageChangesNothing() {
        ZSocket xpub = socket(SocketType.XPUB, opts().withXpubManual(true));
        String ep = bind(xpub, Via.INPROC);
        ZSocket s1 = xsubConnected(ep);
        awaitReadyPeers(xpub, 1);
        result(xpub.subscribe("A"));
        result(xpub.send(Msg.of("A-1")));
        result(s1.send(sub("B")));
        assertThat(receive(xpub)).isEqualTo(sub("B"));
        result(xpub.subscribe("B"));
        result(xpub.send(Msg.of("B-1")));
        assertThat(receive(s1)).isEqualTo(Msg.of("B-1"));
    }

    @Test
    void theOptionsReadBackAndFollowLibzmqsInterplay() {
        SocketOptions o = SocketOptions.defaults();
        assertThat(o.xpubVerboser()).isFalse();
        assertThat(o.xpubManual()).isFalse();
        SocketOptions verboser = o.withXpubVerboser(true);
        assertThat(verboser.xpubVerboser()).isTrue();
        assertThat(verboser.xpubVerbose()).isTrue();
        // As in libzmq: XPUB_VERBOSE after XPUB_VERBOSER keeps subscribes verbose but not unsubscribes.
        SocketOptions verboseAfter = verboser.withXpubVerbose(true);
        assertThat(verboseAfter.xpubVerbose()).isTrue();
        assertThat(verboseAfter.xpubVerboser()).isFalse();
        assertThat(verboser.withXpubVerboser(false).xpubVerbose()).isFalse();
        assertThat(o.withXpubManual(true).xpubManual()).isTrue();
        assertThat(o.withXpubManual(true).withXpubVerboser(true).xpubManual()).isTrue();
    }

    @Test
    void otherSocketTypesRefuseTheOptionsAndNonManualXpubsRefuseSubscribe() {
        assertThatThrownBy(() -> socket(SocketType.PUB, opts().withXpubManual(true)))
            .isInstanceOf(RzmqException.class).hasMessageContaining("XPUB_MANUAL")
            .extracting(e -> ((RzmqException) e).code()).isEqualTo(RzmqException.Code.EINVAL);
        assertThatThrownBy(() -> socket(SocketType.SUB, opts().withXpubVerboser(true)))
            .isInstanceOf(RzmqException.class).hasMessageContaining("XPUB_VERBOSER");
        ZSocket plain = socket(SocketType.XPUB);
        assertThat(failure(plain.subscribe("A")).code()).isEqualTo(RzmqException.Code.ENOTSUP);
        ZSocket manual = socket(SocketType.XPUB, opts().withXpubManual(true));
        assertThat(manual.options().xpubManual()).isTrue();
        assertThat(failure(manual.deliverTo(testKit.createTestProbe(Msg.class).ref(), 4)).code())
            .isEqualTo(RzmqException.Code.ENOTSUP);
    }

    private record TwoSubscribers(ZSocket xpub, ZSocket s1, ZSocket s2) {
    }

    /** An XPUB bound via {@code via} with two XSUBs connected and ready. */
    private TwoSubscribers twoSubscribers(SocketOptions options, Via via) {
        ZSocket xpub = socket(SocketType.XPUB, options);
        String ep = bind(xpub, via);
        ZSocket s1 = xsubConnected(ep);
        ZSocket s2 = xsubConnected(ep);
        awaitReadyPeers(xpub, 2);
        return new TwoSubscribers(xpub, s1, s2);
    }

    /** s1 and s2 subscribe to A, s2 also to B (all three shown), then s2 closes and is gone. */
    private void bothWantAThenS2WithBLeaves(ZSocket xpub, ZSocket s1, ZSocket s2) {
        result(s1.send(sub("A")));
        result(s2.send(sub("A")));
        result(s2.send(sub("B")));
        assertThat(List.of(receive(xpub), receive(xpub), receive(xpub)))
            .containsExactlyInAnyOrder(sub("A"), sub("A"), sub("B"));

        result(s2.close());
        until("s2 is gone", () -> result(xpub.status()).pipes() == 1);
    }
}
