package io.rzmq.protocol.security;

import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Metadata;
import org.junit.jupiter.api.BeforeAll;
import io.rzmq.protocol.ZmtpException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Proves the PLAIN and CURVE byte layouts against libzmq 4.3 (through pyzmq in a child process) with a
 * test-only greeting and frame layer: Java client to libzmq server and libzmq client to Java server.
 */
class LibzmqInteropTest {
    private static final String PY_COMMON = String.join("\n",
        "import sys, zmq",
        "ctx = zmq.Context()",
        "s = ctx.socket(zmq.DEALER)",
        "s.rcvtimeo = 10000",
        "s.sndtimeo = 10000",
        "s.linger = 2000",
        "");
    private static final String PY_EXCHANGE = String.join("\n",
        "msg = s.recv_multipart()",
        "print('got ' + ' '.join(f.hex() or '-' for f in msg), flush=True)",
        "s.send_multipart([b'reply'] + msg)",
        "print('sent', flush=True)",
        "s.close()",
        "ctx.term()",
        "");
    private static final String PY_CLIENT_EXCHANGE = String.join("\n",
        "s.send_multipart([b'ping', bytes(range(256)) * 4, b''])",
        "msg = s.recv_multipart()",
        "print('got ' + ' '.join(f.hex() or '-' for f in msg), flush=True)",
        "s.close()",
        "ctx.term()",
        "");

    @BeforeAll
    static void needsPyzmq() {
        assumeTrue(PythonPeer.curveAvailable(), "python3 with CURVE-capable pyzmq is not installed");
    }

    private static HandshakeContext javaCtx(String identity) {
        return HandshakeContext.of(Metadata.builder().put(Metadata.SOCKET_TYPE, "DEALER").put(Metadata.IDENTITY, identity).build());
    }

    private static String hexLine(List<byte[]> frames) {
        List<String> parts = new ArrayList<>();
        for (byte[] f : frames) {
            parts.add(f.length == 0 ? "-" : HexFormat.of().formatHex(f));
        }
        return "got " + String.join(" ", parts);
    }

    // ---- CURVE ----------------------------------------------------------------------------------

    @Test
    void javaCurveClientTalksToLibzmqCurveServer() throws Exception {
        String script = PY_COMMON + String.join("\n",
            "s.curve_server = True",
            "s.curve_secretkey = b'" + CurveKeyPairTest.SERVER_SECRET + "'",
            "s.routing_id = b'py-server'",
            "port = s.bind_to_random_port('tcp://127.0.0.1')",
            "print(port, flush=True)",
            "") + PY_EXCHANGE;
        try (PythonPeer py = PythonPeer.start(script)) {
            int port = Integer.parseInt(py.nextLine(20));
            CurveMechanism client = CurveMechanism.client(CurveMechanismTest.CLIENT,
                CurveKeyPair.decodePublicKey(CurveKeyPairTest.SERVER_PUBLIC), javaCtx("java-client"));
            try (TestWire wire = new TestWire(new Socket(InetAddress.getLoopbackAddress(), port))) {
                wire.greet("CURVE", false);
                wire.handshake(client);
                assertThat(client.peerMetadata().getString(Metadata.SOCKET_TYPE)).contains("DEALER");
                assertThat(client.peerMetadata().getString(Metadata.IDENTITY)).contains("py-server");

                List<byte[]> sent = List.of("hello".getBytes(), new byte[300], new byte[0]);
                for (int i = 0; i < sent.size(); i++) {
                    wire.write(0, client.encode(Frame.wrap(sent.get(i)), i < sent.size() - 1, false));
                }
                assertThat(py.nextLine(20)).isEqualTo(hexLine(sent));

                List<byte[]> received = readCurveMessage(wire, client);
                List<byte[]> expected = new ArrayList<>();
                expected.add("reply".getBytes());
                expected.addAll(sent);
                assertThat(received).containsExactlyElementsOf(expected);
            }
            assertThat(py.nextLine(20)).isEqualTo("sent");
        }
    }

    @Test
    void libzmqCurveClientTalksToJavaCurveServer() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout(20_000);
            String script = PY_COMMON + String.join("\n",
                "s.curve_serverkey = b'" + CurveKeyPairTest.SERVER_PUBLIC + "'",
                "s.curve_publickey = b'" + CurveKeyPairTest.CLIENT_PUBLIC + "'",
                "s.curve_secretkey = b'" + CurveKeyPairTest.CLIENT_SECRET + "'",
                "s.routing_id = b'py-client'",
                "s.connect('tcp://127.0.0.1:%s' % sys.argv[1])",
                "") + PY_CLIENT_EXCHANGE;
            try (PythonPeer py = PythonPeer.start(script, Integer.toString(listener.getLocalPort()));
                 TestWire wire = new TestWire(listener.accept())) {
                CurveMechanism server = CurveMechanism.server(CurveMechanismTest.SERVER, javaCtx("java-server"));
                wire.greet("CURVE", true);
                wire.handshake(server);
                assertThat(server.peerMetadata().getString(Metadata.SOCKET_TYPE)).contains("DEALER");
                assertThat(server.peerMetadata().getString(Metadata.IDENTITY)).contains("py-client");
                assertThat(server.clientPublicKey()).isEqualTo(CurveMechanismTest.CLIENT.publicKey());

                List<byte[]> received = readCurveMessage(wire, server);
                byte[] big = new byte[1024];
                for (int i = 0; i < big.length; i++) {
                    big[i] = (byte) i;
                }
                assertThat(received).containsExactly("ping".getBytes(), big, new byte[0]);

                List<byte[]> reply = List.of("pong".getBytes(), new byte[70_000]);
                for (int i = 0; i < reply.size(); i++) {
                    wire.write(0, server.encode(Frame.wrap(reply.get(i)), i < reply.size() - 1, false));
                }
                assertThat(py.nextLine(20)).isEqualTo(hexLine(reply));
                assertThat(py.waitFor(20)).isZero();
            }
        }
    }

    @Test
    void encryptedCommandsCarryTheCommandFlagBothWays() throws Exception {
        String script = PY_COMMON + String.join("\n",
            "s.curve_server = True",
            "s.curve_secretkey = b'" + CurveKeyPairTest.SERVER_SECRET + "'",
            "s.heartbeat_ivl = 100",
            "port = s.bind_to_random_port('tcp://127.0.0.1')",
            "print(port, flush=True)",
            "sys.stdin.read()",
            "");
        try (PythonPeer py = PythonPeer.start(script)) {
            int port = Integer.parseInt(py.nextLine(20));
            CurveMechanism client = CurveMechanism.client(CurveMechanismTest.CLIENT,
                CurveKeyPair.decodePublicKey(CurveKeyPairTest.SERVER_PUBLIC), javaCtx(""));
            try (TestWire wire = new TestWire(new Socket(InetAddress.getLoopbackAddress(), port))) {
                wire.greet("CURVE", false);
                wire.handshake(client);
                // libzmq's heartbeat PING arrives boxed with the COMMAND flag inside
                DecodedFrame ping = client.decode(wire.read().body());
                assertThat(ping.command()).isTrue();
                assertThat(ping.more()).isFalse();
                assertThat(ping.payload().asString()).startsWith("\u0004PING");
                // our boxed PING with context "ctx" must come back as a boxed PONG echoing it
                Frame ourPing = Frame.wrap(new byte[] {4, 'P', 'I', 'N', 'G', 0, 0, 'c', 't', 'x'});
                wire.write(0, client.encode(ourPing, false, true));
                DecodedFrame reply;
                do {
                    reply = client.decode(wire.read().body());
                } while (reply.command() && reply.payload().asString().startsWith("\u0004PING"));
                assertThat(reply.command()).isTrue();
                assertThat(reply.payload().toByteArray()).containsExactly(4, 'P', 'O', 'N', 'G', 'c', 't', 'x');
            }
        }
    }

    @Test
    void libzmqCurveZapDenialReachesJavaClient() throws Exception {
        String script = PY_COMMON + String.join("\n",
            "from zmq.auth.thread import ThreadAuthenticator",
            "auth = ThreadAuthenticator(ctx)",
            "auth.start()",
            "auth.configure_curve(domain='*', location='/nonexistent-so-no-key-is-allowed')",
            "s.curve_server = True",
            "s.curve_secretkey = b'" + CurveKeyPairTest.SERVER_SECRET + "'",
            "port = s.bind_to_random_port('tcp://127.0.0.1')",
            "print(port, flush=True)",
            "sys.stdin.read()",
            "");
        try (PythonPeer py = PythonPeer.start(script)) {
            int port = Integer.parseInt(py.nextLine(20));
            CurveMechanism client = CurveMechanism.client(CurveMechanismTest.CLIENT,
                CurveKeyPair.decodePublicKey(CurveKeyPairTest.SERVER_PUBLIC), javaCtx(""));
            try (TestWire wire = new TestWire(new Socket(InetAddress.getLoopbackAddress(), port))) {
                wire.greet("CURVE", false);
                assertThatThrownBy(() -> wire.handshake(client))
                    .isInstanceOf(ZmtpException.class)
                    .satisfies(e -> assertThat(((ZmtpException) e).kind()).isEqualTo(ZmtpException.Kind.PEER_ERROR))
                    .hasMessageContaining("400");
            }
        }
    }

    @Test
    void libzmqCurveClientSeesJavaZapDenialAsAuthFailure() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout(20_000);
            String script = PY_COMMON + String.join("\n",
                "s.curve_serverkey = b'" + CurveKeyPairTest.SERVER_PUBLIC + "'",
                "s.curve_publickey = b'" + CurveKeyPairTest.CLIENT_PUBLIC + "'",
                "s.curve_secretkey = b'" + CurveKeyPairTest.CLIENT_SECRET + "'",
                "mon = s.get_monitor_socket(zmq.EVENT_HANDSHAKE_FAILED_AUTH | zmq.EVENT_HANDSHAKE_FAILED_PROTOCOL"
                    + " | zmq.EVENT_HANDSHAKE_FAILED_NO_DETAIL | zmq.EVENT_HANDSHAKE_SUCCEEDED)",
                "mon.rcvtimeo = 10000",
                "s.connect('tcp://127.0.0.1:%s' % sys.argv[1])",
                "from zmq.utils.monitor import recv_monitor_message",
                "ev = recv_monitor_message(mon)",
                "print('event %d value %d' % (ev['event'], ev['value']), flush=True)",
                "import os; os._exit(0)",
                "");
            try (PythonPeer py = PythonPeer.start(script, Integer.toString(listener.getLocalPort()));
                 TestWire wire = new TestWire(listener.accept())) {
                CurveMechanism server = CurveMechanism.server(CurveMechanismTest.SERVER,
                    new HandshakeContext(javaCtx("").localMetadata(), true, "", "127.0.0.1"));
                wire.greet("CURVE", true);
                server.processHandshakeCommand(wire.read().body());
                wire.writeCommand(server.nextHandshakeCommand());
                server.processHandshakeCommand(wire.read().body());
                ZapRequest request = server.zapRequest();
                assertThat(request.credentials().get(0)).isEqualTo(CurveMechanismTest.CLIENT.publicKey());
                server.zapReply(new ZapReply(request.requestId(), "400", "No", "", Metadata.EMPTY));
                wire.writeCommand(server.nextHandshakeCommand());
                // libzmq's CURVE client parses the RFC-form ERROR and reports the ZAP status code
                assertThat(py.nextLine(20)).isEqualTo("event " + 0x4000 + " value 400");
            }
        }
    }

    private static List<byte[]> readCurveMessage(TestWire wire, Mechanism mechanism) throws IOException {
        List<byte[]> frames = new ArrayList<>();
        while (true) {
            TestWire.WireFrame f = wire.read();
            // libzmq sends MESSAGE as a data frame without MORE: the real flags travel inside the box
            assertThat(f.flags() & ~TestWire.LONG).as("wire flags of a MESSAGE frame").isZero();
            DecodedFrame d = mechanism.decode(f.body());
            assertThat(d.command()).isFalse();
            frames.add(d.payload().toByteArray());
            if (!d.more()) {
                return frames;
            }
        }
    }

    // ---- PLAIN ----------------------------------------------------------------------------------

    @Test
    void javaPlainClientTalksToLibzmqPlainServer() throws Exception {
        String script = PY_COMMON + String.join("\n",
            "from zmq.auth.thread import ThreadAuthenticator",
            "auth = ThreadAuthenticator(ctx)",
            "auth.start()",
            "auth.configure_plain(domain='*', passwords={'admin': 'secret'})",
            "s.plain_server = True",
            "s.routing_id = b'py-server'",
            "port = s.bind_to_random_port('tcp://127.0.0.1')",
            "print(port, flush=True)",
            "") + PY_EXCHANGE;
        try (PythonPeer py = PythonPeer.start(script)) {
            int port = Integer.parseInt(py.nextLine(20));
            PlainMechanism client = PlainMechanism.client("admin", "secret", javaCtx("java-client"));
            try (TestWire wire = new TestWire(new Socket(InetAddress.getLoopbackAddress(), port))) {
                wire.greet("PLAIN", false);
                wire.handshake(client);
                assertThat(client.peerMetadata().getString(Metadata.IDENTITY)).contains("py-server");
                List<byte[]> sent = List.of("hello".getBytes(), new byte[300]);
                wire.write(TestWire.MORE, Frame.wrap(sent.get(0)));
                wire.write(0, Frame.wrap(sent.get(1)));
                assertThat(py.nextLine(20)).isEqualTo(hexLine(sent));
                List<byte[]> received = readPlainMessage(wire);
                assertThat(received).hasSize(3);
                assertThat(received.get(0)).isEqualTo("reply".getBytes());
            }
        }
    }

    @Test
    void libzmqPlainServerDenialReachesJavaClient() throws Exception {
        String script = PY_COMMON + String.join("\n",
            "from zmq.auth.thread import ThreadAuthenticator",
            "auth = ThreadAuthenticator(ctx)",
            "auth.start()",
            "auth.configure_plain(domain='*', passwords={'admin': 'secret'})",
            "s.plain_server = True",
            "port = s.bind_to_random_port('tcp://127.0.0.1')",
            "print(port, flush=True)",
            "sys.stdin.read()",
            "import os; os._exit(0)",
            "");
        try (PythonPeer py = PythonPeer.start(script)) {
            int port = Integer.parseInt(py.nextLine(20));
            PlainMechanism client = PlainMechanism.client("admin", "wrong", javaCtx("java-client"));
            try (TestWire wire = new TestWire(new Socket(InetAddress.getLoopbackAddress(), port))) {
                wire.greet("PLAIN", false);
                assertThatThrownBy(() -> wire.handshake(client))
                    .isInstanceOf(ZmtpException.class)
                    .satisfies(e -> assertThat(((ZmtpException) e).kind()).isEqualTo(ZmtpException.Kind.PEER_ERROR))
                    .hasMessageContaining("400");
            }
        }
    }

    @Test
    void libzmqPlainClientTalksToJavaPlainServer() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout(20_000);
            String script = PY_COMMON + String.join("\n",
                "s.plain_username = b'admin'",
                "s.plain_password = b'secret'",
                "s.routing_id = b'py-client'",
                "s.connect('tcp://127.0.0.1:%s' % sys.argv[1])",
                "") + PY_CLIENT_EXCHANGE;
            try (PythonPeer py = PythonPeer.start(script, Integer.toString(listener.getLocalPort()));
                 TestWire wire = new TestWire(listener.accept())) {
                PlainMechanism server = PlainMechanism.server(new HandshakeContext(
                    javaCtx("java-server").localMetadata(), true, "test", "127.0.0.1"));
                wire.greet("PLAIN", true);
                // run until the ZAP question, answer it as a handler would, then finish
                for (Frame cmd = server.nextHandshakeCommand(); cmd != null; cmd = server.nextHandshakeCommand()) {
                    wire.writeCommand(cmd);
                }
                server.processHandshakeCommand(wire.read().body());
                ZapRequest request = server.zapRequest();
                assertThat(request.credentials()).containsExactly("admin".getBytes(), "secret".getBytes());
                server.zapReply(new ZapReply(request.requestId(), "200", "OK", "admin", Metadata.EMPTY));
                wire.handshake(server);
                assertThat(server.userId()).isEqualTo("admin");
                assertThat(server.peerMetadata().getString(Metadata.IDENTITY)).contains("py-client");
                assertThat(readPlainMessage(wire)).hasSize(3);
                wire.write(TestWire.MORE, Frame.of("pong"));
                wire.write(0, Frame.wrap(new byte[400]));
                assertThat(py.nextLine(20)).isEqualTo(hexLine(List.of("pong".getBytes(), new byte[400])));
                assertThat(py.waitFor(20)).isZero();
            }
        }
    }

    @Test
    void libzmqPlainClientSeesJavaZapDenial() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout(20_000);
            String script = PY_COMMON + String.join("\n",
                "s.plain_username = b'mallory'",
                "s.plain_password = b'guess'",
                "mon = s.get_monitor_socket(zmq.EVENT_HANDSHAKE_FAILED_AUTH | zmq.EVENT_HANDSHAKE_FAILED_PROTOCOL"
                    + " | zmq.EVENT_HANDSHAKE_FAILED_NO_DETAIL | zmq.EVENT_HANDSHAKE_SUCCEEDED)",
                "mon.rcvtimeo = 10000",
                "s.connect('tcp://127.0.0.1:%s' % sys.argv[1])",
                "from zmq.utils.monitor import recv_monitor_message",
                "ev = recv_monitor_message(mon)",
                "print('event %d value %d' % (ev['event'], ev['value']), flush=True)",
                "import os; os._exit(0)",
                "");
            try (PythonPeer py = PythonPeer.start(script, Integer.toString(listener.getLocalPort()));
                 TestWire wire = new TestWire(listener.accept())) {
                PlainMechanism server = PlainMechanism.server(new HandshakeContext(
                    javaCtx("java-server").localMetadata(), true, "", "127.0.0.1"));
                wire.greet("PLAIN", true);
                server.processHandshakeCommand(wire.read().body());
                server.zapReply(new ZapReply(server.zapRequest().requestId(), "400", "No", "", Metadata.EMPTY));
                Frame error = server.nextHandshakeCommand();
                wire.writeCommand(error);
                // libzmq 4.3's PLAIN client only knows its own misspelled ERROR (5E 'RROR'), so it reports
                // our RFC-form ERROR as HANDSHAKE_FAILED_PROTOCOL / UNEXPECTED_COMMAND; either way it is refused
                assertThat(py.nextLine(20)).isEqualTo("event " + 0x2000 + " value " + 0x10000001);
            }
        }
    }

    private static List<byte[]> readPlainMessage(TestWire wire) throws IOException {
        List<byte[]> frames = new ArrayList<>();
        while (true) {
            TestWire.WireFrame f = wire.read();
            assertThat(f.isCommand()).isFalse();
            frames.add(f.body().toByteArray());
            if (!f.more()) {
                return frames;
            }
        }
    }
}
