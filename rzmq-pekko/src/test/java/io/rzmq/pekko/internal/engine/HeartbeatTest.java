package io.rzmq.pekko.internal.engine;

import io.rzmq.pekko.model.MonitorEventKind;

import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.pekko.testing.PeerPipes;
import io.rzmq.pekko.testing.SocketHarness;
import io.rzmq.testkit.ZmtpTestPeer;
import io.rzmq.pekko.model.Endpoint;
import io.rzmq.pekko.internal.transport.TransportEvent;
import io.rzmq.pekko.internal.session.TcpTransport;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HEARTBEAT_IVL / HEARTBEAT_TIMEOUT / HEARTBEAT_TTL against a hand-driven peer that completes the
 * handshake and then goes silent without closing (a dead host behind a silent network), or keeps
 * answering PINGs.
 */
class HeartbeatTest {
    private static final ActorTestKit kit = ActorTestKit.create();
    private static final TcpTransport tcp = new TcpTransport();

    private static final SocketOptions HEARTBEATS = SocketOptions.defaults()
        .withHeartbeatIvl(Duration.ofMillis(50))
        .withHeartbeatTimeout(Duration.ofMillis(200))
        .withReconnectIvl(Duration.ofMillis(20));

    @AfterAll
    static void shutdown() {
        kit.shutdownTestKit();
    }

    private static boolean isHeartbeatLoss(TransportEvent.Monitor m) {
        return m.event().equals(MonitorEventKind.DISCONNECTED) && m.detail().contains("heartbeat timeout");
    }

    @Test
    void aBoundSocketDropsAPeerThatGoesSilentAfterTheHandshake() throws IOException {
        SocketHarness server = new SocketHarness(kit);
        server.bind(tcp, "tcp://127.0.0.1:0", SocketSetup.of(SocketType.PULL, HEARTBEATS));
        int port = Endpoint.parse(server.await(TransportEvent.Bound.class).resolved()).port();

        try (ZmtpTestPeer peer = new ZmtpTestPeer(new Socket(InetAddress.getLoopbackAddress(), port), SocketType.PUSH)) {
            peer.handshake();
            PeerPipes in = server.awaitAttached();
            // Silence: the peer neither reads nor writes from now on, and does not close.
            TransportEvent.Monitor lost = server.await(TransportEvent.Monitor.class, HeartbeatTest::isHeartbeatLoss);
            assertThat(lost.peer()).startsWith("127.0.0.1:");
            assertThat(server.await(TransportEvent.PipeDetached.class).id()).isEqualTo(in.id());
            peer.awaitClosed();
        }
    }

    @Test
    void aConnectingSocketDropsASilentPeerAndReconnects() throws IOException {
        try (ServerSocket listener = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout((int) SocketHarness.TIMEOUT.toMillis());
            SocketHarness client = new SocketHarness(kit);
            client.connect(tcp, "tcp://127.0.0.1:" + listener.getLocalPort(), SocketSetup.of(SocketType.PUSH, HEARTBEATS));
            PeerPipes out = client.awaitAttached();

            try (ZmtpTestPeer silent = new ZmtpTestPeer(listener.accept(), SocketType.PULL)) {
                silent.handshake();
                client.await(TransportEvent.PeerReady.class);
                TransportEvent.PeerLost lost = client.await(TransportEvent.PeerLost.class);
                assertThat(lost.reason()).contains("heartbeat timeout");
                assertThat(client.await(TransportEvent.Monitor.class, HeartbeatTest::isHeartbeatLoss)).isNotNull();

                // The session reconnects; messages queued meanwhile reach the new connection.
                out.send(Msg.of("after the loss"));
                try (ZmtpTestPeer second = new ZmtpTestPeer(listener.accept(), SocketType.PULL)) {
                    second.handshake();
                    client.await(TransportEvent.PeerReady.class);
                    second.runUntil(() -> !second.messages().isEmpty(), SocketHarness.TIMEOUT);
                    assertThat(second.messages()).containsExactly(Msg.of("after the loss"));
                }
            }
        }
    }

    @Test
    void aSilentPeerIsDroppedEvenWhileOurWritesToItAreStuck() throws IOException {
        SocketHarness server = new SocketHarness(kit);
        server.bind(tcp, "tcp://127.0.0.1:0", SocketSetup.of(SocketType.PUSH, HEARTBEATS.withSndHwm(64)));
        int port = Endpoint.parse(server.await(TransportEvent.Bound.class).resolved()).port();

        try (ZmtpTestPeer peer = new ZmtpTestPeer(new Socket(InetAddress.getLoopbackAddress(), port), SocketType.PULL)) {
            peer.handshake();
            PeerPipes out = server.awaitAttached();
            // Far more than the kernel buffers hold: our write stays in flight, the PINGs queue behind it.
            byte[] payload = new byte[256 * 1024];
            for (int i = 0; i < 64; i++) {
                out.toPeer().offer(Msg.of(payload));
            }
            server.await(TransportEvent.Monitor.class, HeartbeatTest::isHeartbeatLoss);
            assertThat(server.await(TransportEvent.PipeDetached.class).id()).isEqualTo(out.id());
        }
    }

    @Test
    void aPeerThatAnswersPingsStaysConnectedOverManyTimeouts() throws IOException {
        SocketHarness server = new SocketHarness(kit);
        server.bind(tcp, "tcp://127.0.0.1:0", SocketSetup.of(SocketType.PUSH, HEARTBEATS));
        int port = Endpoint.parse(server.await(TransportEvent.Bound.class).resolved()).port();

        try (ZmtpTestPeer peer = new ZmtpTestPeer(new Socket(InetAddress.getLoopbackAddress(), port), SocketType.PULL)) {
            peer.handshake();
            PeerPipes out = server.awaitAttached();
            // The PINGs are the clock: 20 of them span five HEARTBEAT_TIMEOUTs with no application traffic,
            // and the peer's only traffic is its PONGs.
            peer.runUntil(() -> peer.pings() >= 20, SocketHarness.TIMEOUT);
            assertThat(server.events()).noneMatch(e -> e instanceof TransportEvent.PipeDetached);
            assertThat(server.events()).noneMatch(e -> e instanceof TransportEvent.Monitor m
                && m.event().equals(MonitorEventKind.DISCONNECTED));

            out.send(Msg.of("still here"));
            peer.runUntil(() -> !peer.messages().isEmpty(), SocketHarness.TIMEOUT);
            assertThat(peer.messages()).containsExactly(Msg.of("still here"));
        }
    }

    @Test
    void thePeersTtlIsHonouredEvenWithOurHeartbeatsOff() throws IOException {
        SocketHarness server = new SocketHarness(kit);
        server.bind(tcp, "tcp://127.0.0.1:0", SocketSetup.of(SocketType.PULL, SocketOptions.defaults()));
        int port = Endpoint.parse(server.await(TransportEvent.Bound.class).resolved()).port();

        try (ZmtpTestPeer peer = new ZmtpTestPeer(new Socket(InetAddress.getLoopbackAddress(), port), SocketType.PUSH)) {
            peer.handshake();
            server.awaitAttached();
            peer.ping(2); // "drop me if you hear nothing from me for 200 ms", then silence
            TransportEvent.Monitor lost = server.await(TransportEvent.Monitor.class, HeartbeatTest::isHeartbeatLoss);
            assertThat(lost.detail()).contains("TTL");
            server.await(TransportEvent.PipeDetached.class);
            peer.awaitClosed();
        }
    }

    @Test
    void ourPingsCarryOurTtl() throws IOException {
        SocketHarness client = new SocketHarness(kit);
        try (ServerSocket listener = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout((int) SocketHarness.TIMEOUT.toMillis());
            client.connect(tcp, "tcp://127.0.0.1:" + listener.getLocalPort(), SocketSetup.of(SocketType.PUSH,
                HEARTBEATS.withHeartbeatTtl(Duration.ofMillis(1234))));
            int[] ttl = new int[1];
            try (ZmtpTestPeer peer = new ZmtpTestPeer(listener.accept(), SocketType.PULL)) {
                peer.handshake();
                peer.runUntil(() -> peer.pings() >= 1, SocketHarness.TIMEOUT);
                ttl[0] = peer.lastPingTtl();
            }
            assertThat(ttl[0]).isEqualTo(12);
        }
    }
}
