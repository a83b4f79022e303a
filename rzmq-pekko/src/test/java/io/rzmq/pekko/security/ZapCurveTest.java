package io.rzmq.pekko.security;

import io.rzmq.pekko.testing.TcpTransportTest;
import io.rzmq.pekko.Rzmq;
import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.pekko.api.Await;
import io.rzmq.pekko.model.MonitorEvent;
import io.rzmq.pekko.model.MonitorEventKind;
import io.rzmq.pekko.api.ZContext;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.testkit.Msgs;
import io.rzmq.testkit.PyPeer;
import io.rzmq.pekko.testing.TestZapHandler;
import io.rzmq.pekko.testing.TestZapHandler.Verdict;
import io.rzmq.protocol.Metadata;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import io.rzmq.protocol.security.CurveKeyPair;
import io.rzmq.protocol.security.ZapRequest;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import static io.rzmq.pekko.api.Await.result;
import static io.rzmq.pekko.security.ZapTestSupport.await;
import static io.rzmq.pekko.security.ZapTestSupport.monitored;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * CURVE servers ask the ZAP handler about each client's long-term key (and address): libzmq clients with
 * an allowed key get through, unknown keys and denied addresses are refused on both sides, a wrong server
 * key fails before ZAP is asked, and without a handler every client that proves its key is admitted.
 */
@TcpTransportTest
class ZapCurveTest {
    static final ActorTestKit testKit = ActorTestKit.create();

    // libzmq's published test keys (doc/zmq_curve.adoc).
    static final String SERVER_PUBLIC = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7";
    static final String SERVER_SECRET = "JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6";
    static final String CLIENT_PUBLIC = "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID";
    static final String CLIENT_SECRET = "D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%wOTJ%JR%cs";

    ZContext ctx;

    @BeforeEach
    void newContext() {
        ctx = Rzmq.get(testKit.system()).newContext("zap-curve");
    }

    @AfterEach
    void closeContext() {
        result(ctx.close(Duration.ZERO));
    }

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    /** The known client key is "alice"; other keys get 400; nobody from 127.0.0.2 gets in. */
    static Verdict aliceFromLocalhost(ZapRequest r) {
        if (r.address().equals("127.0.0.2")) {
            return Verdict.deny("400", "address blocked");
        }
        boolean known = r.mechanism().equals("CURVE")
            && Arrays.equals(r.credentials().get(0), CurveKeyPair.decodePublicKey(CLIENT_PUBLIC));
        return known ? Verdict.allow("alice") : Verdict.deny("400", "unknown key");
    }

    private SocketOptions server() {
        return ctx.defaultOptions().withCurveServer(true).withCurveSecretKey(SERVER_SECRET);
    }

    private static Map<String, String> libzmqClient(String pub, String secret, String serverKey) {
        return Map.of("CURVE_CLIENT_PUBLIC", pub, "CURVE_CLIENT_SECRET", secret, "CURVE_SERVER_PUBLIC", serverKey,
            "MONITOR", "1");
    }

    @Test
    void libzmqClientWithAnAllowedKeyIsAdmittedWithItsUserId() {
        Assumptions.assumeTrue(PyPeer.available(), "pyzmq is not installed");
        TestZapHandler zap = TestZapHandler.bind(ctx, SocketType.ROUTER, ZapCurveTest::aliceFromLocalhost);
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL, server());
        String endpoint = result(pull.bind("tcp://127.0.0.1:*"));
        try (PyPeer py = PyPeer.start(libzmqClient(CLIENT_PUBLIC, CLIENT_SECRET, SERVER_PUBLIC),
            "push", "connect", endpoint, "4")) {
            for (int i = 0; i < 4; i++) {
                Msg got = result(pull.receive());
                assertThat(got).isEqualTo(Msgs.generated(i));
                assertThat(got.properties().getString(Metadata.USER_ID)).contains("alice");
            }
            py.awaitLine(l -> l.startsWith("EVENT HANDSHAKE_SUCCEEDED"), Await.DEADLINE);
        }
        ZapRequest asked = zap.requests().get(0);
        assertThat(asked.mechanism()).isEqualTo("CURVE");
        assertThat(asked.domain()).isEmpty();
        assertThat(asked.credentials().get(0)).isEqualTo(CurveKeyPair.decodePublicKey(CLIENT_PUBLIC));
    }

    @Test
    void libzmqClientWithAnUnknownKeyIsRefusedOnBothSidesAndGetsNothingThrough() {
        Assumptions.assumeTrue(PyPeer.available(), "pyzmq is not installed");
        TestZapHandler.bind(ctx, SocketType.ROUTER, ZapCurveTest::aliceFromLocalhost);
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL, server());
        TestProbe<MonitorEvent> events = monitored(testKit, pull);
        String endpoint = result(pull.bind("tcp://127.0.0.1:*"));
        CurveKeyPair stranger = CurveKeyPair.generate();
        try (PyPeer py = PyPeer.start(libzmqClient(stranger.publicKeyZ85(), stranger.secretKeyZ85(), SERVER_PUBLIC),
            "push", "connect", endpoint, "5")) {
            MonitorEvent refused = await(events, MonitorEventKind.HANDSHAKE_FAILED_AUTH);
            assertThat(refused.value()).isEqualTo(400);
            assertThat(refused.detail()).contains("unknown key");
            // libzmq's CURVE client reads the status code out of our ERROR command.
            py.awaitLine(l -> l.equals("EVENT HANDSHAKE_FAILED_AUTH 400"), Await.DEADLINE);

            ZSocket push = ZSocket.create(ctx, SocketType.PUSH, ctx.defaultOptions().withCurveServerKey(SERVER_PUBLIC)
                .withCurvePublicKey(CLIENT_PUBLIC).withCurveSecretKey(CLIENT_SECRET));
            result(push.connect(endpoint));
            result(push.send(Msg.of("good")));
            Msg got = result(pull.receive());
            assertThat(got).isEqualTo(Msg.of("good"));
            assertThat(got.properties().getString(Metadata.USER_ID)).contains("alice");
            assertThat(pull.tryReceive()).isNull();
        }
    }

    @Test
    void aWrongServerKeyFailsTheHandshakeBeforeZapIsAsked() {
        Assumptions.assumeTrue(PyPeer.available(), "pyzmq is not installed");
        TestZapHandler zap = TestZapHandler.bind(ctx, SocketType.ROUTER, ZapCurveTest::aliceFromLocalhost);
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL, server());
        TestProbe<MonitorEvent> events = monitored(testKit, pull);
        String endpoint = result(pull.bind("tcp://127.0.0.1:*"));
        String otherServer = CurveKeyPair.generate().publicKeyZ85();
        try (PyPeer py = PyPeer.start(libzmqClient(CLIENT_PUBLIC, CLIENT_SECRET, otherServer),
            "push", "connect", endpoint, "1")) {
            // As libzmq: a HELLO box that does not open is a cryptographic protocol failure, not a ZAP refusal.
            MonitorEvent failed = await(events, MonitorEventKind.HANDSHAKE_FAILED_PROTOCOL);
            assertThat(failed.detail()).contains("HELLO");
            assertThat(failed.value()).isEqualTo(0x11000001);
            assertThat(zap.requests()).isEmpty();
            assertThat(pull.tryReceive()).isNull();
        }
    }

    @Test
    void aDeniedAddressIsRefusedWhileLocalhostIsAdmitted() {
        Assumptions.assumeTrue(PyPeer.available(), "pyzmq is not installed");
        TestZapHandler zap = TestZapHandler.bind(ctx, SocketType.REP, ZapCurveTest::aliceFromLocalhost);
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL, server());
        TestProbe<MonitorEvent> events = monitored(testKit, pull);
        String endpoint = result(pull.bind("tcp://127.0.0.1:*"));
        String port = endpoint.substring(endpoint.lastIndexOf(':') + 1);
        // libzmq's "source;destination" connect form: this client comes from 127.0.0.2.
        try (PyPeer blocked = PyPeer.start(libzmqClient(CLIENT_PUBLIC, CLIENT_SECRET, SERVER_PUBLIC),
            "push", "connect", "tcp://127.0.0.2:0;127.0.0.1:" + port, "3")) {
            MonitorEvent refused = await(events, MonitorEventKind.HANDSHAKE_FAILED_AUTH);
            assertThat(refused.detail()).contains("address blocked");
            assertThat(zap.requests().get(0).address()).isEqualTo("127.0.0.2");
            blocked.awaitLine(l -> l.equals("EVENT HANDSHAKE_FAILED_AUTH 400"), Await.DEADLINE);
            try (PyPeer local = PyPeer.start(libzmqClient(CLIENT_PUBLIC, CLIENT_SECRET, SERVER_PUBLIC),
                "push", "connect", endpoint, "3")) {
                for (int i = 0; i < 3; i++) {
                    Msg got = result(pull.receive());
                    assertThat(got).isEqualTo(Msgs.generated(i));
                    assertThat(got.properties().getString(Metadata.PEER_ADDRESS)).contains("127.0.0.1");
                }
                assertThat(pull.tryReceive()).isNull();
            }
        }
    }

    @Test
    void withoutAHandlerEveryClientThatProvesItsKeyIsAdmitted() {
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL, server());
        String endpoint = result(pull.bind("ipc://*"));
        CurveKeyPair anyone = CurveKeyPair.generate();
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH, ctx.defaultOptions().withCurveServerKey(SERVER_PUBLIC)
            .withCurvePublicKey(anyone.publicKeyZ85()).withCurveSecretKey(anyone.secretKeyZ85()));
        result(push.connect(endpoint));
        result(push.send(Msg.of("stonehouse")));
        Msg got = result(pull.receive());
        assertThat(got).isEqualTo(Msg.of("stonehouse"));
        assertThat(got.properties().contains(Metadata.USER_ID)).as("no ZAP, no User-Id").isFalse();
        assertThat(got.properties().getString(Metadata.PEER_ADDRESS).orElseThrow())
            .endsWith(":" + ProcessHandle.current().pid());
    }
}
