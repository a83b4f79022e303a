package io.rzmq.pekko.internal.engine;

import io.rzmq.testkit.Awaits;
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
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** HANDSHAKE_IVL: a connector that never completes its handshake is dropped; the listener goes on serving. */
class HandshakeIvlTest {
    private static final ActorTestKit kit = ActorTestKit.create();
    private static final TcpTransport tcp = new TcpTransport();

    @AfterAll
    static void shutdown() {
        kit.shutdownTestKit();
    }

    @Test
    void aSilentConnectorIsDroppedWhileAnotherPeerKeepsBeingServed() throws IOException {
        SocketHarness server = new SocketHarness(kit);
        server.bind(tcp, "tcp://127.0.0.1:0", SocketSetup.of(SocketType.PULL,
            SocketOptions.defaults().withHandshakeIvl(Duration.ofMillis(300))));
        int port = Endpoint.parse(server.await(TransportEvent.Bound.class).resolved()).port();

        try (Socket silent = new Socket(InetAddress.getLoopbackAddress(), port);
             ZmtpTestPeer good = new ZmtpTestPeer(new Socket(InetAddress.getLoopbackAddress(), port), SocketType.PUSH)) {
            good.handshake();
            PeerPipes in = server.awaitAttached();
            good.send(Msg.of("before"));
            assertThat(in.receive()).isEqualTo(Msg.of("before"));

            // The silent one says nothing at all: dropped once HANDSHAKE_IVL has passed.
            TransportEvent.Monitor failed = server.awaitMonitor(MonitorEventKind.HANDSHAKE_FAILED_NO_DETAIL);
            assertThat(failed.peer()).isEqualTo("127.0.0.1:" + silent.getLocalPort());
            assertThat(failed.detail()).contains("handshake timed out");
            assertThatTheConnectionEnds(silent);

            // The handshaken peer is not subject to HANDSHAKE_IVL and still gets through.
            good.send(Msg.of("after"));
            assertThat(in.receive()).isEqualTo(Msg.of("after"));
            assertThat(server.events()).filteredOn(e -> e instanceof TransportEvent.PipeAttached).hasSize(1);
            assertThat(server.events()).noneMatch(e -> e instanceof TransportEvent.PipeDetached);
        }
    }

    private static void assertThatTheConnectionEnds(Socket raw) throws IOException {
        Awaits.closedByPeer(raw, SocketHarness.TIMEOUT);
    }
}
