package io.rzmq.pekko.api;

import io.rzmq.pekko.model.MonitorEvent;

import io.rzmq.pekko.Rzmq;
import io.rzmq.pekko.model.RzmqException;
import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.pekko.model.MonitorEventKind;
import io.rzmq.testkit.Msgs;
import io.rzmq.testkit.PyPeer;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import io.rzmq.protocol.security.CurveKeyPair;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
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
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Security socket options select PLAIN / CURVE per socket, through ZSocket, over tcp and ipc. */
class CurveSocketOptionsTest {
    static final ActorTestKit testKit = ActorTestKit.create();

    // libzmq's published test keys (doc/zmq_curve.adoc).
    static final String SERVER_PUBLIC = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7";
    static final String SERVER_SECRET = "JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6";
    static final String CLIENT_PUBLIC = "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID";
    static final String CLIENT_SECRET = "D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%wOTJ%JR%cs";

    ZContext ctx;

    @BeforeEach
    void newContext() {
        ctx = Rzmq.get(testKit.system()).newContext("curve");
    }

    @AfterEach
    void closeContext() {
        result(ctx.close(Duration.ZERO));
    }

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    private SocketOptions server() {
        return ctx.defaultOptions().withCurveServer(true).withCurveSecretKey(SERVER_SECRET);
    }

    private SocketOptions client(String serverKey) {
        return ctx.defaultOptions().withCurveServerKey(serverKey).withCurvePublicKey(CLIENT_PUBLIC)
            .withCurveSecretKey(CLIENT_SECRET);
    }

    private void pushPull(String bindEndpoint) {
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL, server());
        String endpoint = result(pull.bind(bindEndpoint));
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH, client(SERVER_PUBLIC));
        result(push.connect(endpoint));
        byte[] big = new byte[1 << 20];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        for (int i = 0; i < 9; i++) {
            result(push.send(Msgs.generated(i)));
        }
        result(push.send(Msg.of(big, "tail".getBytes())));
        for (int i = 0; i < 9; i++) {
            assertThat(result(pull.receive())).isEqualTo(Msgs.generated(i));
        }
        Msg m = result(pull.receive());
        assertThat(m.frameCount()).isEqualTo(2);
        assertThat(Arrays.equals(m.frame(0).toByteArray(), big)).isTrue();
    }

    @Test
    void curvePushPullOverTcpCarriesMultipartAndOneMegabyte() {
        pushPull("tcp://127.0.0.1:*");
    }

    @Test
    void curvePushPullOverIpc() {
        pushPull("ipc://*");
    }

    @Test
    void curveRequestReplyOverTcp() {
        ZSocket rep = ZSocket.create(ctx, SocketType.REP, server());
        String endpoint = result(rep.bind("tcp://127.0.0.1:*"));
        ZSocket req = ZSocket.create(ctx, SocketType.REQ, client(SERVER_PUBLIC));
        result(req.connect(endpoint));
        for (int i = 0; i < 5; i++) {
            result(req.send(Msg.of("q-" + i, "more")));
            Msg q = result(rep.receive());
            assertThat(q).isEqualTo(Msg.of("q-" + i, "more"));
            result(rep.send(Msg.of("a-" + i)));
            assertThat(result(req.receive())).isEqualTo(Msg.of("a-" + i));
        }
    }

    @Test
    void aWrongServerKeyFailsTheHandshakeAndTheClientKeepsRetrying() {
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL, server());
        TestProbe<MonitorEvent> serverEvents = testKit.createTestProbe(MonitorEvent.class);
        result(pull.monitor(serverEvents.getRef()));
        String endpoint = result(pull.bind("tcp://127.0.0.1:*"));
        String otherKey = CurveKeyPair.generate().publicKeyZ85();
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH, client(otherKey));
        TestProbe<MonitorEvent> clientEvents = testKit.createTestProbe(MonitorEvent.class);
        result(push.monitor(clientEvents.getRef()));
        result(push.connect(endpoint));
        assertThat(push.trySend(Msg.of("must-not-arrive"))).isTrue();

        // Two failed handshakes on the server: the client retried after the first. As libzmq: a HELLO box
        // that does not open is a protocol failure with the value ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC.
        for (int n = 0; n < 2; n++) {
            serverEvents.fishForMessage(Await.DEADLINE, "HANDSHAKE_FAILED_PROTOCOL 0x11000001",
                e -> e.kind() == MonitorEventKind.HANDSHAKE_FAILED_PROTOCOL && e.value() == 0x11000001 ? FishingOutcomes.complete()
                    : FishingOutcomes.continueAndIgnore());
        }
        clientEvents.fishForMessage(Await.DEADLINE, "CONNECT_RETRIED",
            e -> e.kind() == MonitorEventKind.CONNECT_RETRIED ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
        assertThat(pull.tryReceive()).isNull();
    }

    @Test
    void aCurveServerDoesNotAdmitANullClient() {
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL, server());
        TestProbe<MonitorEvent> serverEvents = testKit.createTestProbe(MonitorEvent.class);
        result(pull.monitor(serverEvents.getRef()));
        String endpoint = result(pull.bind("tcp://127.0.0.1:*"));
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH);
        result(push.connect(endpoint));
        assertThat(push.trySend(Msg.of("must-not-arrive"))).isTrue();
        serverEvents.fishForMessage(Await.DEADLINE, "a failed handshake",
            e -> e.kind().isHandshakeFailure() ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
        assertThat(pull.tryReceive()).isNull();
    }

    @Test
    void libzmqCurveClientToOurCurveServer() {
        Assumptions.assumeTrue(PyPeer.available(), "pyzmq is not installed");
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL, server());
        String endpoint = result(pull.bind("tcp://127.0.0.1:*"));
        try (PyPeer pypush = PyPeer.start(Map.of("CURVE_CLIENT_PUBLIC", CLIENT_PUBLIC,
            "CURVE_CLIENT_SECRET", CLIENT_SECRET, "CURVE_SERVER_PUBLIC", SERVER_PUBLIC), "push", "connect", endpoint, "12")) {
            for (int i = 0; i < 12; i++) {
                assertThat(result(pull.receive())).isEqualTo(Msgs.generated(i));
            }
        }
    }

    @Test
    void ourCurveClientToLibzmqCurveServer() {
        Assumptions.assumeTrue(PyPeer.available(), "pyzmq is not installed");
        try (PyPeer pyrep = PyPeer.start(Map.of("CURVE_SERVER_SECRET", SERVER_SECRET), "rep", "bind",
            "tcp://127.0.0.1:*", "3")) {
            String endpoint = pyrep.awaitReady();
            ZSocket req = ZSocket.create(ctx, SocketType.REQ, client(SERVER_PUBLIC));
            result(req.connect(endpoint));
            for (int i = 0; i < 3; i++) {
                result(req.send(Msg.of("r-" + i, "x")));
                assertThat(result(req.receive())).isEqualTo(Msg.of("r-" + i, "x", "from-libzmq"));
            }
        }
    }

    @Test
    void ourPlainClientLogsInToALibzmqPlainServer() {
        Assumptions.assumeTrue(PyPeer.available(), "pyzmq is not installed");
        try (PyPeer pypull = PyPeer.start(Map.of("PLAIN_SERVER", "1"), "pull", "bind", "tcp://127.0.0.1:*", "3")) {
            String endpoint = pypull.awaitReady();
            ZSocket push = ZSocket.create(ctx, SocketType.PUSH,
                ctx.defaultOptions().withPlainUsername("admin").withPlainPassword("secret"));
            result(push.connect(endpoint));
            for (int i = 0; i < 3; i++) {
                result(push.send(Msgs.generated(i)));
            }
            for (int i = 0; i < 3; i++) {
                assertThat(Msgs.parse(pypull.awaitLine("MSG"))).isEqualTo(Msgs.generated(i));
            }
        }
    }

    @Test
    void optionsSelectTheMechanismAndRole() {
        SocketOptions d = ctx.defaultOptions();
        assertThat(d.mechanism()).isEqualTo(SocketOptions.SecurityMechanism.NULL);
        assertThat(d.withPlainUsername("u").mechanism()).isEqualTo(SocketOptions.SecurityMechanism.PLAIN);
        assertThat(d.withPlainServer(true).securityServer()).isTrue();
        assertThat(server().mechanism()).isEqualTo(SocketOptions.SecurityMechanism.CURVE);
        assertThat(server().securityServer()).isTrue();
        assertThat(client(SERVER_PUBLIC).securityServer()).isFalse();
        assertThat(server().curveKeyPair().publicKeyZ85()).isEqualTo(SERVER_PUBLIC);
        assertThat(d.withCurveServerKey(CurveKeyPair.decodePublicKey(SERVER_PUBLIC)).curveServerKey())
            .isEqualTo(CurveKeyPair.decodePublicKey(SERVER_PUBLIC));
    }

    @Test
    void badKeysAreRefusedWithoutShowingThem() {
        SocketOptions d = ctx.defaultOptions();
        assertThatThrownBy(() -> d.withCurveSecretKey("too-short")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("CURVE_SECRETKEY").hasMessageNotContaining("too-short");
        String badZ85 = "~" + SERVER_SECRET.substring(1);
        assertThatThrownBy(() -> d.withCurveSecretKey(badZ85)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("Z85").hasMessageNotContaining(badZ85);
        assertThatThrownBy(() -> d.withCurvePublicKey(new byte[31])).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> d.withPlainPassword("p".repeat(256))).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("PLAIN_PASSWORD");
        assertThat(server().toString()).doesNotContain(SERVER_SECRET);
    }

    @Test
    void inconsistentSetsAreRefusedAtCreateWithEinval() {
        SocketOptions d = ctx.defaultOptions();
        assertEinval(d.withCurveServer(true), "CURVE_SECRETKEY");
        assertEinval(d.withCurveServerKey(SERVER_PUBLIC).withCurveSecretKey(CLIENT_SECRET), "CURVE_PUBLICKEY");
        assertEinval(d.withCurvePublicKey(CLIENT_PUBLIC).withCurveSecretKey(CLIENT_SECRET), "CURVE_SERVERKEY");
        assertEinval(d.withCurveServerKey(SERVER_PUBLIC).withCurvePublicKey(SERVER_PUBLIC)
            .withCurveSecretKey(CLIENT_SECRET), "does not belong");
    }

    private void assertEinval(SocketOptions options, String message) {
        assertThatThrownBy(() -> ZSocket.create(ctx, SocketType.PUSH, options)).isInstanceOf(RzmqException.class)
            .satisfies(e -> assertThat(((RzmqException) e).code()).isEqualTo(RzmqException.Code.EINVAL))
            .hasMessageContaining(message).hasMessageNotContaining(CLIENT_SECRET);
    }
}
