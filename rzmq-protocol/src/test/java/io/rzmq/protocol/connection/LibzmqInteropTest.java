package io.rzmq.protocol.connection;

import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Metadata;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A ZmtpConnection (NULL) over loopback TCP against libzmq 4.3 driven by pyzmq. */
@Timeout(60)
class LibzmqInteropTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @BeforeAll
    static void needPyzmq() {
        assumeTrue(PythonPeer.available(), "/usr/bin/python3 with pyzmq is not installed");
    }

    private static ZmtpConnection connection(SocketType type, RecordingHandler h) {
        return ZmtpConnectionTest.nullConnection(type, h, -1, Metadata.EMPTY);
    }

    @Test
    void javaDealerConnectsToLibzmqDealer() throws Exception {
        try (PythonPeer py = PythonPeer.start("bind", "DEALER")) {
            int port = Integer.parseInt(py.nextLine(20).substring("PORT ".length()));
            RecordingHandler h = new RecordingHandler();
            try (TcpDriver d = new TcpDriver(new Socket(InetAddress.getLoopbackAddress(), port), connection(SocketType.DEALER, h))) {
                exchangeWithEchoingDealer(py, d, h);
            }
        }
    }

    @Test
    void libzmqDealerConnectsToJavaDealer() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             PythonPeer py = PythonPeer.start("connect", "DEALER", Integer.toString(server.getLocalPort()))) {
            server.setSoTimeout(20_000);
            RecordingHandler h = new RecordingHandler();
            try (TcpDriver d = new TcpDriver(server.accept(), connection(SocketType.DEALER, h))) {
                exchangeWithEchoingDealer(py, d, h);
            }
        }
    }

    private static void exchangeWithEchoingDealer(PythonPeer py, TcpDriver d, RecordingHandler h) throws Exception {
        ZmtpConnection c = d.connection;
        d.runUntil(() -> !h.messages.isEmpty(), WAIT);
        assertThat(h.peer.socketType()).isEqualTo(SocketType.DEALER);
        assertThat(h.peer.minorVersion()).isEqualTo(1);
        assertThat(h.messages.get(0)).isEqualTo(Msg.of("hello", "from libzmq"));

        byte[] big = new byte[300_000];
        new Random(7).nextBytes(big);
        c.send(Msg.of("one", "", "two"));
        c.send(Msg.of(new byte[0]));
        c.send(Msg.of(big));
        d.runUntil(() -> h.messages.size() == 4, WAIT);
        assertThat(h.messages.get(1)).isEqualTo(Msg.of("echo", "one", "", "two"));
        assertThat(h.messages.get(2)).isEqualTo(Msg.of("echo", ""));
        assertThat(h.messages.get(3)).isEqualTo(Msg.ofFrames(Frame.of("echo"), Frame.wrap(big)));

        c.send(Msg.of("END"));
        d.flush();
        assertThat(py.awaitLine("DONE", 20)).isEqualTo("DONE");
    }

    @Test
    void libzmqSubscriberSubscribesToJavaPublisher() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             PythonPeer py = PythonPeer.start("connect", "SUB", Integer.toString(server.getLocalPort()))) {
            server.setSoTimeout(20_000);
            RecordingHandler h = new RecordingHandler();
            try (TcpDriver d = new TcpDriver(server.accept(), connection(SocketType.PUB, h))) {
                // libzmq 4.3.4 sends the ZMTP/3.1 SUBSCRIBE command form to a peer announcing 3.1.
                d.runUntil(() -> !h.subscriptions.isEmpty(), WAIT);
                assertThat(h.subscriptions).containsExactly("+news");
                d.connection.send(Msg.of("news", "1"));
                d.connection.send(Msg.of("news-END"));
                d.flush();
                assertThat(py.awaitLine("GOT", 20)).isEqualTo("GOT news|1");
                assertThat(py.awaitLine("GOT", 20)).isEqualTo("GOT news-END");
            }
        }
    }

    @Test
    void javaSubscriberReceivesOnlyItsTopicFromLibzmqPublisher() throws Exception {
        try (PythonPeer py = PythonPeer.start("bind", "PUB")) {
            int port = Integer.parseInt(py.nextLine(20).substring("PORT ".length()));
            RecordingHandler h = new RecordingHandler();
            try (TcpDriver d = new TcpDriver(new Socket(InetAddress.getLoopbackAddress(), port), connection(SocketType.SUB, h))) {
                d.runUntil(d.connection::isReady, WAIT);
                d.connection.sendSubscription(Frame.of("news"), true);
                d.runUntil(() -> h.messages.size() >= 5, WAIT);
                // libzmq filters on the publisher side: only the subscribed topic may arrive.
                assertThat(h.messages).allSatisfy(m -> assertThat(m).isEqualTo(Msg.of("news", "n")));
            }
        }
    }

    @Test
    void libzmqRouterRoutesByOurIdentityProperty() throws Exception {
        try (PythonPeer py = PythonPeer.start("bind", "ROUTER")) {
            int port = Integer.parseInt(py.nextLine(20).substring("PORT ".length()));
            RecordingHandler h = new RecordingHandler();
            ZmtpConnection c = ZmtpConnectionTest.nullConnection(SocketType.DEALER, h, -1,
                Metadata.builder().put(Metadata.IDENTITY, "java-id").build());
            try (TcpDriver d = new TcpDriver(new Socket(InetAddress.getLoopbackAddress(), port), c)) {
                d.runUntil(c::isReady, WAIT);
                assertThat(h.peer.socketType()).isEqualTo(SocketType.ROUTER);
                c.send(Msg.of("x", "y"));
                d.runUntil(() -> !h.messages.isEmpty(), WAIT);
                assertThat(h.messages).containsExactly(Msg.of("echo-from-router", "java-id", "x", "y"));
                c.send(Msg.of("END"));
                d.flush();
                assertThat(py.awaitLine("DONE", 20)).isEqualTo("DONE");
            }
        }
    }

    @Test
    void pingsBothWaysWithLibzmqHeartbeats() throws Exception {
        try (PythonPeer py = PythonPeer.start(java.util.Map.of("ZMQ_PEER_HEARTBEAT", "50"), "bind", "DEALER")) {
            int port = Integer.parseInt(py.nextLine(20).substring("PORT ".length()));
            RecordingHandler h = new RecordingHandler();
            try (TcpDriver d = new TcpDriver(new Socket(InetAddress.getLoopbackAddress(), port), connection(SocketType.DEALER, h))) {
                // libzmq pings every 50 ms; each PING is answered by the connection.
                d.runUntil(() -> h.pings.size() >= 3, WAIT);
                d.connection.sendPing(10, Frame.of("ctx"));
                d.connection.send(Msg.of("after-ping"));
                d.runUntil(() -> h.messages.contains(Msg.of("echo", "after-ping")), WAIT);
                assertThat(d.connection.isFailed()).isFalse();
            }
        }
    }
}
