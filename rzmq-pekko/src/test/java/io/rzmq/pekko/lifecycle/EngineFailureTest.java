package io.rzmq.pekko.lifecycle;

import io.rzmq.testkit.Awaits;
import io.rzmq.pekko.Rzmq;
import io.rzmq.pekko.api.Await;
import io.rzmq.pekko.api.ZContext;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.pekko.model.MonitorEvent;
import io.rzmq.pekko.model.MonitorEventKind;
import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.pekko.testing.MonitorLog;
import io.rzmq.pekko.testing.TcpTransportTest;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import io.rzmq.protocol.security.CurveKeyPair;
import io.rzmq.testkit.LibzmqSocket;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.rzmq.pekko.api.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * An engine failure ends only that connection (issue 13, lifecycle): seen through the public API, monitor
 * events and a real libzmq peer, so it holds whatever actors the runtime uses underneath.
 * <ul>
 *   <li>Garbage from a raw peer at a bound socket: that connection fails its handshake and is dropped; a
 *   libzmq peer of the same socket keeps delivering before and after.</li>
 *   <li>A handshake error on the connecting side (our NULL PUSH against a libzmq CURVE server, a mechanism
 *   mismatch): the connection is retried with backoff, RECONNECT_IVL doubling up to RECONNECT_IVL_MAX
 *   (the waits CONNECT_RETRIED announces, and the spacing of the events, bounded from below only), while
 *   the socket's other connection carries every message.</li>
 * </ul>
 */
@TcpTransportTest
class EngineFailureTest {
    static final Duration IVL = Duration.ofMillis(100);
    static final Duration IVL_MAX = Duration.ofMillis(800);
    /** A timer may fire a scheduler tick early; the spacing checks allow for that much. */
    static final Duration TICK = Duration.ofMillis(20);
    static ActorTestKit kit;
    ZContext ctx;

    @BeforeAll
    static void start() {
        assumeTrue(LibzmqSocket.available(), "needs /usr/bin/python3 with pyzmq");
        kit = ActorTestKit.create("engine-failure");
    }

    @AfterAll
    static void stop() {
        if (kit != null) {
            kit.shutdownTestKit();
        }
    }

    @BeforeEach
    void newContext() {
        ctx = Rzmq.get(kit.system()).newContext("engine-failure");
    }

    @AfterEach
    void closeContext() {
        result(ctx.close(Duration.ZERO));
    }

    @Test
    void garbageFromARawPeerEndsOnlyThatConnection() throws IOException {
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL, SocketOptions.defaults().withLinger(Duration.ZERO));
        MonitorLog log = MonitorLog.of(kit, pull);
        String endpoint = result(pull.bind("tcp://127.0.0.1:*"));
        try (LibzmqSocket push = LibzmqSocket.connect(SocketType.PUSH, endpoint)) {
            push.send(Msg.of("before"));
            assertThat(result(pull.receive())).isEqualTo(Msg.of("before"));

            int port = Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
            try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), port)) {
                raw.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                raw.getOutputStream().flush();
                String rawPeer = "127.0.0.1:" + raw.getLocalPort();
                MonitorEvent failed = log.awaitNth(1, "a handshake failure of the raw peer",
                    e -> e.kind().isHandshakeFailure() && rawPeer.equals(e.peerAddress()));
                assertThat(failed.kind()).isEqualTo(MonitorEventKind.HANDSHAKE_FAILED_PROTOCOL);
                log.awaitNth(1, "the raw peer's DISCONNECTED",
                    e -> e.kind() == MonitorEventKind.DISCONNECTED && rawPeer.equals(e.peerAddress()));
                assertConnectionEnds(raw);
            }

            for (int i = 0; i < 10; i++) {
                push.send(Msg.of("after-" + i));
            }
            for (int i = 0; i < 10; i++) {
                assertThat(result(pull.receive())).isEqualTo(Msg.of("after-" + i));
            }
            // libzmq's connection was never touched: one handshake, no disconnect of it.
            assertThat(log.of(MonitorEventKind.HANDSHAKE_SUCCEEDED)).hasSize(1);
            assertThat(log.of(MonitorEventKind.DISCONNECTED)).hasSize(1);
        }
    }

    @Test
    void aHandshakeErrorEndsOnlyThatConnectionAndItIsRetriedWithBackoff() {
        CurveKeyPair serverKeys = CurveKeyPair.generate();
        try (LibzmqSocket good = LibzmqSocket.bind(SocketType.PULL, "tcp://127.0.0.1:*");
             LibzmqSocket curveOnly = LibzmqSocket.open(Map.of("CURVE_SERVER_SECRET", serverKeys.secretKeyZ85()),
                 SocketType.PULL, true, "tcp://127.0.0.1:*")) {
            // IMMEDIATE: messages go to completed connections only (without it, as in libzmq, the failing
            // connection's pipe takes its round-robin share and holds it for a handshake that never comes).
            ZSocket push = ZSocket.create(ctx, SocketType.PUSH, SocketOptions.defaults().withImmediate(true)
                .withLinger(Duration.ZERO).withReconnectIvl(IVL).withReconnectIvlMax(IVL_MAX));
            MonitorLog log = MonitorLog.of(kit, push);
            result(push.connect(good.endpoint()));
            result(push.connect(curveOnly.endpoint()));
            log.awaitNth(1, "the handshake with the good peer",
                e -> e.kind() == MonitorEventKind.HANDSHAKE_SUCCEEDED && good.endpoint().equals(e.endpoint()));

            int retries = 6;
            for (int i = 0; i < retries; i++) {
                log.awaitNth(i + 1, "CONNECT_RETRIED of the CURVE-only peer", e -> retriedAt(e, curveOnly.endpoint()));
                result(push.send(Msg.of("while-failing-" + i)));
            }
            for (int i = 0; i < retries; i++) {
                assertThat(good.receive()).isEqualTo(Msg.of("while-failing-" + i));
            }

            List<MonitorEvent> retried = log.matching(e -> retriedAt(e, curveOnly.endpoint())).subList(0, retries);
            assertThat(retried).extracting(MonitorEvent::value).containsExactly(100L, 200L, 400L, 800L, 800L, 800L);
            for (int i = 1; i < retries; i++) {
                Duration gap = Duration.between(retried.get(i - 1).timestamp(), retried.get(i).timestamp());
                assertThat(gap).as("spacing of retry %d after announcing %d ms", i, retried.get(i - 1).value())
                    .isGreaterThanOrEqualTo(Duration.ofMillis(retried.get(i - 1).value()).minus(TICK));
            }
            assertThat(log.matching(e -> e.kind() == MonitorEventKind.HANDSHAKE_SUCCEEDED
                && curveOnly.endpoint().equals(e.endpoint()))).isEmpty();
            // The good connection did not come and go with the failing one.
            assertThat(log.matching(e -> e.kind() == MonitorEventKind.HANDSHAKE_SUCCEEDED
                && good.endpoint().equals(e.endpoint()))).hasSize(1);
            assertThat(log.matching(e -> e.kind() == MonitorEventKind.DISCONNECTED
                && good.endpoint().equals(e.endpoint()))).isEmpty();
        }
    }

    private static boolean retriedAt(MonitorEvent e, String endpoint) {
        return e.kind() == MonitorEventKind.CONNECT_RETRIED && endpoint.equals(e.endpoint());
    }

    private static void assertConnectionEnds(Socket raw) throws IOException {
        Awaits.closedByPeer(raw, Await.DEADLINE);
    }
}
