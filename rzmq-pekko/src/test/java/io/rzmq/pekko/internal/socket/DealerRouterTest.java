package io.rzmq.pekko.internal.socket;

import io.rzmq.pekko.model.RzmqException;
import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.apache.pekko.Done;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import static org.assertj.core.api.Assertions.assertThat;

/** DEALER and ROUTER (RFC 28) over inproc and tcp. */
class DealerRouterTest extends PatternTestSupport {

    private static SocketOptions opts() {
        return SocketOptions.defaults().withLinger(Duration.ZERO);
    }

    private static SocketOptions id(String id) {
        return opts().withRoutingId(id.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @EnumSource(Via.class)
    void dealerRoundRobinsOverItsPeersWithoutAnyEnvelope(Via via) {
        ZSocket a = socket(SocketType.ROUTER);
        ZSocket b = socket(SocketType.ROUTER);
        ZSocket dealer = socket(SocketType.DEALER, id("D"));
        result(dealer.connect(bind(a, via)));
        result(dealer.connect(bind(b, via)));
        awaitReadyPeers(dealer, 2);
        for (int i = 0; i < 6; i++) {
            result(dealer.send(Msg.of("m" + i)));
        }
        List<String> atA = new ArrayList<>();
        List<String> atB = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Msg ma = receive(a);
            Msg mb = receive(b);
            assertThat(ma.frameCount()).isEqualTo(2); // routing id + the frame the dealer sent, nothing added
            assertThat(ma.first().asString()).isEqualTo("D");
            atA.add(ma.frame(1).asString());
            atB.add(mb.frame(1).asString());
        }
        // Each peer got every other message.
        List<String> even = List.of("m0", "m2", "m4");
        List<String> odd = List.of("m1", "m3", "m5");
        assertThat(List.of(atA, atB)).containsExactlyInAnyOrder(even, odd);
    }

    @ParameterizedTest
    @EnumSource(Via.class)
    void aFloodingPeerDoesNotStarveAnother(Via via) {
        ZSocket router = socket(SocketType.ROUTER, opts().withRcvHwm(8));
        String ep = bind(router, via);
        ZSocket flooder = socket(SocketType.DEALER, id("flood"));
        ZSocket quiet = socket(SocketType.DEALER, id("quiet"));
        result(flooder.connect(ep));
        result(quiet.connect(ep));
        awaitReadyPeers(router, 2);

        int flood = 3000;
        byte[] payload = new byte[4096];
        CompletionStage<Done> last = null;
        for (int i = 0; i < flood; i++) {
            last = flooder.send(Msg.of(payload));
        }
        // Wait until the flood is held back by the router (its queues are full), then the quiet one speaks.
        CompletionStage<Done> lastSend = last;
        until("the flood is back-pressured", () -> !lastSend.toCompletableFuture().isDone()
            || result(router.status()).inbox() >= 8);
        result(quiet.send(Msg.of("hello")));
        int position = -1;
        for (int i = 0; i <= flood && position < 0; i++) {
            Msg m = receive(router);
            if (m.first().asString().equals("quiet")) {
                position = i;
            }
        }
        assertThat(position).isBetween(0, 1000);
    }

    @ParameterizedTest
    @EnumSource(Via.class)
    void routerPrefixesAndRoutesByRoutingIds(Via via) {
        ZSocket router = socket(SocketType.ROUTER);
        String ep = bind(router, via);
        ZSocket named = socket(SocketType.DEALER, id("alpha"));
        ZSocket anonymous = socket(SocketType.DEALER);
        result(named.connect(ep));
        result(anonymous.connect(ep));
        awaitReadyPeers(router, 2);

        result(named.send(Msg.of("from-alpha", "x")));
        result(anonymous.send(Msg.of("from-anon")));
        Map<String, Frame> ids = new HashMap<>();
        for (int i = 0; i < 2; i++) {
            Msg m = receive(router);
            ids.put(m.frame(1).asString(), m.first());
            if (m.frame(1).asString().equals("from-alpha")) {
                assertThat(m.frameCount()).isEqualTo(3);
            }
        }
        assertThat(ids.get("from-alpha")).isEqualTo(Frame.of("alpha"));
        Frame generated = ids.get("from-anon");
        assertThat(generated.size()).isEqualTo(5);
        assertThat(generated.get(0)).isZero();

        result(router.send(Msg.ofFrames(generated, Frame.of("to-anon"))));
        result(router.send(Msg.ofFrames(Frame.of("alpha"), Frame.of("to-alpha"), Frame.of("y"))));
        assertThat(receive(anonymous)).isEqualTo(Msg.of("to-anon"));
        assertThat(receive(named)).isEqualTo(Msg.of("to-alpha", "y"));
    }

    @ParameterizedTest
    @EnumSource(Via.class)
    void unroutableMessagesAreDroppedOrRefusedWithMandatory(Via via) {
        ZSocket lax = socket(SocketType.ROUTER);
        ZSocket strict = socket(SocketType.ROUTER, opts().withRouterMandatory(true));
        ZSocket peer = socket(SocketType.DEALER, id("known"));
        result(peer.connect(bind(lax, via)));
        result(peer.connect(bind(strict, via)));
        awaitReadyPeers(lax, 1);
        awaitReadyPeers(strict, 1);

        // Without ROUTER_MANDATORY an unknown id is dropped silently and later messages still flow.
        result(lax.send(Msg.of("nobody", "lost")));
        result(lax.send(Msg.of("known", "from-lax")));
        assertThat(receive(peer)).isEqualTo(Msg.of("from-lax"));

        RzmqException e = failure(strict.send(Msg.of("nobody", "refused")));
        assertThat(e.code()).isEqualTo(RzmqException.Code.EHOSTUNREACH);
        assertThat(e.getMessage()).contains("nobody");
        result(strict.send(Msg.of("known", "from-strict")));
        assertThat(receive(peer)).isEqualTo(Msg.of("from-strict"));

        // Once the peer is gone, its id is unroutable again.
        result(peer.close());
        until("the strict router forgot the peer", () -> result(strict.status()).pipes() == 0);
        assertThat(failure(strict.send(Msg.of("known", "gone"))).code()).isEqualTo(RzmqException.Code.EHOSTUNREACH);
    }

    @ParameterizedTest
    @EnumSource(Via.class)
    void routersTalkToEachOtherWithExplicitIds(Via via) {
        ZSocket server = socket(SocketType.ROUTER, id("server"));
        ZSocket client = socket(SocketType.ROUTER, id("client").withRouterMandatory(true));
        result(client.connect(bind(server, via)));
        awaitReadyPeers(client, 1); // the client learnt the server's id from the handshake

        result(client.send(Msg.of("server", "hello", "there")));
        assertThat(receive(server)).isEqualTo(Msg.of("client", "hello", "there"));
        result(server.send(Msg.of("client", "welcome")));
        assertThat(receive(client)).isEqualTo(Msg.of("server", "welcome"));
    }

    @ParameterizedTest
    @EnumSource(Via.class)
    void aDuplicateIdIsRefusedUnlessHandover(Via via) {
        ZSocket router = socket(SocketType.ROUTER);
        String ep = bind(router, via);
        ZSocket first = socket(SocketType.DEALER, id("same"));
        result(first.connect(ep));
        awaitReadyPeers(router, 1);
        result(first.send(Msg.of("first-hello")));
        assertThat(receive(router)).isEqualTo(Msg.of("same", "first-hello"));

        ZSocket second = socket(SocketType.DEALER, id("same"));
        result(second.connect(ep));
        // Not awaited: refused, the newcomer has no peer to take it (libzmq's zmq_send would block).
        second.send(Msg.of("second-hello"));
        // The first peer keeps the id: replies still reach it, the newcomer's message never arrives.
        result(router.send(Msg.of("same", "still-first")));
        assertThat(receive(first)).isEqualTo(Msg.of("still-first"));
        result(first.send(Msg.of("first-again")));
        assertThat(receive(router)).isEqualTo(Msg.of("same", "first-again"));
        assertThat(second.tryReceive()).isNull();

        ZSocket taker = socket(SocketType.ROUTER, opts().withRouterHandover(true));
        String ep2 = bind(taker, via);
        ZSocket old = socket(SocketType.DEALER, id("dup"));
        result(old.connect(ep2));
        awaitReadyPeers(taker, 1);
        ZSocket fresh = socket(SocketType.DEALER, id("dup"));
        result(fresh.connect(ep2));
        result(fresh.send(Msg.of("fresh-hello")));
        assertThat(receive(taker)).isEqualTo(Msg.of("dup", "fresh-hello"));
        result(taker.send(Msg.of("dup", "to-fresh")));
        assertThat(receive(fresh)).isEqualTo(Msg.of("to-fresh"));
    }

    @ParameterizedTest
    @EnumSource(Via.class)
    void probeRouterAnnouncesTheDealerToTheRouter(Via via) {
        ZSocket router = socket(SocketType.ROUTER);
        ZSocket dealer = socket(SocketType.DEALER, id("prober").withProbeRouter(true));
        result(dealer.connect(bind(router, via)));
        // The router hears from the dealer without the dealer sending anything.
        assertThat(receive(router)).isEqualTo(Msg.ofFrames(Frame.of("prober"), Frame.EMPTY));
        result(router.send(Msg.of("prober", "hi")));
        assertThat(receive(dealer)).isEqualTo(Msg.of("hi"));
    }
}
