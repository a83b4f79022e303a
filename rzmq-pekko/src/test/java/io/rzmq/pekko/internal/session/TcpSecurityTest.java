package io.rzmq.pekko.internal.session;

import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.pekko.internal.engine.EngineSettings;
import io.rzmq.pekko.internal.engine.MechanismFactory;
import io.rzmq.pekko.model.MonitorEventKind;
import io.rzmq.testkit.Msgs;
import io.rzmq.pekko.testing.PeerPipes;
import io.rzmq.testkit.PyPeer;
import io.rzmq.pekko.testing.SocketHarness;
import io.rzmq.pekko.internal.engine.SocketSetup;
import io.rzmq.pekko.internal.transport.TransportEvent;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import io.rzmq.protocol.security.CurveKeyPair;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** CURVE (and a PLAIN client) through the engine's mechanism seam, between rzmq peers and with libzmq. */
class TcpSecurityTest {
    private static final ActorTestKit kit = ActorTestKit.create();

    // libzmq's published test keys (doc/zmq_curve.adoc), Z85.
    private static final String CLIENT_PUBLIC = "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID";
    private static final String CLIENT_SECRET = "D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%wOTJ%JR%cs";
    private static final String SERVER_PUBLIC = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7";
    private static final String SERVER_SECRET = "JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6";

    private static final CurveKeyPair CLIENT = CurveKeyPair.of(CLIENT_PUBLIC, CLIENT_SECRET);
    private static final CurveKeyPair SERVER = CurveKeyPair.of(SERVER_PUBLIC, SERVER_SECRET);

    private static final TcpTransport curveServer =
        new TcpTransport(EngineSettings.defaults(), MechanismFactory.curveServer(SERVER));
    private static final TcpTransport curveClient =
        new TcpTransport(EngineSettings.defaults(), MechanismFactory.curveClient(CLIENT, SERVER.publicKey()));

    @AfterAll
    static void shutdown() {
        kit.shutdownTestKit();
    }

    private static SocketSetup setup(SocketType type) {
        return SocketSetup.of(type, SocketOptions.defaults());
    }

    @Test
    void rzmqCurveClientAndServerExchangeMessages() {
        SocketHarness server = new SocketHarness(kit);
        server.bind(curveServer, "tcp://127.0.0.1:0", setup(SocketType.PULL));
        String endpoint = server.await(TransportEvent.Bound.class).resolved();
        SocketHarness client = new SocketHarness(kit);
        client.connect(curveClient, endpoint, setup(SocketType.PUSH));
        PeerPipes out = client.awaitAttached();
        for (int i = 0; i < 30; i++) {
            out.send(Msgs.generated(i));
        }
        PeerPipes in = server.awaitAttached();
        for (int i = 0; i < 30; i++) {
            assertThat(in.receive()).isEqualTo(Msgs.generated(i));
        }
    }

    @Test
    void aClientThatTrustsAnotherServerKeyIsRefused() {
        SocketHarness server = new SocketHarness(kit);
        server.bind(curveServer, "tcp://127.0.0.1:0", setup(SocketType.PULL));
        String endpoint = server.await(TransportEvent.Bound.class).resolved();
        TcpTransport misled = new TcpTransport(EngineSettings.defaults(),
            MechanismFactory.curveClient(CLIENT, CurveKeyPair.generate().publicKey()));
        SocketHarness client = new SocketHarness(kit);
        client.connect(misled, endpoint, setup(SocketType.PUSH));

        server.awaitMonitor(MonitorEventKind.HANDSHAKE_FAILED_PROTOCOL);
        client.awaitMonitor(MonitorEventKind.CONNECT_RETRIED);
        assertThat(server.events()).noneMatch(e -> e instanceof TransportEvent.PipeAttached);
    }

    @Test
    void ourCurveClientTalksToALibzmqCurveServer() {
        assumeTrue(PyPeer.available(), "python3 with pyzmq is not installed");
        try (PyPeer peer = PyPeer.start(Map.of("CURVE_SERVER_SECRET", SERVER_SECRET),
            "pull", "bind", "tcp://127.0.0.1:*", "10")) {
            String endpoint = peer.awaitReady();
            SocketHarness client = new SocketHarness(kit);
            client.connect(curveClient, endpoint, setup(SocketType.PUSH));
            PeerPipes out = client.awaitAttached();
            for (int i = 0; i < 10; i++) {
                out.send(Msgs.generated(i));
            }
            for (int i = 0; i < 10; i++) {
                assertThat(Msgs.parse(peer.awaitLine("MSG"))).isEqualTo(Msgs.generated(i));
            }
        }
    }

    @Test
    void ourPlainClientLogsInToALibzmqPlainServer() {
        assumeTrue(PyPeer.available(), "python3 with pyzmq is not installed");
        TcpTransport plainClient = new TcpTransport(EngineSettings.defaults(),
            MechanismFactory.plainClient("admin", "secret"));
        try (PyPeer peer = PyPeer.start(Map.of("PLAIN_SERVER", "1"), "pull", "bind", "tcp://127.0.0.1:*", "3")) {
            String endpoint = peer.awaitReady();
            SocketHarness client = new SocketHarness(kit);
            client.connect(plainClient, endpoint, setup(SocketType.PUSH));
            PeerPipes out = client.awaitAttached();
            for (int i = 0; i < 3; i++) {
                out.send(Msgs.generated(i));
            }
            for (int i = 0; i < 3; i++) {
                assertThat(Msgs.parse(peer.awaitLine("MSG"))).isEqualTo(Msgs.generated(i));
            }
        }
    }

    @Test
    void aLibzmqCurveClientTalksToOurCurveServer() {
        assumeTrue(PyPeer.available(), "python3 with pyzmq is not installed");
        SocketHarness server = new SocketHarness(kit);
        server.bind(curveServer, "tcp://127.0.0.1:0", setup(SocketType.PULL));
        String endpoint = server.await(TransportEvent.Bound.class).resolved();
        try (PyPeer peer = PyPeer.start(Map.of("CURVE_CLIENT_PUBLIC", CLIENT_PUBLIC,
            "CURVE_CLIENT_SECRET", CLIENT_SECRET, "CURVE_SERVER_PUBLIC", SERVER_PUBLIC),
            "push", "connect", endpoint, "10")) {
            PeerPipes in = server.awaitAttached();
            for (int i = 0; i < 10; i++) {
                assertThat(in.receive()).isEqualTo(Msgs.generated(i));
            }
        }
    }
}
