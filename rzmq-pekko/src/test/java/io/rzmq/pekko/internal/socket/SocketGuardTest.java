package io.rzmq.pekko.internal.socket;

import io.rzmq.pekko.model.RzmqException;
import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The caller-side state machines: REQ/REP alternation (EFSM) and ROUTER_MANDATORY (EHOSTUNREACH). */
class SocketGuardTest {
    private static final Msg M = Msg.of("m");

    private static void assertCode(Runnable r, RzmqException.Code code) {
        assertThatThrownBy(r::run).isInstanceOf(RzmqException.class)
            .extracting(e -> ((RzmqException) e).code()).isEqualTo(code);
    }

    @Test
    void strictReqAlternates() {
        SocketGuard g = SocketGuard.of(SocketType.REQ, SocketOptions.defaults());
        assertCode(g::beforeReceive, RzmqException.Code.EFSM);
        g.beforeSend(M);
        assertCode(() -> g.beforeSend(M), RzmqException.Code.EFSM);
        g.beforeReceive();
        assertCode(g::beforeReceive, RzmqException.Code.EFSM); // one receive at a time
        g.afterReceive(null); // timed out: still waiting for the reply
        g.beforeReceive();
        g.afterReceive(M);
        assertCode(g::beforeReceive, RzmqException.Code.EFSM);
        assertThatCode(() -> g.beforeSend(M)).doesNotThrowAnyException();
        assertThat(g.allowsDelivery()).isFalse();
    }

    @Test
    void aSendThatCouldNotBeQueuedGivesTheTurnBack() {
        SocketGuard g = SocketGuard.of(SocketType.REQ, SocketOptions.defaults());
        g.beforeSend(M);
        g.sendFailed();
        assertThatCode(() -> g.beforeSend(M)).doesNotThrowAnyException();
    }

    @Test
    void relaxedReqMaySendAgain() {
        SocketGuard g = SocketGuard.of(SocketType.REQ, SocketOptions.defaults().withReqRelaxed(true));
        assertCode(g::beforeReceive, RzmqException.Code.EFSM); // still: nothing to receive before a send
        g.beforeSend(M);
        g.beforeSend(M);
        g.beforeReceive();
        g.beforeSend(M); // a receive under way takes the newest reply
        g.afterReceive(M);
        assertCode(g::beforeReceive, RzmqException.Code.EFSM);
    }

    @Test
    void repReceivesThenReplies() {
        SocketGuard g = SocketGuard.of(SocketType.REP, SocketOptions.defaults());
        assertCode(() -> g.beforeSend(M), RzmqException.Code.EFSM);
        g.beforeReceive();
        assertCode(g::beforeReceive, RzmqException.Code.EFSM);
        g.afterReceive(null);
        g.beforeReceive();
        g.afterReceive(M);
        assertCode(g::beforeReceive, RzmqException.Code.EFSM);
        g.beforeSend(M);
        assertCode(() -> g.beforeSend(M), RzmqException.Code.EFSM);
        g.beforeReceive();
    }

    @Test
    void mandatoryRouterKnowsItsRoutingIds() {
        SocketGuard lax = SocketGuard.of(SocketType.ROUTER, SocketOptions.defaults());
        assertThatCode(() -> lax.beforeSend(Msg.of("nobody", "x"))).doesNotThrowAnyException();

        SocketGuard g = SocketGuard.of(SocketType.ROUTER, SocketOptions.defaults().withRouterMandatory(true));
        assertCode(() -> g.beforeSend(Msg.of("peer", "x")), RzmqException.Code.EHOSTUNREACH);
        g.routable(Frame.of("peer"));
        g.beforeSend(Msg.of("peer", "x"));
        g.unroutable(Frame.of("peer"));
        assertCode(() -> g.beforeSend(Msg.of("peer", "x")), RzmqException.Code.EHOSTUNREACH);

        g.promiseConnectId("tcp://127.0.0.1:1", Frame.of("later"));
        g.beforeSend(Msg.of("later", "x")); // promised to a connect: routable already
        assertCode(() -> g.promiseConnectId("tcp://127.0.0.1:2", Frame.of("later")), RzmqException.Code.EINVAL);
        assertThat(g.takeConnectId("tcp://127.0.0.1:1")).isEqualTo(Frame.of("later"));
        assertThat(g.takeConnectId("tcp://127.0.0.1:1")).isNull();
        g.beforeSend(Msg.of("later", "x"));
    }

    @Test
    void otherTypesHaveNoChecks() {
        SocketGuard g = SocketGuard.of(SocketType.DEALER, SocketOptions.defaults());
        assertThat(g).isSameAs(SocketGuard.NONE);
        assertCode(() -> g.promiseConnectId("inproc://x", Frame.of("id")), RzmqException.Code.ENOTSUP);
    }

    @Test
    void manualXpubNamesTheSenderOfTheLastSubscriptionMessageReceived() {
        SocketGuard g = SocketGuard.of(SocketType.XPUB, SocketOptions.defaults().withXpubManual(true));
        assertThat(g).isInstanceOf(SocketGuard.XPubManual.class);
        assertThat(g.allowsDelivery()).isFalse();
        SocketGuard.XPubManual manual = (SocketGuard.XPubManual) g;
        PipeEntry p1 = new PipeEntry(null, null, null, "one", null);
        PipeEntry p2 = new PipeEntry(null, null, null, "two", null);
        Msg s1 = Msg.of(new byte[] {1, 'A'});
        Msg s2 = Msg.of(new byte[] {1, 'A'}); // equal content, another message: identity counts
        Msg gone = Msg.of(new byte[] {0, 'A'});
        manual.queued(s1, p1);
        manual.queued(s2, p2);
        manual.queued(gone, null);
        assertThat(g.lastSubscriber()).isNull();
        g.afterReceive(s1);
        assertThat(g.lastSubscriber()).isSameAs(p1);
        g.afterReceive(Msg.of("upstream data")); // not a subscription message: no change
        assertThat(g.lastSubscriber()).isSameAs(p1);
        g.afterReceive(s2);
        assertThat(g.lastSubscriber()).isSameAs(p2);
        g.afterReceive(gone); // a departed subscriber's cancel names nobody
        assertThat(g.lastSubscriber()).isNull();
        g.afterReceive(null); // a receive that got nothing
        assertThat(g.lastSubscriber()).isNull();
    }

    @Test
    void manualXpubSurvivesReceivesReportedOutOfOrder() {
        SocketGuard g = SocketGuard.of(SocketType.XPUB, SocketOptions.defaults().withXpubManual(true));
        SocketGuard.XPubManual manual = (SocketGuard.XPubManual) g;
        PipeEntry p1 = new PipeEntry(null, null, null, "one", null);
        PipeEntry p2 = new PipeEntry(null, null, null, "two", null);
        PipeEntry p3 = new PipeEntry(null, null, null, "three", null);
        Msg m1 = Msg.of("1");
        Msg m2 = Msg.of("2");
        Msg m3 = Msg.of("3");
        manual.queued(m1, p1);
        manual.queued(m2, p2);
        g.afterReceive(m2); // two threads received m1 and m2; m2's report came first
        g.afterReceive(m1); // older than what was reported: ignored
        assertThat(g.lastSubscriber()).isSameAs(p2);
        manual.queued(m3, p3);
        g.afterReceive(m3);
        assertThat(g.lastSubscriber()).isSameAs(p3);
        assertThat(SocketGuard.of(SocketType.XPUB, SocketOptions.defaults())).isSameAs(SocketGuard.NONE);
    }
}
