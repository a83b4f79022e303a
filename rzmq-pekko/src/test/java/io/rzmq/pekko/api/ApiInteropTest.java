package io.rzmq.pekko.api;

import io.rzmq.pekko.testing.TcpTransportTest;
import io.rzmq.pekko.Rzmq;
import io.rzmq.pekko.model.RzmqException;
import io.rzmq.testkit.PyPeer;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.zeromq.ZMQ;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;

import static io.rzmq.pekko.api.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * ZSocket against JeroMQ 0.6 (ZMTP 3.0: subscriptions as 1/0-prefixed messages) and libzmq 4.3 via pyzmq
 * (ZMTP 3.1: SUBSCRIBE commands), in both bind/connect directions.
 */
@TcpTransportTest
class ApiInteropTest {
    static final ActorTestKit testKit = ActorTestKit.create();

    ZContext ctx;
    org.zeromq.ZContext jeromq;

    @BeforeEach
    void contexts() {
        ctx = Rzmq.get(testKit.system()).newContext("interop");
        jeromq = new org.zeromq.ZContext();
    }

    @AfterEach
    void close() {
        jeromq.close();
        result(ctx.close(Duration.ZERO));
    }

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    /**
     * Connects a JeroMQ socket to our bound socket and waits until our side sees the peer. JeroMQ 0.6.0's
     * connecting side sometimes never sends its greeting after the TCP connect completes, not even to a
     * plain ServerSocket (a few in a hundred connects under load); such a socket is replaced by a new one.
     */
    private ZMQ.Socket connectJeromq(org.zeromq.SocketType type, java.util.function.Consumer<ZMQ.Socket> configure,
                                     String endpoint, ZSocket ours) {
        int before = result(ours.status()).readyPeers();
        for (int attempt = 1; ; attempt++) {
            ZMQ.Socket s = jeromq.createSocket(type);
            configure.accept(s);
            s.connect(endpoint);
            long end = System.nanoTime() + java.time.Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < end) {
                if (result(ours.status()).readyPeers() > before) {
                    s.setReceiveTimeOut((int) Await.DEADLINE.toMillis());
                    return s;
                }
                Thread.onSpinWait();
            }
            jeromq.destroySocket(s);
            if (attempt == 5) {
                throw new AssertionError("JeroMQ never completed a handshake with us in 5 attempts");
            }
        }
    }

    @Test
    void jeromqPushToOurPullAndOurPushToJeromqPull() {
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL);
        String endpoint = result(pull.bind("tcp://127.0.0.1:*"));
        ZMQ.Socket jpush = connectJeromq(org.zeromq.SocketType.PUSH, s -> { }, endpoint, pull);
        jpush.sendMore("a");
        jpush.sendMore("");
        jpush.send("c");
        assertThat(result(pull.receive())).isEqualTo(Msg.of("a", "", "c"));

        ZMQ.Socket jpull = jeromq.createSocket(org.zeromq.SocketType.PULL);
        int port = jpull.bindToRandomPort("tcp://127.0.0.1");
        jpull.setReceiveTimeOut(10_000);
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH);
        result(push.connect("tcp://127.0.0.1:" + port));
        result(push.send(Msg.of("x", "y")));
        assertThat(jpull.recvStr()).isEqualTo("x");
        assertThat(jpull.hasReceiveMore()).isTrue();
        assertThat(jpull.recvStr()).isEqualTo("y");
    }

    @Test
    void jeromqSubscriberGetsOnlyItsTopicFromOurPub() {
        ZSocket pub = ZSocket.create(ctx, SocketType.PUB);
        String endpoint = result(pub.bind("tcp://127.0.0.1:*"));
        ZMQ.Socket jsub = connectJeromq(org.zeromq.SocketType.SUB,
            s -> s.subscribe("B".getBytes(StandardCharsets.UTF_8)), endpoint, pub);
        // The subscription (a 3.0-style message) travels after the handshake, so being attached does not
        // mean it has arrived: publish probes until one gets through, then the filter is in place.
        jsub.setReceiveTimeOut(100);
        long end = System.nanoTime() + Await.DEADLINE.toNanos();
        String probe = null;
        while (probe == null && System.nanoTime() < end) {
            result(pub.send(Msg.of("B-probe")));
            probe = jsub.recvStr();
        }
        assertThat(probe).as("a probe reached the JeroMQ subscriber").isEqualTo("B-probe");
        jsub.setReceiveTimeOut((int) Await.DEADLINE.toMillis());
        for (int i = 0; i < 10; i++) {
            result(pub.send(Msg.of("A-" + i)));
            result(pub.send(Msg.of("B-" + i, "x")));
            result(pub.send(Msg.of("B-single-" + i)));
        }
        for (int i = 0; i < 10; i++) {
            String topic = jsub.recvStr();
            while ("B-probe".equals(topic)) { // probes still in flight when the first one arrived
                topic = jsub.recvStr();
            }
            assertThat(topic).isEqualTo("B-" + i);
            assertThat(jsub.hasReceiveMore()).isTrue();
            assertThat(jsub.recvStr()).isEqualTo("x");
            assertThat(jsub.recvStr()).isEqualTo("B-single-" + i);
            assertThat(jsub.hasReceiveMore()).isFalse();
        }
    }

    @Test
    void ourSubscriberGetsOnlyItsTopicFromJeromqPub() {
        ZMQ.Socket jpub = jeromq.createSocket(org.zeromq.SocketType.PUB);
        int port = jpub.bindToRandomPort("tcp://127.0.0.1");
        ZSocket sub = ZSocket.create(ctx, SocketType.SUB);
        result(sub.subscribe("B"));
        result(sub.connect("tcp://127.0.0.1:" + port));
        long end = System.nanoTime() + Await.DEADLINE.toNanos();
        Msg got = null;
        int i = 0;
        while (got == null && System.nanoTime() < end) {
            jpub.send("A-" + i);
            jpub.send("B-" + i);
            i++;
            try {
                got = result(sub.receive(Duration.ofMillis(20)));
            } catch (RzmqException e) {
                assertThat(e.code()).isEqualTo(RzmqException.Code.EAGAIN);
            }
        }
        assertThat(got).isNotNull();
        for (int k = 0; k < 20; k++) {
            jpub.send("A-x");
            jpub.send("B-x");
            assertThat(got.firstString()).startsWith("B-");
            got = result(sub.receive());
        }
    }

    @Test
    void libzmqPublisherAndSubscriberWithTopicFilters() {
        Assumptions.assumeTrue(PyPeer.available(), "pyzmq is not installed");
        // libzmq PUB binds and publishes A-n and B-n; we subscribe to B only (3.1 SUBSCRIBE command).
        try (PyPeer pypub = PyPeer.start("pub", "bind", "tcp://127.0.0.1:*")) {
            String endpoint = pypub.awaitReady();
            ZSocket sub = ZSocket.create(ctx, SocketType.SUB);
            result(sub.subscribe("B"));
            result(sub.connect(endpoint));
            for (int k = 0; k < 50; k++) {
                Msg m = result(sub.receive());
                assertThat(m.firstString()).startsWith("B-");
                assertThat(m.frame(1).asString()).isEqualTo("payload");
            }
        }
        // We bind a PUB; libzmq SUB connects with topic "t1" and counts what it receives.
        ZSocket pub = ZSocket.create(ctx, SocketType.PUB);
        String endpoint = result(pub.bind("tcp://127.0.0.1:*"));
        try (PyPeer pysub = PyPeer.start("sub", "connect", endpoint, "5", "t1")) {
            pysub.awaitReady();
            int sent = 0;
            long end = System.nanoTime() + Await.DEADLINE.toNanos();
            // Until the subscription arrives everything is dropped; keep publishing both topics.
            while (System.nanoTime() < end) {
                result(pub.send(Msg.of("t0-" + sent)));
                result(pub.send(Msg.of("t1-" + sent)));
                sent++;
                if (pysub.seen().stream().anyMatch(l -> l.startsWith("DONE"))) {
                    break;
                }
                try {
                    pysub.awaitLine(l -> l.startsWith("DONE"), Duration.ofMillis(10));
                    break;
                } catch (AssertionError notYet) {
                    // keep publishing
                }
            }
            assertThat(pysub.seen()).anyMatch(l -> l.startsWith("DONE 5"));
            assertThat(pysub.seen().stream().filter(l -> l.startsWith("MSG "))).hasSize(5).allSatisfy(l ->
                assertThat(new String(HexFormat.of().parseHex(l.substring(4)), StandardCharsets.UTF_8)).startsWith("t1-"));
        }
    }

    @Test
    void ourSubscriberResubscribesWhenAKilledLibzmqPublisherComesBack() throws Exception {
        Assumptions.assumeTrue(PyPeer.available(), "pyzmq is not installed");
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        String endpoint = "tcp://127.0.0.1:" + port;
        ZSocket sub = ZSocket.create(ctx, SocketType.SUB);
        result(sub.subscribe("B"));
        result(sub.connect(endpoint));
        for (int round = 0; round < 2; round++) {
            // The publisher starts (again) on the same port; the subscription must reach each new
            // process, which knows nothing of it, for B messages to flow.
            try (PyPeer pypub = PyPeer.start("pub", "bind", endpoint)) {
                pypub.awaitReady();
                for (int k = 0; k < 20; k++) {
                    Msg m = result(sub.receive());
                    assertThat(m.firstString()).startsWith("B-");
                }
            } // killed (SIGKILL): the connection breaks, the session reconnects
            Await.until("the subscriber noticed the publisher died",
                () -> result(sub.status()).readyPeers() == 0);
            while (sub.tryReceive() != null) {
                // drop what arrived before the kill
            }
        }
    }

    @Test
    void libzmqPushToOurPull() {
        Assumptions.assumeTrue(PyPeer.available(), "pyzmq is not installed");
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL);
        String endpoint = result(pull.bind("tcp://127.0.0.1:*"));
        try (PyPeer pypush = PyPeer.start("push", "connect", endpoint, "30")) {
            for (int i = 0; i < 30; i++) {
                Msg m = result(pull.receive());
                if (i % 3 == 2) {
                    assertThat(m).isEqualTo(Msg.of("part-a-" + i, "", "part-c"));
                } else {
                    assertThat(m).isEqualTo(Msg.of("msg-" + i));
                }
            }
        }
    }
}
