package io.rzmq.protocol.connection;

import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Metadata;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMsg;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** A ZmtpConnection (NULL) over loopback TCP against JeroMQ 0.6.0, which announces ZMTP/3.0. */
@Timeout(60)
class JeromqInteropTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private ZContext ctx;

    @BeforeEach
    void context() {
        ctx = new ZContext();
        ctx.setLinger(0);
    }

    @AfterEach
    void closeContext() {
        ctx.close();
    }

    private static ZmtpConnection connection(SocketType type, RecordingHandler h) {
        return ZmtpConnectionTest.nullConnection(type, h, -1, Metadata.EMPTY);
    }

    private static int port(String endpoint) {
        return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    }

    /** A connection JeroMQ opened to {@code server}, with the first bytes it sent. */
    private record Accepted(Socket socket, ZMQ.Socket jeromq, byte[] firstBytes) {
    }

    /**
     * Connects a new JeroMQ socket to {@code server} and accepts it. JeroMQ 0.6.0's connecter now and then
     * (about 1 in 10 on loopback, also with no peer traffic at all) establishes the TCP connection but never
     * starts its engine, so nothing is ever sent; such an attempt is dropped and retried with a fresh socket.
     */
    private Accepted acceptFromJeromq(ServerSocket server, org.zeromq.SocketType type, java.util.function.Consumer<ZMQ.Socket> setup)
        throws Exception {
        for (int attempt = 0; attempt < 5; attempt++) {
            ZMQ.Socket s = ctx.createSocket(type);
            setup.accept(s);
            s.connect("tcp://127.0.0.1:" + server.getLocalPort());
            Socket accepted = server.accept();
            accepted.setSoTimeout(3_000);
            byte[] buf = new byte[64];
            int n;
            try {
                n = accepted.getInputStream().read(buf);
            } catch (java.net.SocketTimeoutException e) {
                n = 0;
            }
            if (n > 0) {
                return new Accepted(accepted, s, java.util.Arrays.copyOf(buf, n));
            }
            accepted.close();
            s.close();
        }
        throw new AssertionError("JeroMQ never started a connection in 5 attempts");
    }

    private static List<String> recv(ZMQ.Socket s) {
        ZMsg m = ZMsg.recvMsg(s);
        assertThat(m).as("JeroMQ received a message in time").isNotNull();
        List<String> parts = new ArrayList<>();
        m.forEach(f -> parts.add(f.getString(ZMQ.CHARSET)));
        return parts;
    }

    @Test
    void javaDealerConnectsToJeromqDealer() throws Exception {
        ZMQ.Socket dealer = ctx.createSocket(org.zeromq.SocketType.DEALER);
        dealer.setReceiveTimeOut(15_000);
        int port = dealer.bindToRandomPort("tcp://127.0.0.1");
        RecordingHandler h = new RecordingHandler();
        try (TcpDriver d = new TcpDriver(new Socket(InetAddress.getLoopbackAddress(), port), connection(SocketType.DEALER, h))) {
            exchange(dealer, d, h);
        }
    }

    @Test
    void jeromqDealerConnectsToJavaDealer() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(20_000);
            Accepted a = acceptFromJeromq(server, org.zeromq.SocketType.DEALER, s -> s.setReceiveTimeOut(15_000));
            RecordingHandler h = new RecordingHandler();
            try (TcpDriver d = new TcpDriver(a.socket(), connection(SocketType.DEALER, h))) {
                d.feed(a.firstBytes());
                exchange(a.jeromq(), d, h);
            }
        }
    }

    private static void exchange(ZMQ.Socket dealer, TcpDriver d, RecordingHandler h) throws Exception {
        dealer.sendMore("hello");
        dealer.send("from jeromq");
        d.runUntil(() -> !h.messages.isEmpty(), WAIT);
        assertThat(h.peer.minorVersion()).as("JeroMQ 0.6 announces ZMTP/3.0").isEqualTo(0);
        assertThat(h.peer.socketType()).isEqualTo(SocketType.DEALER);
        assertThat(h.messages).containsExactly(Msg.of("hello", "from jeromq"));

        d.connection.send(Msg.of("a", "", "b"));
        d.connection.send(Msg.of("x".repeat(70_000)));
        d.flush();
        assertThat(recv(dealer)).containsExactly("a", "", "b");
        assertThat(recv(dealer)).containsExactly("x".repeat(70_000));
    }

    @Test
    void javaSubscriberUsesTheZmtp30FormWithJeromqPublisher() throws Exception {
        ZMQ.Socket pub = ctx.createSocket(org.zeromq.SocketType.PUB);
        int port = pub.bindToRandomPort("tcp://127.0.0.1");
        AtomicBoolean stop = new AtomicBoolean();
        Thread publisher = new Thread(() -> {
            while (!stop.get()) {
                pub.sendMore("news");
                pub.send("n");
                pub.sendMore("other");
                pub.send("x");
                try {
                    Thread.sleep(10); // publishing pace, not synchronization
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        RecordingHandler h = new RecordingHandler();
        try (TcpDriver d = new TcpDriver(new Socket(InetAddress.getLoopbackAddress(), port), connection(SocketType.SUB, h))) {
            d.runUntil(d.connection::isReady, WAIT);
            assertThat(d.connection.peer().minorVersion()).isEqualTo(0);
            d.connection.sendSubscription(Frame.of("news"), true);
            publisher.start();
            // JeroMQ filters on its side, so only "news" arrives once it understood the 3.0 subscription.
            d.runUntil(() -> h.messages.size() >= 5, WAIT);
            assertThat(h.messages).allSatisfy(m -> assertThat(m).isEqualTo(Msg.of("news", "n")));
        } finally {
            stop.set(true);
            publisher.join(10_000);
        }
    }

    @Test
    void jeromqSubscriberReachesJavaPublisherAsZmtp30Message() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(20_000);
            Accepted a = acceptFromJeromq(server, org.zeromq.SocketType.SUB, s -> {
                s.setReceiveTimeOut(15_000);
                s.subscribe("news".getBytes(ZMQ.CHARSET));
            });
            ZMQ.Socket sub = a.jeromq();
            RecordingHandler h = new RecordingHandler();
            try (TcpDriver d = new TcpDriver(a.socket(), connection(SocketType.PUB, h))) {
                d.feed(a.firstBytes());
                d.runUntil(() -> !h.subscriptions.isEmpty(), WAIT);
                assertThat(h.subscriptions).containsExactly("+news");
                assertThat(h.messages).isEmpty();
                d.connection.send(Msg.of("news", "1"));
                d.flush();
                assertThat(recv(sub)).containsExactly("news", "1");
            }
        }
    }

    @Test
    void pingsBothWaysWithJeromqHeartbeats() throws Exception {
        ZMQ.Socket dealer = ctx.createSocket(org.zeromq.SocketType.DEALER);
        dealer.setReceiveTimeOut(15_000);
        dealer.setHeartbeatIvl(50);
        int port = dealer.bindToRandomPort("tcp://127.0.0.1");
        RecordingHandler h = new RecordingHandler();
        try (TcpDriver d = new TcpDriver(new Socket(InetAddress.getLoopbackAddress(), port), connection(SocketType.DEALER, h))) {
            // JeroMQ announces 3.0 but sends ZMTP/3.1 PINGs when heartbeats are on; each is answered.
            d.runUntil(() -> h.pings.size() >= 3, WAIT);
            d.connection.sendPing(10, Frame.of("ctx"));
            d.connection.send(Msg.of("after-ping"));
            d.flush();
            assertThat(recv(dealer)).containsExactly("after-ping");
        }
    }
}
