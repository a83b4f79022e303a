package io.rzmq.pekko.api;

import io.rzmq.pekko.model.MonitorEvent;

import io.rzmq.pekko.Rzmq;
import io.rzmq.pekko.model.RzmqException;
import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.pekko.model.MonitorEventKind;
import io.rzmq.testkit.PyPeer;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static io.rzmq.pekko.api.Await.failure;
import static io.rzmq.pekko.api.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/** ZSocket.monitor: the libzmq lifecycle events, with endpoint and peer address, to an actor. */
class MonitorTest {
    static final ActorTestKit testKit = ActorTestKit.create();

    ZContext ctx;

    @BeforeEach
    void newContext() {
        ctx = Rzmq.get(testKit.system()).newContext("monitor");
    }

    @AfterEach
    void closeContext() {
        result(ctx.close(Duration.ZERO));
    }

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    private static TestProbe<MonitorEvent> monitored(ZSocket socket) {
        TestProbe<MonitorEvent> probe = testKit.createTestProbe(MonitorEvent.class);
        result(socket.monitor(probe.getRef()));
        return probe;
    }

    /** The next event of {@code kind} (others before it are skipped), within the deadline. */
    private static MonitorEvent await(TestProbe<MonitorEvent> probe, MonitorEventKind kind) {
        List<MonitorEvent> seen = probe.fishForMessage(Await.DEADLINE, "a " + kind + " event",
            e -> e.kind() == kind ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
        return seen.get(seen.size() - 1);
    }

    private static int port(String endpoint) {
        return URI.create(endpoint).getPort();
    }

    @Test
    void connectAndAcceptReportEndpointsAndPeerAddresses() {
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL);
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH);
        TestProbe<MonitorEvent> server = monitored(pull);
        TestProbe<MonitorEvent> client = monitored(push);

        String endpoint = result(pull.bind("tcp://127.0.0.1:*"));
        MonitorEvent listening = await(server, MonitorEventKind.LISTENING);
        assertThat(listening.endpoint()).isEqualTo(endpoint);
        assertThat(listening.peerAddress()).isNull();

        result(push.connect(endpoint));
        String serverAddress = "127.0.0.1:" + port(endpoint);
        MonitorEvent delayed = await(client, MonitorEventKind.CONNECT_DELAYED);
        assertThat(delayed.endpoint()).isEqualTo(endpoint);
        assertThat(delayed.peerAddress()).isEqualTo(serverAddress);
        MonitorEvent connected = await(client, MonitorEventKind.CONNECTED);
        assertThat(connected.endpoint()).isEqualTo(endpoint);
        assertThat(connected.peerAddress()).isEqualTo(serverAddress);
        MonitorEvent clientReady = await(client, MonitorEventKind.HANDSHAKE_SUCCEEDED);
        assertThat(clientReady.peerAddress()).isEqualTo(serverAddress);
        assertThat(clientReady.detail()).contains("PULL");

        MonitorEvent accepted = await(server, MonitorEventKind.ACCEPTED);
        assertThat(accepted.endpoint()).isEqualTo(endpoint);
        assertThat(accepted.peerAddress()).startsWith("127.0.0.1:").isNotEqualTo(serverAddress);
        MonitorEvent serverReady = await(server, MonitorEventKind.HANDSHAKE_SUCCEEDED);
        assertThat(serverReady.peerAddress()).isEqualTo(accepted.peerAddress());
        assertThat(serverReady.timestamp()).isAfterOrEqualTo(accepted.timestamp());

        result(push.send(Msg.of("hello")));
        assertThat(result(pull.receive())).isEqualTo(Msg.of("hello"));
    }

    @Test
    void aConnectToAClosedPortIsRetriedWithTheIntervalInTheEvent() {
        ZSocket probe = ZSocket.create(ctx, SocketType.PULL);
        String endpoint = result(probe.bind("tcp://127.0.0.1:*"));
        result(probe.close());

        ZSocket push = ZSocket.create(ctx, SocketType.PUSH,
            ctx.defaultOptions().withReconnectIvl(Duration.ofMillis(40)));
        TestProbe<MonitorEvent> client = monitored(push);
        result(push.connect(endpoint));
        MonitorEvent retried = await(client, MonitorEventKind.CONNECT_RETRIED);
        assertThat(retried.endpoint()).isEqualTo(endpoint);
        assertThat(retried.peerAddress()).isEqualTo("127.0.0.1:" + port(endpoint));
        assertThat(retried.value()).isEqualTo(40);
        assertThat(retried.detail()).contains("connect failed").contains("retrying in 40 ms");
        // It keeps trying: a second attempt is announced and fails again.
        await(client, MonitorEventKind.CONNECT_DELAYED);
        await(client, MonitorEventKind.CONNECT_RETRIED);
    }

    @Test
    void incompatibleSocketTypesFailTheHandshakeOnBothSides() {
        ZSocket pub = ZSocket.create(ctx, SocketType.PUB);
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH);
        TestProbe<MonitorEvent> server = monitored(pub);
        TestProbe<MonitorEvent> client = monitored(push);
        String endpoint = result(pub.bind("tcp://127.0.0.1:*"));
        result(push.connect(endpoint));

        MonitorEvent serverSide = await(server, MonitorEventKind.HANDSHAKE_FAILED_PROTOCOL);
        assertThat(serverSide.endpoint()).isEqualTo(endpoint);
        assertThat(serverSide.peerAddress()).startsWith("127.0.0.1:");
        assertThat(serverSide.detail()).contains("PUSH");
        MonitorEvent clientSide = await(client, MonitorEventKind.HANDSHAKE_FAILED_PROTOCOL);
        assertThat(clientSide.peerAddress()).isEqualTo("127.0.0.1:" + port(endpoint));
        assertThat(clientSide.detail()).isNotEmpty();
    }

    @Test
    void garbageFromAPeerIsAProtocolFailureWithItsAddress() throws Exception {
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL);
        TestProbe<MonitorEvent> server = monitored(pull);
        String endpoint = result(pull.bind("tcp://127.0.0.1:*"));
        try (Socket raw = new Socket()) {
            raw.connect(new InetSocketAddress("127.0.0.1", port(endpoint)), 10_000);
            String rawAddress = "127.0.0.1:" + raw.getLocalPort();
            OutputStream out = raw.getOutputStream();
            // A valid signature start would be 0xFF; an HTTP request is not ZMTP.
            out.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".repeat(4).getBytes(StandardCharsets.US_ASCII));
            out.flush();

            assertThat(await(server, MonitorEventKind.ACCEPTED).peerAddress()).isEqualTo(rawAddress);
            MonitorEvent failed = await(server, MonitorEventKind.HANDSHAKE_FAILED_PROTOCOL);
            assertThat(failed.peerAddress()).isEqualTo(rawAddress);
            assertThat(failed.endpoint()).isEqualTo(endpoint);
            assertThat(failed.detail()).isNotEmpty();
            assertThat(await(server, MonitorEventKind.DISCONNECTED).peerAddress()).isEqualTo(rawAddress);
        }
    }

    @Test
    void aPeerThatGoesAwayIsReportedDisconnected() {
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL);
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH, ctx.defaultOptions().withLinger(Duration.ZERO));
        TestProbe<MonitorEvent> server = monitored(pull);
        TestProbe<MonitorEvent> client = monitored(push);
        String endpoint = result(pull.bind("tcp://127.0.0.1:*"));
        result(push.connect(endpoint));
        MonitorEvent ready = await(server, MonitorEventKind.HANDSHAKE_SUCCEEDED);

        result(pull.unbind(endpoint));
        // The connecting side sees its peer go and starts retrying.
        MonitorEvent lost = await(client, MonitorEventKind.DISCONNECTED);
        assertThat(lost.endpoint()).isEqualTo(endpoint);
        assertThat(lost.peerAddress()).isEqualTo("127.0.0.1:" + port(endpoint));
        await(client, MonitorEventKind.CONNECT_RETRIED);
        MonitorEvent closed = await(server, MonitorEventKind.CLOSED);
        assertThat(closed.endpoint()).isEqualTo(endpoint);

        ZSocket pull2 = ZSocket.create(ctx, SocketType.PULL);
        TestProbe<MonitorEvent> server2 = monitored(pull2);
        String endpoint2 = result(pull2.bind("tcp://127.0.0.1:*"));
        ZSocket push2 = ZSocket.create(ctx, SocketType.PUSH, ctx.defaultOptions().withLinger(Duration.ZERO));
        result(push2.connect(endpoint2));
        String clientAddress = await(server2, MonitorEventKind.HANDSHAKE_SUCCEEDED).peerAddress();
        result(push2.close());
        // The accepting side sees the connecting peer close.
        MonitorEvent gone = await(server2, MonitorEventKind.DISCONNECTED);
        assertThat(gone.peerAddress()).isEqualTo(clientAddress);
        assertThat(gone.endpoint()).isEqualTo(endpoint2);
        assertThat(ready.peerAddress()).startsWith("127.0.0.1:");
    }

    @Test
    void stoppingAMonitorSendsMonitorStoppedAndNothingAfter() {
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL);
        TestProbe<MonitorEvent> probe = monitored(pull);
        TestProbe<MonitorEvent> other = monitored(pull);
        result(pull.stopMonitor(probe.getRef()));
        assertThat(probe.receiveMessage(Await.DEADLINE).kind()).isEqualTo(MonitorEventKind.MONITOR_STOPPED);

        String endpoint = result(pull.bind("tcp://127.0.0.1:*"));
        // The other monitor still gets events; the stopped one got none after MONITOR_STOPPED.
        assertThat(await(other, MonitorEventKind.LISTENING).endpoint()).isEqualTo(endpoint);
        result(pull.status());
        probe.expectNoMessage(Duration.ZERO);
        assertThat(failure(pull.stopMonitor(probe.getRef())).code()).isEqualTo(RzmqException.Code.ENOENT);
    }

    @Test
    void closingTheSocketStopsEveryMonitorAfterItsListenersClosed() {
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL);
        TestProbe<MonitorEvent> probe = monitored(pull);
        String endpoint = result(pull.bind("tcp://127.0.0.1:*"));
        await(probe, MonitorEventKind.LISTENING);
        result(pull.close());
        assertThat(await(probe, MonitorEventKind.CLOSED).endpoint()).isEqualTo(endpoint);
        await(probe, MonitorEventKind.MONITOR_STOPPED);
        assertThat(failure(pull.monitor(probe.getRef())).code()).isEqualTo(RzmqException.Code.ETERM);
    }

    @Test
    void aBindThatFailsIsReported() {
        ZSocket first = ZSocket.create(ctx, SocketType.PULL);
        String endpoint = result(first.bind("tcp://127.0.0.1:*"));
        ZSocket second = ZSocket.create(ctx, SocketType.PULL);
        TestProbe<MonitorEvent> probe = monitored(second);
        assertThat(failure(second.bind(endpoint)).code()).isEqualTo(RzmqException.Code.EADDRINUSE);
        MonitorEvent failed = await(probe, MonitorEventKind.BIND_FAILED);
        assertThat(failed.endpoint()).isEqualTo(endpoint);
        assertThat(failed.detail()).isNotEmpty();
    }

    @Test
    void ipcConnectionsReportTheirEventsToo() {
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL);
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH);
        TestProbe<MonitorEvent> server = monitored(pull);
        TestProbe<MonitorEvent> client = monitored(push);
        String endpoint = result(pull.bind("ipc://*"));
        assertThat(await(server, MonitorEventKind.LISTENING).endpoint()).isEqualTo(endpoint);
        result(push.connect(endpoint));
        MonitorEvent connected = await(client, MonitorEventKind.CONNECTED);
        assertThat(connected.endpoint()).isEqualTo(endpoint);
        assertThat(connected.peerAddress()).isNotEmpty();
        await(client, MonitorEventKind.HANDSHAKE_SUCCEEDED);
        assertThat(await(server, MonitorEventKind.ACCEPTED).endpoint()).isEqualTo(endpoint);
        await(server, MonitorEventKind.HANDSHAKE_SUCCEEDED);
        result(push.close());
        assertThat(await(server, MonitorEventKind.DISCONNECTED).endpoint()).isEqualTo(endpoint);
    }

    @Test
    void libzmqPeersShowUpWithTheirAddresses() {
        Assumptions.assumeTrue(PyPeer.available(), "pyzmq not available");
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH, SocketOptions.defaults().withLinger(Duration.ZERO));
        TestProbe<MonitorEvent> client = monitored(push);
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL);
        TestProbe<MonitorEvent> server = monitored(pull);
        String ours = result(pull.bind("tcp://127.0.0.1:*"));
        try (PyPeer libzmqPull = PyPeer.start("pull", "bind", "tcp://127.0.0.1:*", "1");
             PyPeer libzmqPush = PyPeer.start("push", "connect", ours, "1")) {
            String theirs = libzmqPull.awaitReady();
            result(push.connect(theirs));
            MonitorEvent connected = await(client, MonitorEventKind.CONNECTED);
            assertThat(connected.peerAddress()).isEqualTo("127.0.0.1:" + port(theirs));
            MonitorEvent ready = await(client, MonitorEventKind.HANDSHAKE_SUCCEEDED);
            assertThat(ready.peerAddress()).isEqualTo("127.0.0.1:" + port(theirs));
            assertThat(ready.detail()).contains("PULL");
            result(push.send(Msg.of("to-libzmq")));
            libzmqPull.awaitLine("DONE 1");

            libzmqPush.awaitReady();
            MonitorEvent accepted = await(server, MonitorEventKind.ACCEPTED);
            assertThat(accepted.endpoint()).isEqualTo(ours);
            assertThat(accepted.peerAddress()).startsWith("127.0.0.1:");
            assertThat(await(server, MonitorEventKind.HANDSHAKE_SUCCEEDED).peerAddress()).isEqualTo(accepted.peerAddress());
            assertThat(result(pull.receive())).isNotNull();
            libzmqPush.closeInput();
            assertThat(await(server, MonitorEventKind.DISCONNECTED).peerAddress()).isEqualTo(accepted.peerAddress());
        }
    }
}
