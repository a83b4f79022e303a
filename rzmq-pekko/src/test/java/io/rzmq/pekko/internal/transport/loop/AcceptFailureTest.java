package io.rzmq.pekko.internal.transport.loop;

import io.rzmq.pekko.internal.transport.ByteStream;
import io.rzmq.pekko.internal.transport.StreamTransportContract;
import io.rzmq.pekko.internal.transport.StreamProbe;
import io.rzmq.pekko.internal.transport.StreamListener;
import io.rzmq.pekko.internal.transport.StreamOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import static io.rzmq.pekko.internal.transport.StreamProbe.DEADLINE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * accept() failing for real: this process's descriptor limit is lowered (prlimit) to what is open, a python
 * client connects, the listener reports onAcceptFailed and pauses (no spinning); once the limit is back
 * and the user resumes, the waiting connection is accepted.
 */
class AcceptFailureTest {
    private final IoLoops loops = IoLoops.start(1, "seam-accept-test-", "seam-accept-test-");
    private final LoopTransport transport = new LoopTransport(loops);

    @AfterEach
    void stop() {
        loops.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ipc"})
    void acceptFailingForWantOfDescriptorsIsReportedAndAcceptingResumesWhenAsked(String scheme) throws Exception {
        assumeTrue(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")
            && Files.isExecutable(Path.of("/usr/bin/prlimit")), "needs Linux and prlimit");
        long[] limits = openFileLimits();
        StreamTransportContract.Accepts accepts = new StreamTransportContract.Accepts();
        StreamListener l = transport.bind(StreamTransportContract.any(scheme), StreamOptions.defaults(), accepts);
        boolean ipc = scheme.equals("ipc");
        String address = ipc ? ((UnixDomainSocketAddress) l.boundAddress()).getPath().toString()
            : "127.0.0.1:" + ((InetSocketAddress) l.boundAddress()).getPort();
        long pid = ProcessHandle.current().pid();
        // Both helpers start before the limit drops: they need descriptors of ours for their pipes.
        Process client = new ProcessBuilder("/usr/bin/python3", "-c", String.join("\n",
            "import socket, sys",
            "sys.stdin.readline()",
            ipc ? "s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); s.connect(sys.argv[1])"
                : "h, p = sys.argv[1].rsplit(':', 1); s = socket.create_connection((h, int(p)))",
            "print('CONNECTED', flush=True)",
            "sys.stdin.read()"), address).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Process restorer = new ProcessBuilder("/bin/sh", "-c",
            "read line; exec /usr/bin/prlimit --pid " + pid + " --nofile=" + limits[0] + ":" + limits[1])
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader fromClient = new BufferedReader(new InputStreamReader(client.getInputStream(),
            StandardCharsets.UTF_8));
        OutputStream toClient = client.getOutputStream();
        OutputStream toRestorer = restorer.getOutputStream();
        boolean restored = false;
        try {
            lowerLimitToWhatIsOpen(pid);
            toClient.write("go\n".getBytes(StandardCharsets.UTF_8));
            toClient.flush();
            assertThat(fromClient.readLine()).isEqualTo("CONNECTED"); // waiting in our backlog

            String failure = accepts.failures.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(failure).as("onAcceptFailed").isNotNull().startsWith("accept:").contains("Too many open files");

            toRestorer.write("restore\n".getBytes(StandardCharsets.UTF_8));
            toRestorer.flush();
            assertThat(restorer.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            restored = restorer.exitValue() == 0;
            assertThat(restored).as("prlimit restored the limit").isTrue();
            assertThat(accepts.streams).as("paused: nothing accepted before resuming").isEmpty();
            assertThat(accepts.failures).as("paused: one failure reported, no spinning").isEmpty();

            l.resumeAccepting();
            ByteStream s = accepts.next();
            assertThat(s.peer().isIpc()).isEqualTo(ipc);
            StreamProbe.onLoop(s, s::abort);
        } finally {
            if (!restored) {
                toRestorer.write("restore\n".getBytes(StandardCharsets.UTF_8));
                toRestorer.flush();
                restorer.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            }
            client.destroyForcibly();
            client.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            l.close().toCompletableFuture().join();
        }
    }

    /** Soft and hard RLIMIT_NOFILE of this process. */
    private static long[] openFileLimits() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) {
                String[] w = line.substring("Max open files".length()).trim().split("\\s+");
                return new long[] {Long.parseLong(w[0]), Long.parseLong(w[1])};
            }
        }
        throw new AssertionError("no 'Max open files' in /proc/self/limits");
    }

    /** Soft limit := lowest free descriptor number, so the next open fails with EMFILE (checked, retried). */
    private static void lowerLimitToWhatIsOpen(long pid) throws Exception {
        for (int attempt = 0; attempt < 5; attempt++) {
            int fd = 0;
            while (Files.exists(Path.of("/proc/self/fd/" + fd), LinkOption.NOFOLLOW_LINKS)) {
                fd++;
            }
            Process p = new ProcessBuilder("/usr/bin/prlimit", "--pid", Long.toString(pid),
                "--nofile=" + fd + ":" + openFileLimits()[1])
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            assertThat(p.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
            try (FileInputStream probe = new FileInputStream("/dev/null")) {
                probe.getFD(); // a descriptor was freed meanwhile: again
            } catch (IOException e) {
                return;
            }
        }
        throw new AssertionError("could not run this process out of descriptors");
    }
}
