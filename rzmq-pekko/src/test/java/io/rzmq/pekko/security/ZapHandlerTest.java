package io.rzmq.pekko.security;

import com.typesafe.config.ConfigFactory;
import io.rzmq.pekko.Rzmq;
import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.pekko.api.Await;
import io.rzmq.pekko.model.MonitorEvent;
import io.rzmq.pekko.model.MonitorEventKind;
import io.rzmq.pekko.api.ZContext;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.pekko.testing.TestZapHandler;
import io.rzmq.pekko.testing.TestZapHandler.Verdict;
import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Metadata;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import io.rzmq.protocol.security.ZapCodec;
import io.rzmq.protocol.security.ZapRequest;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.rzmq.pekko.api.Await.result;
import static io.rzmq.pekko.security.ZapTestSupport.await;
import static io.rzmq.pekko.security.ZapTestSupport.monitored;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ZAP client's limits: a handler that never answers costs that connection its HANDSHAKE_IVL and
 * blocks nobody else; a handler that goes away fails the waiting handshakes at once; pending requests
 * are bounded; a malformed reply fails the handshake it names; only REP and ROUTER are handlers.
 */
class ZapHandlerTest {
    // At most two handshakes of a context may wait for the handler.
    static final ActorTestKit testKit = ActorTestKit.create(ConfigFactory.parseString(
        "rzmq.context.zap-max-pending = 2").withFallback(ConfigFactory.load()));

    ZContext ctx;

    @BeforeEach
    void newContext() {
        ctx = Rzmq.get(testKit.system()).newContext("zap-handler");
    }

    @AfterEach
    void closeContext() {
        result(ctx.close(Duration.ZERO));
    }

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    private static String user(ZapRequest r) {
        return new String(r.credentials().get(0), StandardCharsets.UTF_8);
    }

    private SocketOptions plainServer(Duration handshakeIvl) {
        return ctx.defaultOptions().withPlainServer(true).withHandshakeIvl(handshakeIvl);
    }

    private ZSocket plainClient(String user, String endpoint) {
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH, ctx.defaultOptions().withPlainUsername(user)
            .withPlainPassword("pw").withReconnectIvl(Duration.ofMillis(50)));
        result(push.connect(endpoint));
        return push;
    }

    @Test
    void aHandlerThatNeverAnswersExpiresThatConnectionOnlyAndTheClientRetries() {
        TestZapHandler zap = TestZapHandler.bind(ctx, SocketType.ROUTER,
            r -> user(r).equals("slow") ? TestZapHandler.IGNORE : Verdict.allow(user(r)));
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL, plainServer(Duration.ofSeconds(3)));
        TestProbe<MonitorEvent> events = monitored(testKit, pull);
        String endpoint = result(pull.bind("tcp://127.0.0.1:*"));

        ZSocket slow = plainClient("slow", endpoint);
        assertThat(slow.trySend(Msg.of("from-slow"))).isTrue();
        Await.until("the handler got the slow client's request", () -> !zap.requests().isEmpty());

        ZSocket fast = plainClient("fast", endpoint);
        result(fast.send(Msg.of("from-fast")));
        Msg got = result(pull.receive());
        assertThat(got).isEqualTo(Msg.of("from-fast"));
        assertThat(got.properties().getString(Metadata.USER_ID)).contains("fast");

        // The fast handshake succeeded while the slow one was still waiting; then the slow one expired.
        List<MonitorEventKind> order = new ArrayList<>();
        List<MonitorEvent> seen = events.fishForMessage(Await.DEADLINE, "the slow handshake expiring", e -> {
            if (e.kind() == MonitorEventKind.HANDSHAKE_SUCCEEDED || e.kind() == MonitorEventKind.HANDSHAKE_FAILED_NO_DETAIL) {
                order.add(e.kind());
            }
            return e.kind() == MonitorEventKind.HANDSHAKE_FAILED_NO_DETAIL ? FishingOutcomes.complete()
                : FishingOutcomes.continueAndIgnore();
        });
        assertThat(order).containsExactly(MonitorEventKind.HANDSHAKE_SUCCEEDED, MonitorEventKind.HANDSHAKE_FAILED_NO_DETAIL);
        assertThat(seen.get(seen.size() - 1).detail()).contains("ZAP handler");

        // The slow client reconnects on its schedule and asks again; it never gets a message through.
        Await.until("the slow client asked again",
            () -> zap.requests().stream().filter(r -> user(r).equals("slow")).count() >= 2);
        assertThat(pull.tryReceive()).isNull();
    }

    @Test
    void anExpiredHandshakeGivesBackItsPendingPlace() {
        TestZapHandler zap = TestZapHandler.bind(ctx, SocketType.ROUTER, r -> TestZapHandler.IGNORE);
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL, plainServer(Duration.ofMillis(200)));
        String endpoint = result(pull.bind("tcp://127.0.0.1:*"));
        plainClient("again-and-again", endpoint);
        // Only two may wait at once: a fourth request reaches the handler only if expired ones left.
        Await.until("four requests from retries", () -> zap.requests().size() >= 4);
    }

    @Test
    void aHandlerThatGoesAwayFailsTheWaitingHandshakesAtOnce() {
        TestZapHandler zap = TestZapHandler.bind(ctx, SocketType.ROUTER, r -> TestZapHandler.IGNORE);
        // No HANDSHAKE_IVL: only the handler's going away can end this handshake.
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL, plainServer(Duration.ZERO));
        TestProbe<MonitorEvent> events = monitored(testKit, pull);
        String endpoint = result(pull.bind("tcp://127.0.0.1:*"));
        plainClient("anyone", endpoint);
        Await.until("the handler got the request", () -> !zap.requests().isEmpty());
        zap.close();
        MonitorEvent failed = await(events, MonitorEventKind.HANDSHAKE_FAILED_NO_DETAIL);
        assertThat(failed.detail()).contains("went away");
    }

    @Test
    void pendingRequestsAreBounded() {
        TestZapHandler zap = TestZapHandler.bind(ctx, SocketType.ROUTER, r -> TestZapHandler.IGNORE);
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL, plainServer(Duration.ZERO));
        TestProbe<MonitorEvent> events = monitored(testKit, pull);
        String endpoint = result(pull.bind("tcp://127.0.0.1:*"));
        plainClient("one", endpoint);
        plainClient("two", endpoint);
        Await.until("two requests wait", () -> zap.requests().size() == 2);
        plainClient("three", endpoint);
        MonitorEvent refused = await(events, MonitorEventKind.HANDSHAKE_FAILED_NO_DETAIL);
        assertThat(refused.detail()).contains("too many ZAP requests pending");
        assertThat(zap.requests()).hasSize(2);
    }

    @Test
    void aMalformedReplyFailsTheHandshakeItNames() {
        ZSocket handler = ZSocket.create(ctx, SocketType.ROUTER);
        result(handler.bind(ZapCodec.ENDPOINT));
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL, plainServer(Duration.ZERO));
        TestProbe<MonitorEvent> events = monitored(testKit, pull);
        String endpoint = result(pull.bind("tcp://127.0.0.1:*"));
        plainClient("anyone", endpoint);
        Msg request = result(handler.receive());
        ZapRequest r = ZapCodec.decodeRequest(request.frames().subList(1, request.frameCount()));
        // Status 999 is no ZAP status code.
        result(handler.send(Msg.ofFrames(request.frame(0), Frame.EMPTY, Frame.of("1.0"), Frame.copyOf(r.requestId()),
            Frame.of("999"), Frame.of("?"), Frame.EMPTY, Frame.EMPTY)));
        MonitorEvent failed = await(events, MonitorEventKind.HANDSHAKE_FAILED_PROTOCOL);
        assertThat(failed.detail()).contains("malformed ZAP reply").contains("999");
    }

    @Test
    void aDealerAtTheZapEndpointIsNoHandler() {
        ZSocket dealer = ZSocket.create(ctx, SocketType.DEALER);
        result(dealer.bind(ZapCodec.ENDPOINT));
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL, plainServer(Duration.ZERO));
        TestProbe<MonitorEvent> events = monitored(testKit, pull);
        String endpoint = result(pull.bind("tcp://127.0.0.1:*"));
        plainClient("anyone", endpoint);
        assertThat(await(events, MonitorEventKind.HANDSHAKE_FAILED_NO_DETAIL).detail()).contains("no ZAP handler");
        assertThat(dealer.tryReceive()).isNull();
    }
}
