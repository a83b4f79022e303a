package io.rzmq.pekko.internal.session;

import io.rzmq.pekko.testing.TcpTransportTest;
import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.pekko.model.MonitorEventKind;
import io.rzmq.pekko.testing.PeerPipes;
import io.rzmq.testkit.PyPeer;
import io.rzmq.pekko.testing.SocketHarness;
import io.rzmq.pekko.internal.engine.SocketSetup;
import io.rzmq.pekko.internal.transport.TransportEvent;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * ZMTP 3.1 heartbeats with libzmq 4.3 (pyzmq): its PINGs are answered by us, ours by it. The libzmq peer
 * stays idle (no application traffic) for many heartbeat timeouts after the handshake, reporting its
 * monitor events; then one message must still get through on the same connection.
 */
@TcpTransportTest
class LibzmqHeartbeatInteropTest {
    private static final ActorTestKit kit = ActorTestKit.create();
    private static final TcpTransport tcp = new TcpTransport();
    /** The libzmq peer's idle time, in seconds. */
    // Idle several heartbeat timeouts long; the timeouts leave room for a loaded 2-core CI machine (a
    // 150 ms timeout once expired there while our PONG waited for a thread), yet a side that did not
    // answer PINGs would still be dropped well inside the idle period.
    private static final String IDLE_SECONDS = "3";

    @BeforeAll
    static void needsPyzmq() {
        assumeTrue(PyPeer.available(), "python3 with pyzmq is not installed");
    }

    @AfterAll
    static void shutdown() {
        kit.shutdownTestKit();
    }

    @Test
    void libzmqPingsAreAnsweredAndItKeepsTheConnection() {
        Map<String, String> env = Map.of("HEARTBEAT_IVL", "100", "HEARTBEAT_TIMEOUT", "600", "HEARTBEAT_TTL", "1500");
        try (PyPeer peer = PyPeer.start(env, "idlepull", "bind", "tcp://127.0.0.1:*", IDLE_SECONDS)) {
            String endpoint = peer.awaitReady();
            SocketHarness socket = new SocketHarness(kit);
            socket.connect(tcp, endpoint, SocketSetup.of(SocketType.PUSH, SocketOptions.defaults()));
            PeerPipes out = socket.awaitAttached();
            socket.await(TransportEvent.PeerReady.class);

            peer.awaitLine("IDLED");
            out.send(Msg.of("hello"));
            peer.awaitLine("MSG 68656c6c6f");
            peer.awaitLine("DONE");

            assertOneConnectionThroughout(peer, socket);
        }
    }

    @Test
    void ourPingsAreAnsweredByLibzmqAndWeKeepTheConnection() {
        try (PyPeer peer = PyPeer.start("idlepull", "bind", "tcp://127.0.0.1:*", IDLE_SECONDS)) {
            String endpoint = peer.awaitReady();
            SocketHarness socket = new SocketHarness(kit);
            socket.connect(tcp, endpoint, SocketSetup.of(SocketType.PUSH, SocketOptions.defaults()
                .withHeartbeatIvl(Duration.ofMillis(100))
                .withHeartbeatTimeout(Duration.ofMillis(600))
                .withHeartbeatTtl(Duration.ofMillis(1500))));
            PeerPipes out = socket.awaitAttached();
            socket.await(TransportEvent.PeerReady.class);

            peer.awaitLine("IDLED");
            out.send(Msg.of("hello"));
            peer.awaitLine("MSG 68656c6c6f");
            peer.awaitLine("DONE");

            assertOneConnectionThroughout(peer, socket);
        }
    }

    @Test
    void aFrozenLibzmqPeerIsDroppedOnItsOwnTtlAndWeTryAgain() {
        // libzmq announces a 300 ms TTL in its PINGs; we send no heartbeats of our own.
        Map<String, String> env = Map.of("HEARTBEAT_IVL", "50", "HEARTBEAT_TTL", "300");
        try (PyPeer peer = PyPeer.start(env, "idlepull", "bind", "tcp://127.0.0.1:*", "60")) {
            String endpoint = peer.awaitReady();
            SocketHarness socket = new SocketHarness(kit);
            socket.connect(tcp, endpoint, SocketSetup.of(SocketType.PUSH, SocketOptions.defaults()
                .withReconnectIvl(Duration.ofMillis(50))));
            socket.await(TransportEvent.PeerReady.class);
            peer.awaitLine("EVENT HANDSHAKE_SUCCEEDED");
            socket.await(TransportEvent.Monitor.class, m -> m.event().equals(MonitorEventKind.HANDSHAKE_SUCCEEDED));
            // Freezing before libzmq's first PING would leave us nothing to know its TTL from.
            peer.awaitLine("HEARTBEATING");

            peer.freeze(); // no FIN, no RST: the connection just goes quiet
            TransportEvent.PeerLost lost = socket.await(TransportEvent.PeerLost.class);
            assertThat(lost.reason()).contains("heartbeat timeout").contains("TTL");
            socket.await(TransportEvent.Monitor.class, m -> m.event().equals(MonitorEventKind.CONNECT_RETRIED));
        }
    }

    @Test
    void ourHeartbeatsDropAFrozenLibzmqPeer() {
        try (PyPeer peer = PyPeer.start("idlepull", "bind", "tcp://127.0.0.1:*", "60")) {
            String endpoint = peer.awaitReady();
            SocketHarness socket = new SocketHarness(kit);
            socket.connect(tcp, endpoint, SocketSetup.of(SocketType.PUSH, SocketOptions.defaults()
                .withHeartbeatIvl(Duration.ofMillis(50)).withHeartbeatTimeout(Duration.ofMillis(200))
                .withReconnectIvl(Duration.ofMillis(50))));
            socket.await(TransportEvent.PeerReady.class);
            peer.awaitLine("EVENT HANDSHAKE_SUCCEEDED");

            peer.freeze();
            TransportEvent.PeerLost lost = socket.await(TransportEvent.PeerLost.class);
            assertThat(lost.reason()).contains("heartbeat timeout").contains("our PING");
            socket.await(TransportEvent.Monitor.class, m -> m.event().equals(MonitorEventKind.CONNECT_RETRIED));
        }
    }

    /**
     * The message went through the connection made at the start: neither side dropped it while idle (a drop
     * would show as DISCONNECTED at libzmq's monitor and a second handshake here). The libzmq peer exits
     * after DONE, so our own PeerLost may follow; that one is expected.
     */
    private static void assertOneConnectionThroughout(PyPeer peer, SocketHarness socket) {
        assertThat(peer.seen()).containsOnlyOnce("EVENT HANDSHAKE_SUCCEEDED").doesNotContain("EVENT DISCONNECTED");
        assertThat(socket.events()).filteredOn(e -> e instanceof TransportEvent.PeerReady).hasSize(1);
        assertThat(socket.events()).noneMatch(e -> e instanceof TransportEvent.Monitor m
            && m.event().equals(MonitorEventKind.DISCONNECTED) && m.detail().contains("heartbeat"));
    }
}
