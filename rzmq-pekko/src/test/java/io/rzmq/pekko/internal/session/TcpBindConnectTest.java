package io.rzmq.pekko.internal.session;

import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.pekko.model.MonitorEventKind;
import io.rzmq.pekko.testing.SocketHarness;
import io.rzmq.pekko.model.Endpoint;
import io.rzmq.pekko.internal.engine.SocketSetup;
import io.rzmq.pekko.internal.transport.TransportEvent;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Binding, listening, closing and connect retries: what works without a peer that speaks ZMTP. */
class TcpBindConnectTest {
    private static final ActorTestKit kit = ActorTestKit.create();
    private static final TcpTransport tcp = new TcpTransport();

    @AfterAll
    static void shutdown() {
        kit.shutdownTestKit();
    }

    private static SocketSetup setup(SocketType type) {
        return SocketSetup.of(type, SocketOptions.defaults());
    }

    @Test
    void bindToPortZeroReportsTheRealPortAndAcceptsConnections() throws IOException {
        SocketHarness socket = new SocketHarness(kit);
        socket.bind(tcp, "tcp://127.0.0.1:0", setup(SocketType.PULL));

        TransportEvent.Bound bound = socket.await(TransportEvent.Bound.class);
        assertThat(bound.requested()).isEqualTo("tcp://127.0.0.1:0");
        Endpoint resolved = Endpoint.parse(bound.resolved());
        assertThat(resolved.host()).isEqualTo("127.0.0.1");
        assertThat(resolved.port()).isPositive();
        assertThat(socket.awaitMonitor(MonitorEventKind.LISTENING).endpoint()).isEqualTo(bound.resolved());

        try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), resolved.port())) {
            assertThat(socket.awaitMonitor(MonitorEventKind.ACCEPTED).peer())
                .isEqualTo("127.0.0.1:" + raw.getLocalPort());
        }
    }

    @Test
    void wildcardHostAndPortBindEveryInterfaceOnAFreePort() throws IOException {
        SocketHarness socket = new SocketHarness(kit);
        socket.bind(tcp, "tcp://*:*", setup(SocketType.PULL));

        TransportEvent.Bound bound = socket.await(TransportEvent.Bound.class);
        Endpoint resolved = Endpoint.parse(bound.resolved());
        assertThat(resolved.host()).isEqualTo("0.0.0.0");
        assertThat(resolved.port()).isPositive();
        try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), resolved.port())) {
            socket.awaitMonitor(MonitorEventKind.ACCEPTED);
        }
    }

    @Test
    void bindOnAPortInUseFailsWithAReason() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            SocketHarness socket = new SocketHarness(kit);
            String endpoint = "tcp://127.0.0.1:" + taken.getLocalPort();
            ActorRef<TransportCommand> listener = socket.bind(tcp, endpoint, setup(SocketType.PULL));

            TransportEvent.BindFailed failed = socket.await(TransportEvent.BindFailed.class);
            assertThat(failed.requested()).isEqualTo(endpoint);
            assertThat(failed.reason()).contains(endpoint).containsIgnoringCase("in use");
            socket.awaitMonitor(MonitorEventKind.BIND_FAILED);
            TestProbe<Object> probe = kit.createTestProbe();
            probe.expectTerminated(listener, SocketHarness.TIMEOUT);
        }
    }

    @Test
    void bindToAnUnknownHostFails() {
        SocketHarness socket = new SocketHarness(kit);
        socket.bind(tcp, "tcp://no-such-host.invalid:5555", setup(SocketType.PULL));
        TransportEvent.BindFailed failed = socket.await(TransportEvent.BindFailed.class);
        assertThat(failed.reason()).contains("no-such-host.invalid");
    }

    @Test
    void closingAListenerReleasesThePortAndReportsClosed() throws IOException {
        SocketHarness socket = new SocketHarness(kit);
        ActorRef<TransportCommand> listener = socket.bind(tcp, "tcp://127.0.0.1:*", setup(SocketType.PULL));
        int port = Endpoint.parse(socket.await(TransportEvent.Bound.class).resolved()).port();

        listener.tell(new TransportCommand.Close(Duration.ofSeconds(1)));
        socket.awaitMonitor(MonitorEventKind.CLOSED);
        kit.createTestProbe().expectTerminated(listener, SocketHarness.TIMEOUT);
        try (ServerSocket again = new ServerSocket()) {
            again.setReuseAddress(true);
            again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void aSessionAttachesItsPipesAtOnceAndRetriesWhileNobodyListens() throws IOException {
        int port = freePort();
        SocketHarness socket = new SocketHarness(kit);
        SocketSetup setup = SocketSetup.of(SocketType.PUSH, SocketOptions.defaults()
            .withReconnectIvl(Duration.ofMillis(10)).withReconnectIvlMax(Duration.ofMillis(40)));
        ActorRef<TransportCommand> session = socket.connect(tcp, "tcp://127.0.0.1:" + port, setup);

        TransportEvent.PipeAttached attached = socket.await(TransportEvent.PipeAttached.class);
        assertThat(attached.peer()).isNull();
        assertThat(attached.endpoint()).isEqualTo("tcp://127.0.0.1:" + port);
        assertThat(attached.toPeer().hwm()).isEqualTo(1000);
        // Messages may be queued while nothing is connected.
        assertThat(attached.toPeer().offer(Msg.of("queued"))).isTrue();
        for (int i = 0; i < 4; i++) {
            socket.awaitMonitor(MonitorEventKind.CONNECT_RETRIED);
        }

        session.tell(new TransportCommand.Close(Duration.ZERO));
        assertThat(socket.await(TransportEvent.PipeDetached.class).id()).isEqualTo(attached.id());
        kit.createTestProbe().expectTerminated(session, SocketHarness.TIMEOUT);
        assertThat(attached.toPeer().isReaderClosed()).isTrue();
        assertThat(socket.events()).noneMatch(e -> e instanceof TransportEvent.PeerReady);
    }

    @Test
    void closingAnIdleUnconnectedSessionStopsAtOnceEvenWithInfiniteLinger() {
        SocketHarness socket = new SocketHarness(kit);
        ActorRef<TransportCommand> session = socket.connect(tcp, "tcp://127.0.0.1:" + freePort(),
            setup(SocketType.PUSH));
        socket.await(TransportEvent.PipeAttached.class);
        session.tell(new TransportCommand.Close(Duration.ofMillis(-1)));
        socket.await(TransportEvent.PipeDetached.class);
        kit.createTestProbe().expectTerminated(session, SocketHarness.TIMEOUT);
    }

    @Test
    void closingAnUnconnectedSessionWithQueuedMessagesGivesUpWhenLingerRunsOut() {
        SocketHarness socket = new SocketHarness(kit);
        ActorRef<TransportCommand> session = socket.connect(tcp, "tcp://127.0.0.1:" + freePort(),
            SocketSetup.of(SocketType.PUSH, SocketOptions.defaults().withReconnectIvl(Duration.ofMillis(20))));
        TransportEvent.PipeAttached attached = socket.await(TransportEvent.PipeAttached.class);
        assertThat(attached.toPeer().offer(Msg.of("never delivered"))).isTrue();
        session.tell(new TransportCommand.Close(Duration.ofMillis(300)));
        socket.await(TransportEvent.PipeDetached.class);
        kit.createTestProbe().expectTerminated(session, SocketHarness.TIMEOUT);
    }

    /**
     * LINGER runs out while an attempt is under way (here always: the peer's kernel accepts, the peer never
     * speaks, so each attempt waits in its handshake). The session must stop then, not start another
     * attempt that waits for the LINGER timer that already fired (it used to, for ever).
     */
    @Test
    void lingerRunningOutDuringAnAttemptStopsTheSession() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            SocketHarness socket = new SocketHarness(kit);
            ActorRef<TransportCommand> session = socket.connect(tcp, "tcp://127.0.0.1:" + silent.getLocalPort(),
                SocketSetup.of(SocketType.PUSH, SocketOptions.defaults().withReconnectIvl(Duration.ofMillis(20))));
            TransportEvent.PipeAttached attached = socket.await(TransportEvent.PipeAttached.class);
            assertThat(socket.awaitMonitor(MonitorEventKind.CONNECTED)).isNotNull();
            assertThat(attached.toPeer().offer(Msg.of("never delivered"))).isTrue();
            session.tell(new TransportCommand.Close(Duration.ofMillis(300)));
            socket.await(TransportEvent.PipeDetached.class);
            kit.createTestProbe().expectTerminated(session, SocketHarness.TIMEOUT);
        }
    }

    @Test
    void connectingToAWildcardIsRefused() {
        SocketHarness socket = new SocketHarness(kit);
        assertThatThrownBy(() -> socket.connect(tcp, "tcp://*:5555", setup(SocketType.PUSH)))
            .hasRootCauseInstanceOf(IllegalArgumentException.class);
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
