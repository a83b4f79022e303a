package io.rzmq.pekko.api;

import io.rzmq.testkit.DescriptorLimit;
import io.rzmq.pekko.model.MonitorEvent;

import io.rzmq.pekko.Rzmq;
import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.pekko.model.MonitorEventKind;
import io.rzmq.protocol.SocketType;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import static io.rzmq.pekko.api.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * ACCEPT_FAILED, triggered for real. tcp: tuning an accepted socket fails (a TCP_KEEPALIVE_IDLE above
 * Linux's limit of 32767 s is refused by the kernel), the connection is dropped and reported, the listener
 * goes on. ipc and tcp (rzmq's own channels): accept() itself fails because the process is out of file
 * descriptors (its limit lowered with prlimit for a moment), and accepting resumes once descriptors are
 * available again.
 */
class AcceptFailedTest {
    static final ActorTestKit testKit = ActorTestKit.create();
    /** Linux refuses TCP_KEEPIDLE above 32767 seconds (MAX_TCP_KEEPIDLE). */
    private static final int IDLE_ABOVE_LINUX_MAX = 40_000;

    ZContext ctx;

    @BeforeEach
    void newContext() {
        ctx = Rzmq.get(testKit.system()).newContext("accept-failed");
    }

    @AfterEach
    void closeContext() {
        result(ctx.close(Duration.ZERO));
    }

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    private static boolean linux() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
    }

    private static TestProbe<MonitorEvent> monitored(ZSocket socket) {
        TestProbe<MonitorEvent> probe = testKit.createTestProbe(MonitorEvent.class);
        result(socket.monitor(probe.getRef()));
        return probe;
    }

    /** The next event of one of {@code kinds} (others are skipped), within the deadline. */
    private static MonitorEvent await(TestProbe<MonitorEvent> probe, MonitorEventKind... kinds) {
        List<MonitorEventKind> wanted = List.of(kinds);
        List<MonitorEvent> seen = probe.fishForMessage(Await.DEADLINE, "one of " + wanted,
            e -> wanted.contains(e.kind()) ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
        return seen.get(seen.size() - 1);
    }

    private static SocketOptions badKeepalive() {
        return SocketOptions.defaults().withLinger(Duration.ZERO).withTcpKeepalive(1)
            .withTcpKeepaliveIdle(IDLE_ABOVE_LINUX_MAX);
    }

    /** Reads from a raw connection until the peer closes it (a timeout fails the test). */
    private static void awaitDropped(Socket s) throws IOException {
        s.setSoTimeout((int) Await.DEADLINE.toMillis());
        InputStream in = s.getInputStream();
        try {
            while (in.read() >= 0) {
                // rzmq never got to send its greeting: nothing to read but the end
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the connection was not dropped within " + Await.DEADLINE);
        } catch (IOException e) {
            // reset by the peer: dropped too
        }
    }

    @Test
    void tcpConnectionsWhoseTuningFailsAreReportedAndDroppedWhileTheListenerGoesOn() throws IOException {
        assumeTrue(linux(), "the kernel limit on TCP_KEEPIDLE used as the trigger is Linux's");
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL, badKeepalive());
        TestProbe<MonitorEvent> events = monitored(pull);
        String endpoint = result(pull.bind("tcp://127.0.0.1:*"));
        int port = URI.create(endpoint).getPort();

        for (int i = 0; i < 2; i++) {
            try (Socket raw = new Socket()) {
                raw.bind(new InetSocketAddress("127.0.0.1", 0)); // our port is known even if connect fails
                int clientPort = raw.getLocalPort();
                boolean connected = true;
                try {
                    raw.connect(new InetSocketAddress("127.0.0.1", port));
                } catch (SocketException e) {
                    connected = false; // the listener's abort (RST) can overtake the end of the connect
                }
                MonitorEvent e = await(events, MonitorEventKind.ACCEPT_FAILED, MonitorEventKind.ACCEPTED);
                assertThat(e.kind()).isEqualTo(MonitorEventKind.ACCEPT_FAILED);
                assertThat(e.endpoint()).isEqualTo(endpoint);
                assertThat(e.peerAddress()).isEqualTo("127.0.0.1:" + clientPort);
                assertThat(e.detail()).contains("TCP_KEEPIDLE");
                if (connected) {
                    awaitDropped(raw);
                }
            }
        }
        assertThat(result(pull.status()).pipes()).isZero();
    }

    @Test
    void aConnectWhoseTuningFailsIsRetriedWithTheReason() {
        assumeTrue(linux(), "the kernel limit on TCP_KEEPIDLE used as the trigger is Linux's");
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL);
        String endpoint = result(pull.bind("tcp://127.0.0.1:*"));
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH, badKeepalive());
        TestProbe<MonitorEvent> events = monitored(push);
        result(push.connect(endpoint));
        MonitorEvent e = await(events, MonitorEventKind.CONNECT_RETRIED, MonitorEventKind.HANDSHAKE_SUCCEEDED);
        assertThat(e.kind()).isEqualTo(MonitorEventKind.CONNECT_RETRIED);
        assertThat(e.detail()).contains("TCP_KEEPIDLE");
    }

    // ------------------------------------------------------------------ out of file descriptors

    @Test
    void ipcAcceptFailingForWantOfDescriptorsIsReportedAndAcceptingResumes() throws Exception {
        acceptFailingForWantOfDescriptorsIsReportedAndAcceptingResumes("ipc://*");
    }

    @Test
    void tcpAcceptFailingForWantOfDescriptorsIsReportedAndAcceptingResumes() throws Exception {
        // rzmq's own tcp channels (the default) see accept() fail; Pekko IO's would only log it.
        acceptFailingForWantOfDescriptorsIsReportedAndAcceptingResumes("tcp://127.0.0.1:*");
    }

    private void acceptFailingForWantOfDescriptorsIsReportedAndAcceptingResumes(String bindTo) throws Exception {
        assumeTrue(linux() && DescriptorLimit.available(),
            "needs Linux and prlimit to lower this process's descriptor limit");
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL, SocketOptions.defaults().withLinger(Duration.ZERO));
        TestProbe<MonitorEvent> events = monitored(pull);
        String endpoint = result(pull.bind(bindTo));
        boolean ipc = endpoint.startsWith("ipc://");
        String address = ipc ? endpoint.substring("ipc://".length()) : endpoint.substring("tcp://".length());

        // The client and the restorer start before the limit drops: they need descriptors of ours.
        try (DescriptorLimit limit = DescriptorLimit.prepare(address, ipc)) {
            limit.lowerToWhatIsOpen();
            limit.connectClient(); // pending in the backlog

            MonitorEvent failed = await(events, MonitorEventKind.ACCEPT_FAILED, MonitorEventKind.ACCEPTED);
            assertThat(failed.kind()).isEqualTo(MonitorEventKind.ACCEPT_FAILED);
            assertThat(failed.endpoint()).isEqualTo(endpoint);
            assertThat(failed.detail()).containsIgnoringCase("accept failed");

            assertThat(limit.restore()).as("prlimit restored the limit").isTrue();

            // The pending connection is accepted once accepting resumes.
            assertThat(await(events, MonitorEventKind.ACCEPTED).endpoint()).isEqualTo(endpoint);
        }
    }
}
