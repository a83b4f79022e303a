package io.rzmq.pekko.internal.socket;

import io.rzmq.pekko.model.RzmqException;
import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** REQ and REP (RFC 28) over inproc and tcp: round-robin, reply matching, envelopes, misuse errors. */
class RequestReplyTest extends PatternTestSupport {

    private static SocketOptions opts() {
        return SocketOptions.defaults().withLinger(Duration.ZERO);
    }

    @ParameterizedTest
    @EnumSource(Via.class)
    void reqRoundRobinsRequestsOverItsRepPeers(Via via) {
        ZSocket repA = socket(SocketType.REP);
        ZSocket repB = socket(SocketType.REP);
        ZSocket req = socket(SocketType.REQ);
        result(req.connect(bind(repA, via)));
        result(req.connect(bind(repB, via)));
        awaitReadyPeers(req, 2);

        List<String> answeredBy = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            result(req.send(Msg.of("req-" + i, "second part")));
            // Whichever REP got it answers with its name.
            ZSocket got = null;
            Msg request = null;
            long end = System.nanoTime() + DEADLINE.toNanos();
            while (request == null && System.nanoTime() < end) {
                request = repA.tryReceive();
                got = repA;
                if (request == null) {
                    request = repB.tryReceive();
                    got = repB;
                }
                Thread.onSpinWait();
            }
            assertThat(request).isEqualTo(Msg.of("req-" + i, "second part"));
            result(got.send(Msg.of(got == repA ? "A" : "B")));
            answeredBy.add(receive(req).firstString());
        }
        // Strict alternation between the two peers.
        for (int i = 2; i < answeredBy.size(); i++) {
            assertThat(answeredBy.get(i)).isEqualTo(answeredBy.get(i - 2));
        }
        assertThat(answeredBy.get(0)).isNotEqualTo(answeredBy.get(1));
    }

    @ParameterizedTest
    @EnumSource(Via.class)
    void reqTakesOnlyTheReplyOfThePeerItAsked(Via via) {
        ZSocket routerA = socket(SocketType.ROUTER);
        ZSocket routerB = socket(SocketType.ROUTER);
        ZSocket req = socket(SocketType.REQ);
        result(req.connect(bind(routerA, via)));
        result(req.connect(bind(routerB, via)));
        awaitReadyPeers(req, 2);

        // Two requests so that both routers know the REQ's routing id.
        result(req.send(Msg.of("one")));
        Msg first = receiveFromEither(routerA, routerB);
        ZSocket firstRouter = lastFrom;
        result(firstRouter.send(Msg.ofFrames(first.frame(0), Frame.EMPTY, Frame.of("reply-one"))));
        assertThat(receive(req)).isEqualTo(Msg.of("reply-one"));
        result(req.send(Msg.of("two")));
        Msg second = receiveFromEither(routerA, routerB);
        ZSocket secondRouter = lastFrom;
        assertThat(secondRouter).isNotSameAs(firstRouter);
        result(secondRouter.send(Msg.ofFrames(second.frame(0), Frame.EMPTY, Frame.of("reply-two"))));
        assertThat(receive(req)).isEqualTo(Msg.of("reply-two"));

        // The third request goes to the first router; the second router answers it uninvited first.
        result(req.send(Msg.of("three")));
        Msg third = receive(firstRouter);
        assertThat(third.frame(2).asString()).isEqualTo("three");
        result(secondRouter.send(Msg.ofFrames(second.frame(0), Frame.EMPTY, Frame.of("intruder"))));
        result(secondRouter.status()); // the intruder is on its way before the real reply
        result(firstRouter.send(Msg.ofFrames(third.frame(0), Frame.EMPTY, Frame.of("reply-three"))));
        assertThat(receive(req)).isEqualTo(Msg.of("reply-three"));
        // A reply without the empty delimiter is not a reply either.
        result(req.send(Msg.of("four")));
        Msg fourth = receive(secondRouter);
        result(secondRouter.send(Msg.ofFrames(fourth.frame(0), Frame.of("no-delimiter"))));
        result(secondRouter.send(Msg.ofFrames(fourth.frame(0), Frame.EMPTY, Frame.of("reply-four"))));
        // Over tcp the intruder may still be in flight when "four" goes to the second router; arriving then,
        // from the peer that was asked, it is a valid reply (libzmq's REQ cannot tell either, short of
        // REQ_CORRELATE). What must never come back is the frame without a delimiter.
        Msg reply = receive(req);
        assertThat(reply).isIn(Msg.of("reply-four"), Msg.of("intruder"));
    }

    private ZSocket lastFrom;

    private Msg receiveFromEither(ZSocket a, ZSocket b) {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < end) {
            Msg m = a.tryReceive();
            if (m != null) {
                lastFrom = a;
                return m;
            }
            m = b.tryReceive();
            if (m != null) {
                lastFrom = b;
                return m;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("neither socket received anything");
    }

    @Test
    void reqAndRepRefuseOutOfTurnCalls() {
        ZSocket rep = socket(SocketType.REP);
        ZSocket req = socket(SocketType.REQ);
        result(req.connect(bind(rep, Via.INPROC)));

        assertThat(failure(req.receive()).code()).isEqualTo(RzmqException.Code.EFSM);
        assertThat(failure(rep.send(Msg.of("unasked"))).code()).isEqualTo(RzmqException.Code.EFSM);
        assertThatThrownBy(req::tryReceive).isInstanceOf(RzmqException.class)
            .extracting(e -> ((RzmqException) e).code()).isEqualTo(RzmqException.Code.EFSM);

        result(req.send(Msg.of("q1")));
        assertThat(failure(req.send(Msg.of("q2"))).code()).isEqualTo(RzmqException.Code.EFSM);
        assertThatThrownBy(() -> req.trySend(Msg.of("q2"))).isInstanceOf(RzmqException.class);

        assertThat(receive(rep)).isEqualTo(Msg.of("q1"));
        assertThat(failure(rep.receive()).code()).isEqualTo(RzmqException.Code.EFSM);
        result(rep.send(Msg.of("a1")));
        assertThat(failure(rep.send(Msg.of("a1 again"))).code()).isEqualTo(RzmqException.Code.EFSM);
        assertThat(receive(req)).isEqualTo(Msg.of("a1"));
        // Back in turn: the next round trip works.
        result(req.send(Msg.of("q2")));
        assertThat(receive(rep)).isEqualTo(Msg.of("q2"));
        result(rep.send(Msg.of("a2")));
        assertThat(receive(req)).isEqualTo(Msg.of("a2"));
        // REQ/REP cannot deliver to an actor: their turns are per call.
        assertThat(failure(req.deliverTo(testKit.createTestProbe(Msg.class).ref(), 1)).code())
            .isEqualTo(RzmqException.Code.ENOTSUP);
    }

    @Test
    void aTimedOutReceiveKeepsTheRequestOutstanding() {
        ZSocket router = socket(SocketType.ROUTER);
        ZSocket req = socket(SocketType.REQ);
        result(req.connect(bind(router, Via.INPROC)));
        result(req.send(Msg.of("q")));
        Msg q = receive(router);
        assertThat(failure(req.receive(Duration.ofMillis(50))).code()).isEqualTo(RzmqException.Code.EAGAIN);
        result(router.send(Msg.ofFrames(q.frame(0), Frame.EMPTY, Frame.of("late"))));
        assertThat(receive(req)).isEqualTo(Msg.of("late"));
    }

    @ParameterizedTest
    @EnumSource(Via.class)
    void relaxedCorrelatedReqDropsTheReplyToAnAbandonedRequest(Via via) {
        ZSocket router = socket(SocketType.ROUTER);
        ZSocket req = socket(SocketType.REQ, opts().withReqRelaxed(true).withReqCorrelate(true));
        result(req.connect(bind(router, via)));

        result(req.send(Msg.of("first")));
        Msg first = receive(router);
        assertThat(first.frameCount()).isEqualTo(4); // routing id, request id, delimiter, body
        assertThat(first.frame(1).size()).isEqualTo(4);
        assertThat(first.frame(2).isEmpty()).isTrue();
        result(req.send(Msg.of("second"))); // relaxed: allowed without the reply
        Msg second = receive(router);
        assertThat(second.frame(1)).isNotEqualTo(first.frame(1));
        assertThat(second.frame(3).asString()).isEqualTo("second");

        // The late reply to "first" travels over the same pipe but carries the old request id.
        result(router.send(Msg.ofFrames(first.frame(0), first.frame(1), Frame.EMPTY, Frame.of("for-first"))));
        result(router.send(Msg.ofFrames(second.frame(0), second.frame(1), Frame.EMPTY, Frame.of("for-second"))));
        assertThat(receive(req)).isEqualTo(Msg.of("for-second"));
    }

    @Test
    void strictReqWithoutCorrelationSendsJustTheDelimiter() {
        ZSocket router = socket(SocketType.ROUTER);
        ZSocket req = socket(SocketType.REQ);
        result(req.connect(bind(router, Via.INPROC)));
        result(req.send(Msg.of("a", "b")));
        Msg m = receive(router);
        assertThat(m.frameCount()).isEqualTo(4);
        assertThat(m.frame(1).isEmpty()).isTrue();
        assertThat(m.dropFirst(2)).isEqualTo(Msg.of("a", "b"));
    }

    @ParameterizedTest
    @EnumSource(Via.class)
    void repPutsTheEnvelopeBackOnTheReplyThroughADealer(Via via) {
        ZSocket rep = socket(SocketType.REP);
        ZSocket dealer = socket(SocketType.DEALER);
        result(dealer.connect(bind(rep, via)));

        // A broker-style envelope: two hops, the delimiter, a two-frame body.
        result(dealer.send(Msg.ofFrames(Frame.of("hop-1"), Frame.of("hop-2"), Frame.EMPTY, Frame.of("body"),
            Frame.of("tail"))));
        assertThat(receive(rep)).isEqualTo(Msg.of("body", "tail"));
        result(rep.send(Msg.of("answer", "more")));
        assertThat(receive(dealer)).isEqualTo(Msg.ofFrames(Frame.of("hop-1"), Frame.of("hop-2"), Frame.EMPTY,
            Frame.of("answer"), Frame.of("more")));

        // A request without a delimiter is dropped; the next good one is served.
        result(dealer.send(Msg.of("no", "delimiter")));
        result(dealer.send(Msg.ofFrames(Frame.EMPTY, Frame.of("plain"))));
        assertThat(receive(rep)).isEqualTo(Msg.of("plain"));
        result(rep.send(Msg.of("plain-answer")));
        assertThat(receive(dealer)).isEqualTo(Msg.ofFrames(Frame.EMPTY, Frame.of("plain-answer")));
    }

    @ParameterizedTest
    @EnumSource(Via.class)
    void repAnswersEachRequesterOnItsOwnPipe(Via via) {
        ZSocket rep = socket(SocketType.REP);
        String ep = bind(rep, via);
        List<ZSocket> reqs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ZSocket req = socket(SocketType.REQ);
            result(req.connect(ep));
            result(req.send(Msg.of("from-" + i)));
            reqs.add(req);
        }
        for (int i = 0; i < 3; i++) {
            Msg request = receive(rep);
            result(rep.send(Msg.of("re:" + request.firstString())));
        }
        for (int i = 0; i < 3; i++) {
            assertThat(receive(reqs.get(i))).isEqualTo(Msg.of("re:from-" + i));
        }
    }
}
