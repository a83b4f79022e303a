package io.rzmq.pekko.internal.engine;

import io.rzmq.testkit.Awaits;
import io.rzmq.pekko.model.MonitorEventKind;

import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.pekko.testing.PeerPipes;
import io.rzmq.pekko.testing.SocketHarness;
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
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad and silent peers end their own connection only. */
class ZmtpEngineFaultTest {
    private static final ActorTestKit kit = ActorTestKit.create();
    private static final TcpTransport tcp = new TcpTransport();

    @AfterAll
    static void shutdown() {
        kit.shutdownTestKit();
    }

    @Test
    void garbageClosesThatConnectionOnlyWhileAnotherPeerKeepsWorking() throws IOException {
        SocketHarness server = new SocketHarness(kit);
        server.bind(tcp, "tcp://127.0.0.1:0", SocketSetup.of(SocketType.PULL, SocketOptions.defaults()));
        String endpoint = server.await(TransportEvent.Bound.class).resolved();
        SocketHarness client = new SocketHarness(kit);
        client.connect(tcp, endpoint, SocketSetup.of(SocketType.PUSH, SocketOptions.defaults()));
        PeerPipes good = client.awaitAttached();
        client.await(TransportEvent.PeerReady.class);
        PeerPipes goodBound = server.awaitAttached();
        good.send(Msg.of("one"));
        assertThat(goodBound.receive()).isEqualTo(Msg.of("one"));

        try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), Endpoint.parse(endpoint).port())) {
            raw.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            raw.getOutputStream().flush();
            TransportEvent.Monitor failed = server.awaitMonitor(MonitorEventKind.HANDSHAKE_FAILED_PROTOCOL);
            assertThat(failed.peer()).isEqualTo("127.0.0.1:" + raw.getLocalPort());
            assertThat(server.awaitMonitor(MonitorEventKind.DISCONNECTED).peer())
                .isEqualTo("127.0.0.1:" + raw.getLocalPort());
            assertThatTheConnectionEnds(raw);
        }

        good.send(Msg.of("two"));
        assertThat(goodBound.receive()).isEqualTo(Msg.of("two"));
        assertThat(server.events()).filteredOn(e -> e instanceof TransportEvent.PipeAttached).hasSize(1);
        assertThat(server.events()).noneMatch(e -> e instanceof TransportEvent.PipeDetached);
    }

    @Test
    void aSilentPeerIsDroppedAfterTheHandshakeInterval() throws IOException {
        SocketHarness server = new SocketHarness(kit);
        server.bind(tcp, "tcp://127.0.0.1:0", SocketSetup.of(SocketType.PULL,
            SocketOptions.defaults().withHandshakeIvl(Duration.ofMillis(300))));
        int port = Endpoint.parse(server.await(TransportEvent.Bound.class).resolved()).port();

        try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), port)) {
            TransportEvent.Monitor failed = server.awaitMonitor(MonitorEventKind.HANDSHAKE_FAILED_NO_DETAIL);
            assertThat(failed.detail()).contains("handshake timed out");
            assertThatTheConnectionEnds(raw);
        }
        assertThat(server.events()).noneMatch(e -> e instanceof TransportEvent.PipeAttached);
    }

    @Test
    void aMessageOverMaxMsgSizeDropsTheConnectionAndTheSessionReconnects() {
        SocketHarness server = new SocketHarness(kit);
        server.bind(tcp, "tcp://127.0.0.1:0", SocketSetup.of(SocketType.PULL,
            SocketOptions.defaults().withMaxMsgSize(100)));
        String endpoint = server.await(TransportEvent.Bound.class).resolved();
        SocketHarness client = new SocketHarness(kit);
        client.connect(tcp, endpoint, SocketSetup.of(SocketType.PUSH,
            SocketOptions.defaults().withReconnectIvl(Duration.ofMillis(20))));
        PeerPipes out = client.awaitAttached();
        client.await(TransportEvent.PeerReady.class);
        PeerPipes in = server.awaitAttached();

        out.send(Msg.of(new byte[1000]));
        assertThat(server.await(TransportEvent.PipeDetached.class).id()).isEqualTo(in.id());
        client.await(TransportEvent.PeerLost.class);
        client.await(TransportEvent.PeerReady.class);
        out.send(Msg.of("small"));
        PeerPipes in2 = server.awaitAttached();
        assertThat(in2.receive()).isEqualTo(Msg.of("small"));
    }

    @Test
    void anIncompatibleSocketTypeFailsTheHandshakeAndNoPipeIsAttached() {
        SocketHarness server = new SocketHarness(kit);
        server.bind(tcp, "tcp://127.0.0.1:0", SocketSetup.of(SocketType.PUSH, SocketOptions.defaults()));
        String endpoint = server.await(TransportEvent.Bound.class).resolved();
        SocketHarness client = new SocketHarness(kit);
        client.connect(tcp, endpoint, SocketSetup.of(SocketType.PUSH, SocketOptions.defaults()));

        assertThat(server.awaitMonitor(MonitorEventKind.HANDSHAKE_FAILED_PROTOCOL).detail()).contains("PUSH");
        assertThat(client.awaitMonitor(MonitorEventKind.HANDSHAKE_FAILED_PROTOCOL).detail()).isNotEmpty();
        client.awaitMonitor(MonitorEventKind.CONNECT_RETRIED);
        assertThat(server.events()).noneMatch(e -> e instanceof TransportEvent.PipeAttached);
        assertThat(client.events()).noneMatch(e -> e instanceof TransportEvent.PeerReady);
    }

    @Test
    void anUnknownHostIsRetriedLikeARefusedConnection() {
        SocketHarness client = new SocketHarness(kit);
        client.connect(tcp, "tcp://no-such-host.invalid:5555", SocketSetup.of(SocketType.PUSH,
            SocketOptions.defaults().withReconnectIvl(Duration.ofMillis(20))));
        client.await(TransportEvent.PipeAttached.class);
        assertThat(client.awaitMonitor(MonitorEventKind.CONNECT_RETRIED).detail()).contains("connect failed");
    }

    private static void assertThatTheConnectionEnds(Socket raw) throws IOException {
        Awaits.closedByPeer(raw, SocketHarness.TIMEOUT);
    }
}
