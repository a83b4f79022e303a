package io.rzmq.pekko.internal.socket;

import io.rzmq.pekko.model.RzmqException;
import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.apache.pekko.Done;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Options that turn a drop into a wait (ROUTER_MANDATORY, XPUB_NODROP) and CONNECT_ROUTING_ID. The
 * back-pressure cases run over inproc, where "the peer is full" is reached with a handful of messages.
 */
class BackPressureOptionsTest extends PatternTestSupport {
    private static final int COUNT = 200;

    private static SocketOptions small() {
        return SocketOptions.defaults().withLinger(Duration.ZERO).withSndHwm(4).withRcvHwm(4);
    }

    /** Sends COUNT numbered messages (optionally behind {@code prefix}) without waiting; returns the last stage. */
    private static CompletionStage<Done> sendAll(ZSocket s, String prefix) {
        CompletionStage<Done> last = null;
        for (int i = 0; i < COUNT; i++) {
            last = s.send(prefix == null ? Msg.of("m" + i) : Msg.of(prefix, "m" + i));
        }
        return last;
    }

    private static List<String> receiveAll(ZSocket s, int expected, int frame) {
        List<String> got = new ArrayList<>();
        while (got.size() < expected) {
            got.add(receive(s).frame(frame).asString());
        }
        return got;
    }

    private static List<String> numbered() {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            all.add("m" + i);
        }
        return all;
    }

    @Test
    void mandatoryRouterWaitsForAFullPeerInsteadOfDropping() {
        ZSocket router = socket(SocketType.ROUTER, small().withRouterMandatory(true));
        ZSocket dealer = socket(SocketType.DEALER, small().withRoutingId("slow".getBytes(StandardCharsets.UTF_8)));
        result(dealer.connect(bind(router, Via.INPROC)));
        awaitReadyPeers(router, 1);
        CompletionStage<Done> last = sendAll(router, "slow");
        // The dealer reads nothing yet: the router must be holding messages back, not dropping them.
        until("the router waits for room", () -> result(router.status()).outbox() > 0);
        assertThat(last.toCompletableFuture().isDone()).isFalse();
        assertThat(receiveAll(dealer, COUNT, 0)).isEqualTo(numbered());
        result(last);
    }

    @Test
    void aMandatoryRouterWaitingForAPeerThatLeavesGoesOn() {
        ZSocket router = socket(SocketType.ROUTER, small().withRouterMandatory(true));
        String ep = bind(router, Via.INPROC);
        ZSocket slow = socket(SocketType.DEALER, small().withRoutingId("slow".getBytes(StandardCharsets.UTF_8)));
        ZSocket other = socket(SocketType.DEALER, small().withRoutingId("other".getBytes(StandardCharsets.UTF_8)));
        result(slow.connect(ep));
        result(other.connect(ep));
        awaitReadyPeers(router, 2);
        CompletionStage<Done> last = sendAll(router, "slow");
        until("the router waits for room", () -> result(router.status()).outbox() > 0);
        result(slow.close());
        // What was held for the departed peer is dropped; the router serves the others again.
        result(last);
        result(router.send(Msg.of("other", "still-here")));
        assertThat(receive(other)).isEqualTo(Msg.of("still-here"));
    }

    @Test
    void laxRouterDropsForAFullPeer() {
        ZSocket router = socket(SocketType.ROUTER, small());
        ZSocket dealer = socket(SocketType.DEALER, small().withRoutingId("slow".getBytes(StandardCharsets.UTF_8)));
        result(dealer.connect(bind(router, Via.INPROC)));
        awaitReadyPeers(router, 1);
        result(sendAll(router, "slow"));
        result(router.send(Msg.of("slow", "marker")));
        until("the router routed everything", () -> result(router.status()).outbox() == 0);
        // Whatever fitted arrives in order; the rest was dropped, never delivered later. The marker went
        // last, so it arrives last if it fitted (the dealer may have made room by then).
        List<String> got = new ArrayList<>();
        long end = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        Msg m;
        while ((m = dealer.tryReceive()) != null || got.isEmpty()) {
            if (m != null) {
                got.add(m.first().asString());
            } else if (System.nanoTime() > end) {
                throw new AssertionError("the dealer received nothing");
            }
        }
        List<String> numberedGot = new ArrayList<>(got);
        if (numberedGot.remove("marker")) {
            assertThat(got.get(got.size() - 1)).isEqualTo("marker");
        }
        assertThat(numberedGot.size()).isLessThan(COUNT);
        assertThat(numbered()).containsSubsequence(numberedGot);
    }

    @Test
    void xpubNodropWaitsForAFullSubscriber() {
        ZSocket xpub = socket(SocketType.XPUB, small().withXpubNodrop(true));
        ZSocket sub = socket(SocketType.SUB, small());
        result(sub.connect(bind(xpub, Via.INPROC)));
        result(sub.subscribe(""));
        assertThat(receive(xpub).first().get(0)).isEqualTo((byte) 1); // the subscription is in place
        CompletionStage<Done> last = sendAll(xpub, null);
        until("the XPUB waits for room", () -> result(xpub.status()).outbox() > 0);
        assertThat(last.toCompletableFuture().isDone()).isFalse();
        assertThat(receiveAll(sub, COUNT, 0)).isEqualTo(numbered());
        result(last);
    }

    @ParameterizedTest
    @EnumSource(Via.class)
    void connectRoutingIdNamesThePeerOfThatConnect(Via via) {
        ZSocket server = socket(SocketType.ROUTER,
            small().withRoutingId("announced".getBytes(StandardCharsets.UTF_8)));
        String ep = bind(server, via);
        ZSocket client = socket(SocketType.ROUTER, small().withRouterMandatory(true)
            .withRoutingId("client".getBytes(StandardCharsets.UTF_8)));
        result(client.connect(ep, "my-name-for-it".getBytes(StandardCharsets.UTF_8)));
        // Routable at once under the promised name (queued until the connection is up).
        result(client.send(Msg.of("my-name-for-it", "hello")));
        assertThat(receive(server)).isEqualTo(Msg.of("client", "hello"));
        result(server.send(Msg.of("client", "back")));
        assertThat(receive(client)).isEqualTo(Msg.of("my-name-for-it", "back"));

        RzmqException dup = failure(client.connect(ep, "my-name-for-it".getBytes(StandardCharsets.UTF_8)));
        assertThat(dup.code()).isEqualTo(RzmqException.Code.EINVAL);
        assertThat(failure(server.connect(ep, new byte[0])).code()).isEqualTo(RzmqException.Code.EINVAL);
        ZSocket dealer = socket(SocketType.DEALER);
        assertThat(failure(dealer.connect(ep, new byte[] {1})).code()).isEqualTo(RzmqException.Code.ENOTSUP);
    }
}
