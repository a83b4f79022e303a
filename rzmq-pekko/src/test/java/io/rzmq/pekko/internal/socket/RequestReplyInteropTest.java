package io.rzmq.pekko.internal.socket;

import io.rzmq.pekko.testing.TcpTransportTest;
import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.testkit.Msgs;
import io.rzmq.testkit.PyPeer;
import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.zeromq.ZFrame;
import org.zeromq.ZMQ;
import org.zeromq.ZMsg;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * REQ, REP, DEALER and ROUTER against libzmq 4.3 (pyzmq, a separate process) and JeroMQ 0.6 (in-process),
 * over tcp, with our socket on either side of each pairing and multipart bodies that contain empty frames
 * (generated message i = 2 mod 3), so that envelope handling is exercised for real.
 * JeroMQ always binds here: its connecting side sometimes never starts its engine (a JeroMQ 0.6 bug).
 */
@TcpTransportTest
class RequestReplyInteropTest extends PatternTestSupport {
    private static final int N = 6;
    private final List<PyPeer> peers = new ArrayList<>();
    private org.zeromq.ZContext jeromq;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<CompletableFuture<Void>> servers = new ArrayList<>();

    @BeforeEach
    void jeromqContext() {
        jeromq = new org.zeromq.ZContext();
        stop.set(false);
    }

    @AfterEach
    void cleanUp() throws Exception {
        stop.set(true);
        for (CompletableFuture<Void> s : servers) {
            s.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        }
        servers.clear();
        jeromq.close();
        for (PyPeer p : peers) {
            p.kill();
        }
        peers.clear();
    }

    private static SocketOptions id(String id) {
        return SocketOptions.defaults().withLinger(Duration.ZERO).withRoutingId(id.getBytes(StandardCharsets.UTF_8));
    }

    private static Msg plus(Msg m, String last) {
        Frame[] fs = m.frames().toArray(new Frame[m.frameCount() + 1]);
        fs[m.frameCount()] = Frame.of(last);
        return Msg.ofFrames(fs);
    }

    private static Msg prefix(Msg m, Frame... first) {
        Frame[] fs = new Frame[first.length + m.frameCount()];
        System.arraycopy(first, 0, fs, 0, first.length);
        for (int i = 0; i < m.frameCount(); i++) {
            fs[first.length + i] = m.frame(i);
        }
        return Msg.ofFrames(fs);
    }

    // ------------------------------------------------------------------ libzmq

    private PyPeer py(Map<String, String> env, String... args) {
        assumeTrue(PyPeer.available(), "python3 with pyzmq is not installed");
        PyPeer p = PyPeer.start(env, args);
        peers.add(p);
        return p;
    }

    private String pyServer(String mode, Map<String, String> env) {
        return py(env, mode, "bind", "tcp://127.0.0.1:*", "-1").awaitReady();
    }

    private PyPeer lastPy() {
        return peers.get(peers.size() - 1);
    }

    @Test
    void ourReqTalksToLibzmqRep() {
        String ep = pyServer("rep", Map.of());
        ZSocket req = socket(SocketType.REQ);
        result(req.connect(ep));
        for (int i = 0; i < N; i++) {
            result(req.send(Msgs.generated(i)));
            assertThat(receive(req)).isEqualTo(plus(Msgs.generated(i), "from-libzmq"));
            assertThat(lastPy().awaitLine("MSG ")).isEqualTo(Msgs.line(Msgs.generated(i)));
        }
    }

    @Test
    void ourReqTalksToLibzmqRouter() {
        String ep = pyServer("router", Map.of());
        ZSocket req = socket(SocketType.REQ, id("rz-req"));
        result(req.connect(ep));
        for (int i = 0; i < N; i++) {
            result(req.send(Msgs.generated(i)));
            assertThat(receive(req)).isEqualTo(plus(Msgs.generated(i), "from-libzmq"));
            assertThat(lastPy().awaitLine("MSG "))
                .isEqualTo(Msgs.line(prefix(Msgs.generated(i), Frame.of("rz-req"), Frame.EMPTY)));
        }
    }

    @Test
    void ourDealerTalksToLibzmqRep() {
        String ep = pyServer("rep", Map.of());
        ZSocket dealer = socket(SocketType.DEALER);
        result(dealer.connect(ep));
        for (int i = 0; i < N; i++) {
            result(dealer.send(prefix(Msgs.generated(i), Frame.EMPTY)));
            assertThat(receive(dealer)).isEqualTo(prefix(plus(Msgs.generated(i), "from-libzmq"), Frame.EMPTY));
            assertThat(lastPy().awaitLine("MSG ")).isEqualTo(Msgs.line(Msgs.generated(i)));
        }
    }

    @Test
    void ourDealerTalksToLibzmqRouter() {
        String ep = pyServer("router", Map.of());
        ZSocket dealer = socket(SocketType.DEALER, id("rz-dealer"));
        result(dealer.connect(ep));
        for (int i = 0; i < N; i++) {
            result(dealer.send(Msgs.generated(i)));
            assertThat(receive(dealer)).isEqualTo(plus(Msgs.generated(i), "from-libzmq"));
            assertThat(lastPy().awaitLine("MSG "))
                .isEqualTo(Msgs.line(prefix(Msgs.generated(i), Frame.of("rz-dealer"))));
        }
    }

    @Test
    void ourRouterTalksToALibzmqRouterByExplicitIds() {
        String ep = pyServer("router", Map.of("ROUTING_ID", "py-router"));
        ZSocket router = socket(SocketType.ROUTER, id("rz-router").withRouterMandatory(true));
        result(router.connect(ep));
        awaitReadyPeers(router, 1);
        result(router.send(Msg.of("py-router", "hello", "", "world")));
        assertThat(lastPy().awaitLine("MSG ")).isEqualTo(Msgs.line(Msg.of("rz-router", "hello", "", "world")));
        assertThat(receive(router)).isEqualTo(Msg.of("py-router", "hello", "", "world", "from-libzmq"));
    }

    /** Our REP or ROUTER answers {@code n} requests: each reply is the request plus "from-rzmq". */
    private static void echo(ZSocket server, int n) {
        for (int i = 0; i < n; i++) {
            result(server.send(plus(receive(server), "from-rzmq")));
        }
    }

    @Test
    void libzmqReqTalksToOurRep() {
        ZSocket rep = socket(SocketType.REP);
        String ep = bind(rep, Via.TCP);
        PyPeer req = py(Map.of(), "req", "connect", ep, String.valueOf(N));
        for (int i = 0; i < N; i++) {
            Msg request = receive(rep);
            assertThat(request).isEqualTo(Msgs.generated(i));
            result(rep.send(plus(request, "from-rzmq")));
            assertThat(req.awaitLine("MSG ")).isEqualTo(Msgs.line(plus(Msgs.generated(i), "from-rzmq")));
        }
        req.awaitLine("DONE");
    }

    @Test
    void libzmqReqTalksToOurRouter() {
        ZSocket router = socket(SocketType.ROUTER);
        String ep = bind(router, Via.TCP);
        PyPeer req = py(Map.of("ROUTING_ID", "py-req"), "req", "connect", ep, String.valueOf(N));
        for (int i = 0; i < N; i++) {
            Msg request = receive(router);
            assertThat(request).isEqualTo(prefix(Msgs.generated(i), Frame.of("py-req"), Frame.EMPTY));
            result(router.send(plus(request, "from-rzmq")));
            assertThat(req.awaitLine("MSG ")).isEqualTo(Msgs.line(plus(Msgs.generated(i), "from-rzmq")));
        }
    }

    @Test
    void libzmqDealerTalksToOurRep() {
        ZSocket rep = socket(SocketType.REP);
        String ep = bind(rep, Via.TCP);
        PyPeer dealer = py(Map.of(), "dealer", "connect", ep, String.valueOf(N));
        for (int i = 0; i < N; i++) {
            Msg request = receive(rep);
            assertThat(request).isEqualTo(Msgs.generated(i));
            result(rep.send(plus(request, "from-rzmq")));
            assertThat(dealer.awaitLine("MSG "))
                .isEqualTo(Msgs.line(prefix(plus(Msgs.generated(i), "from-rzmq"), Frame.EMPTY)));
        }
    }

    @Test
    void libzmqDealerTalksToOurRouter() {
        ZSocket router = socket(SocketType.ROUTER);
        String ep = bind(router, Via.TCP);
        PyPeer dealer = py(Map.of("ROUTING_ID", "py-dealer"), "dealer", "connect", ep, String.valueOf(N));
        for (int i = 0; i < N; i++) {
            Msg request = receive(router);
            assertThat(request).isEqualTo(prefix(Msgs.generated(i), Frame.of("py-dealer"), Frame.EMPTY));
            result(router.send(plus(request, "from-rzmq")));
            assertThat(dealer.awaitLine("MSG "))
                .isEqualTo(Msgs.line(prefix(plus(Msgs.generated(i), "from-rzmq"), Frame.EMPTY)));
        }
    }

    // ------------------------------------------------------------------ JeroMQ

    private static void send(ZMQ.Socket s, Msg m) {
        for (int i = 0; i < m.frameCount(); i++) {
            byte[] bytes = m.frame(i).toByteArray();
            boolean ok = i < m.frameCount() - 1 ? s.sendMore(bytes) : s.send(bytes);
            assertThat(ok).as("JeroMQ send").isTrue();
        }
    }

    private static Msg recv(ZMQ.Socket s) {
        ZMsg z = ZMsg.recvMsg(s);
        if (z == null) {
            return null;
        }
        List<Frame> frames = new ArrayList<>();
        for (ZFrame f : z) {
            frames.add(Frame.wrap(f.getData()));
        }
        return Msg.ofFrames(frames);
    }

    private ZMQ.Socket jeromqSocket(org.zeromq.SocketType type, String routingId) {
        ZMQ.Socket s = jeromq.createSocket(type);
        s.setReceiveTimeOut(200);
        s.setSendTimeOut((int) DEADLINE.toMillis());
        s.setLinger(0);
        if (routingId != null) {
            s.setIdentity(routingId.getBytes(StandardCharsets.UTF_8));
        }
        return s;
    }

    /** A bound JeroMQ REP or ROUTER echoing (request + "from-jeromq") on its own thread; returns the endpoint. */
    private String jeromqEchoServer(org.zeromq.SocketType type, String routingId, List<Msg> seen) {
        ZMQ.Socket s = jeromqSocket(type, routingId);
        int port = s.bindToRandomPort("tcp://127.0.0.1");
        servers.add(CompletableFuture.runAsync(() -> {
            while (!stop.get()) {
                Msg m = recv(s);
                if (m != null) {
                    synchronized (seen) {
                        seen.add(m);
                    }
                    send(s, plus(m, "from-jeromq"));
                }
            }
            s.close();
        }));
        return "tcp://127.0.0.1:" + port;
    }

    private static Msg seen(List<Msg> seen, int i) {
        until("JeroMQ saw request " + i, () -> {
            synchronized (seen) {
                return seen.size() > i;
            }
        });
        synchronized (seen) {
            return seen.get(i);
        }
    }

    @Test
    void ourReqTalksToJeromqRepAndRouter() {
        List<Msg> atRep = new ArrayList<>();
        List<Msg> atRouter = new ArrayList<>();
        ZSocket toRep = socket(SocketType.REQ);
        ZSocket toRouter = socket(SocketType.REQ, id("rz-req"));
        result(toRep.connect(jeromqEchoServer(org.zeromq.SocketType.REP, null, atRep)));
        result(toRouter.connect(jeromqEchoServer(org.zeromq.SocketType.ROUTER, null, atRouter)));
        for (int i = 0; i < N; i++) {
            result(toRep.send(Msgs.generated(i)));
            assertThat(receive(toRep)).isEqualTo(plus(Msgs.generated(i), "from-jeromq"));
            assertThat(seen(atRep, i)).isEqualTo(Msgs.generated(i));
            result(toRouter.send(Msgs.generated(i)));
            assertThat(receive(toRouter)).isEqualTo(plus(Msgs.generated(i), "from-jeromq"));
            assertThat(seen(atRouter, i)).isEqualTo(prefix(Msgs.generated(i), Frame.of("rz-req"), Frame.EMPTY));
        }
    }

    @Test
    void ourDealerTalksToJeromqRepAndRouter() {
        List<Msg> atRep = new ArrayList<>();
        List<Msg> atRouter = new ArrayList<>();
        ZSocket toRep = socket(SocketType.DEALER);
        ZSocket toRouter = socket(SocketType.DEALER, id("rz-dealer"));
        result(toRep.connect(jeromqEchoServer(org.zeromq.SocketType.REP, null, atRep)));
        result(toRouter.connect(jeromqEchoServer(org.zeromq.SocketType.ROUTER, null, atRouter)));
        for (int i = 0; i < N; i++) {
            result(toRep.send(prefix(Msgs.generated(i), Frame.EMPTY)));
            assertThat(receive(toRep)).isEqualTo(prefix(plus(Msgs.generated(i), "from-jeromq"), Frame.EMPTY));
            assertThat(seen(atRep, i)).isEqualTo(Msgs.generated(i));
            result(toRouter.send(Msgs.generated(i)));
            assertThat(receive(toRouter)).isEqualTo(plus(Msgs.generated(i), "from-jeromq"));
            assertThat(seen(atRouter, i)).isEqualTo(prefix(Msgs.generated(i), Frame.of("rz-dealer")));
        }
    }

    @Test
    void ourRouterTalksToAJeromqRouterByExplicitIds() {
        List<Msg> seen = new ArrayList<>();
        String ep = jeromqEchoServer(org.zeromq.SocketType.ROUTER, "jq-router", seen);
        ZSocket router = socket(SocketType.ROUTER, id("rz-router").withRouterMandatory(true));
        result(router.connect(ep));
        awaitReadyPeers(router, 1);
        result(router.send(Msg.of("jq-router", "hello", "", "world")));
        assertThat(receive(router)).isEqualTo(Msg.of("jq-router", "hello", "", "world", "from-jeromq"));
        assertThat(seen(seen, 0)).isEqualTo(Msg.of("rz-router", "hello", "", "world"));
    }

    /** A bound JeroMQ REQ or DEALER sends N requests on its own thread and collects the replies. */
    private CompletableFuture<List<Msg>> jeromqClient(org.zeromq.SocketType type, String routingId, int[] port) {
        ZMQ.Socket s = jeromqSocket(type, routingId);
        port[0] = s.bindToRandomPort("tcp://127.0.0.1");
        boolean dealer = type == org.zeromq.SocketType.DEALER;
        return CompletableFuture.supplyAsync(() -> {
            List<Msg> replies = new ArrayList<>();
            try {
                for (int i = 0; i < N; i++) {
                    send(s, dealer ? prefix(Msgs.generated(i), Frame.EMPTY) : Msgs.generated(i));
                    Msg r = null;
                    long end = System.nanoTime() + DEADLINE.toNanos();
                    while (r == null && System.nanoTime() < end && !stop.get()) {
                        r = recv(s);
                    }
                    replies.add(r);
                }
            } finally {
                s.close();
            }
            return replies;
        });
    }

    @Test
    void jeromqReqAndDealerTalkToOurRep() throws Exception {
        int[] reqPort = new int[1];
        int[] dealerPort = new int[1];
        CompletableFuture<List<Msg>> req = jeromqClient(org.zeromq.SocketType.REQ, null, reqPort);
        CompletableFuture<List<Msg>> dealer = jeromqClient(org.zeromq.SocketType.DEALER, null, dealerPort);
        ZSocket rep = socket(SocketType.REP);
        result(rep.connect("tcp://127.0.0.1:" + reqPort[0]));
        result(rep.connect("tcp://127.0.0.1:" + dealerPort[0]));
        echo(rep, 2 * N);
        List<Msg> expectedReq = new ArrayList<>();
        List<Msg> expectedDealer = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            expectedReq.add(plus(Msgs.generated(i), "from-rzmq"));
            expectedDealer.add(prefix(plus(Msgs.generated(i), "from-rzmq"), Frame.EMPTY));
        }
        assertThat(req.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(expectedReq);
        assertThat(dealer.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(expectedDealer);
    }

    @Test
    void jeromqReqAndDealerTalkToOurRouter() throws Exception {
        int[] reqPort = new int[1];
        int[] dealerPort = new int[1];
        CompletableFuture<List<Msg>> req = jeromqClient(org.zeromq.SocketType.REQ, "jq-req", reqPort);
        CompletableFuture<List<Msg>> dealer = jeromqClient(org.zeromq.SocketType.DEALER, "jq-dealer", dealerPort);
        ZSocket router = socket(SocketType.ROUTER);
        result(router.connect("tcp://127.0.0.1:" + reqPort[0]));
        result(router.connect("tcp://127.0.0.1:" + dealerPort[0]));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 2 * N; i++) {
            Msg request = receive(router);
            ids.add(request.firstString());
            assertThat(request.frame(1).isEmpty()).isTrue();
            result(router.send(plus(request, "from-rzmq")));
        }
        assertThat(ids).containsOnly("jq-req", "jq-dealer").hasSize(2 * N);
        List<Msg> expectedReq = new ArrayList<>();
        List<Msg> expectedDealer = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            expectedReq.add(plus(Msgs.generated(i), "from-rzmq"));
            expectedDealer.add(prefix(plus(Msgs.generated(i), "from-rzmq"), Frame.EMPTY));
        }
        assertThat(req.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(expectedReq);
        assertThat(dealer.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(expectedDealer);
    }
}
