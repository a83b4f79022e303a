package io.rzmq.pekko.api;

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
        assumeTrue(linux() && Files.isExecutable(Path.of("/usr/bin/prlimit")),
            "needs Linux and prlimit to lower this process's descriptor limit");
        long[] limits = openFileLimits();
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL, SocketOptions.defaults().withLinger(Duration.ZERO));
        TestProbe<MonitorEvent> events = monitored(pull);
        String endpoint = result(pull.bind(bindTo));
        boolean ipc = endpoint.startsWith("ipc://");
        String address = ipc ? endpoint.substring("ipc://".length()) : endpoint.substring("tcp://".length());
        long pid = ProcessHandle.current().pid();

        // Everything that needs a descriptor in this process is started before the limit drops: the client
        // (another process, connecting when told) and the process that will restore the limit.
        Process client = new ProcessBuilder("/usr/bin/python3", "-c",
            "import socket, sys\n"
                + "sys.stdin.readline()\n"
                + (ipc ? "s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)\ns.connect(sys.argv[1])\n"
                    : "s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)\n"
                        + "h, p = sys.argv[1].rsplit(':', 1)\ns.connect((h, int(p)))\n")
                + "print('CONNECTED', flush=True)\n"
                + "sys.stdin.read()\n", address)
            .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Process restorer = new ProcessBuilder("/bin/sh", "-c",
            "read line; exec /usr/bin/prlimit --pid " + pid + " --nofile=" + limits[0] + ":" + limits[1])
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        OutputStream toClient = client.getOutputStream();
        BufferedReader fromClient = new BufferedReader(new InputStreamReader(client.getInputStream(),
            StandardCharsets.UTF_8));
        OutputStream toRestorer = restorer.getOutputStream();
        boolean restored = false;
        try {
            lowerLimitToOpenDescriptors(pid);
            toClient.write("go\n".getBytes(StandardCharsets.UTF_8));
            toClient.flush();
            assertThat(fromClient.readLine()).isEqualTo("CONNECTED"); // pending in the backlog

            MonitorEvent failed = await(events, MonitorEventKind.ACCEPT_FAILED, MonitorEventKind.ACCEPTED);
            assertThat(failed.kind()).isEqualTo(MonitorEventKind.ACCEPT_FAILED);
            assertThat(failed.endpoint()).isEqualTo(endpoint);
            assertThat(failed.detail()).containsIgnoringCase("accept failed");

            toRestorer.write("restore\n".getBytes(StandardCharsets.UTF_8));
            toRestorer.flush();
            assertThat(restorer.waitFor(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            restored = restorer.exitValue() == 0;
            assertThat(restored).as("prlimit restored the limit").isTrue();

            // The pending connection is accepted once accepting resumes.
            assertThat(await(events, MonitorEventKind.ACCEPTED).endpoint()).isEqualTo(endpoint);
        } finally {
            if (!restored) {
                toRestorer.write("restore\n".getBytes(StandardCharsets.UTF_8));
                toRestorer.flush();
                restorer.waitFor(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            }
            client.destroyForcibly();
            client.waitFor(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** This process's soft and hard RLIMIT_NOFILE. */
    private static long[] openFileLimits() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) {
                String[] w = line.substring("Max open files".length()).trim().split("\\s+");
                return new long[] {Long.parseLong(w[0]), Long.parseLong(w[1])};
            }
        }
        throw new AssertionError("no 'Max open files' in /proc/self/limits");
    }

    /**
     * Sets the soft descriptor limit to the lowest free descriptor number: every number below it is in use,
     * so opening anything fails with EMFILE. Checked by opening a file; retried if a descriptor was closed
     * meanwhile.
     */
    private static void lowerLimitToOpenDescriptors(long pid) throws Exception {
        for (int attempt = 0; attempt < 5; attempt++) {
            int lowestFree = lowestFreeDescriptor();
            Process p = new ProcessBuilder("/usr/bin/prlimit", "--pid", Long.toString(pid),
                "--nofile=" + lowestFree + ":" + openFileLimits()[1])
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            assertThat(p.waitFor(Await.DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            assertThat(p.exitValue()).as("prlimit exit code").isZero();
            try (FileInputStream probe = new FileInputStream("/dev/null")) {
                // a descriptor was free after all (one was closed meanwhile): lower again
                probe.getFD();
            } catch (IOException e) {
                assertThat(e.getMessage()).contains("Too many open files");
                return;
            }
        }
        throw new AssertionError("could not make this process run out of descriptors");
    }

    /** The lowest descriptor number not in use, found with stat calls only (listing would open one). */
    private static int lowestFreeDescriptor() {
        int fd = 0;
        while (Files.exists(Path.of("/proc/self/fd/" + fd), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            fd++;
        }
        return fd;
    }
}
