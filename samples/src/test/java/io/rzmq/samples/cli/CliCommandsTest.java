package io.rzmq.samples.cli;

import io.rzmq.protocol.security.CurveKeyPair;
import io.rzmq.testkit.PyPeer;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** keygen, monitor and proxy, and the zmq tool's handshake errors, against libzmq (pyzmq) where there is a wire. */
class CliCommandsTest {
    static ActorSystem<Void> system;

    @BeforeAll
    static void start() {
        system = ActorSystem.create(Behaviors.empty(), "cli-commands-test");
    }

    @AfterAll
    static void stop() throws Exception {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    record Run(int exitCode, String out, String err) {
        List<String> lines() {
            return out.isEmpty() ? List.of() : Arrays.asList(out.split("\\R"));
        }
    }

    private static Run run(CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static void assumePyzmq() {
        Assumptions.assumeTrue(PyPeer.available(), "python3 with pyzmq is not installed");
    }

    private static String hex(String s) {
        return HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8));
    }

    // ------------------------------------------------------------------ keygen

    /** pyzmq's zmq.auth.load_certificate(path): "PUBLIC SECRET" (SECRET is None for a public certificate). */
    private static String pyzmqLoad(Path cert) throws Exception {
        Process p = new ProcessBuilder("/usr/bin/python3", "-c",
            "import sys, zmq.auth\n"
                + "pub, sec = zmq.auth.load_certificate(sys.argv[1])\n"
                + "print(pub.decode(), sec.decode() if sec else None)", cert.toString())
            .redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.exitValue()).as(output).isZero();
        return output;
    }

    @Test
    void keygenWritesZcertFilesThatPyzmqLoads(@TempDir Path dir) throws Exception {
        assumePyzmq();
        Path cert = dir.resolve("server");
        Run r = run(KeygenCommand.commandLine(new KeygenCommand()), cert.toString(), "--meta", "name=server one");
        assertThat(r.exitCode()).as(r.err()).isZero();
        String publicKey = r.lines().get(0).substring("public-key = ".length());

        String secretLoaded = pyzmqLoad(dir.resolve("server_secret"));
        String[] keys = secretLoaded.split(" ");
        assertThat(keys[0]).isEqualTo(publicKey);
        assertThat(CurveKeyPair.fromSecretKey(keys[1]).publicKeyZ85()).isEqualTo(publicKey);
        assertThat(pyzmqLoad(cert)).isEqualTo(publicKey + " None");
        assertThat(Files.readString(cert)).contains("name = \"server one\"").doesNotContain(keys[1]);
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("server_secret"))))
                .isEqualTo("rw-------");
        }
        // The tool's own @FILE keys read the same files.
        assertThat(Security.key("@" + dir.resolve("server_secret"), "secret-key", "--curve-secretkey"))
            .isEqualTo(keys[1]);
    }

    @Test
    void keygenPrintsAMatchingPairAndRefusesToOverwrite(@TempDir Path dir) throws Exception {
        Run printed = run(KeygenCommand.commandLine(new KeygenCommand()));
        assertThat(printed.exitCode()).as(printed.err()).isZero();
        String pub = printed.lines().get(0).substring("public-key = ".length());
        String sec = printed.lines().get(1).substring("secret-key = ".length());
        assertThat(CurveKeyPair.fromSecretKey(sec).publicKeyZ85()).isEqualTo(pub);

        Path cert = dir.resolve("alice");
        assertThat(run(KeygenCommand.commandLine(new KeygenCommand()), cert.toString()).exitCode()).isZero();
        String before = Files.readString(dir.resolve("alice_secret"));
        Run again = run(KeygenCommand.commandLine(new KeygenCommand()), cert.toString());
        assertThat(again.exitCode()).isEqualTo(ZmqCli.FAILED);
        assertThat(again.err()).contains("exists", "--force");
        assertThat(Files.readString(dir.resolve("alice_secret"))).isEqualTo(before);
        assertThat(run(KeygenCommand.commandLine(new KeygenCommand()), cert.toString(), "--force").exitCode()).isZero();
        assertThat(Files.readString(dir.resolve("alice_secret"))).isNotEqualTo(before);

        Run badMeta = run(KeygenCommand.commandLine(new KeygenCommand()), dir.resolve("x").toString(), "--meta", "novalue");
        assertThat(badMeta.exitCode()).isEqualTo(ZmqCli.USAGE);
        assertThat(badMeta.err()).contains("NAME=VALUE");
        assertThat(Files.exists(dir.resolve("x"))).isFalse();
    }

    // ------------------------------------------------------------------ monitor

    @Test
    void monitorPrintsTheConnectionAndHandshakeWithALibzmqPublisher() {
        assumePyzmq();
        try (PyPeer peer = PyPeer.start("pub", "bind", "tcp://127.0.0.1:*")) {
            String ep = peer.awaitReady();
            Run r = run(MonitorCommand.commandLine(new MonitorCommand(system)), "--type", "sub", ep,
                "--until", "HANDSHAKE_SUCCEEDED", "--duration", "20s");
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.err()).contains("monitoring SUB connected to " + ep);
            List<String> kinds = r.lines().stream().map(l -> l.split(" ")[1]).toList();
            assertThat(kinds).containsSubsequence("CONNECTED", "HANDSHAKE_SUCCEEDED");
            assertThat(kinds.get(kinds.size() - 1)).isEqualTo("HANDSHAKE_SUCCEEDED");
            assertThat(r.lines()).allSatisfy(l -> assertThat(l).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} [A-Z_]+ .*"));
        }
    }

    @Test
    void monitorReportsABadEndpointAndExits1() {
        Run r = run(MonitorCommand.commandLine(new MonitorCommand(system)), "nope://x", "--duration", "5s");
        assertThat(r.exitCode()).isEqualTo(ZmqCli.FAILED);
        assertThat(r.err()).startsWith("monitor: nope://x: ");
        Run usage = run(MonitorCommand.commandLine(new MonitorCommand(system)));
        assertThat(usage.exitCode()).isEqualTo(ZmqCli.USAGE);
    }

    // ------------------------------------------------------------------ proxy

    /** A writer whose lines can be awaited while the command is still running in another thread. */
    static final class Lines extends Writer {
        private final StringBuilder partial = new StringBuilder();
        private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final List<String> seen = new ArrayList<>();

        @Override
        public synchronized void write(char[] buf, int off, int len) {
            for (int i = off; i < off + len; i++) {
                if (buf[i] == '\n') {
                    lines.add(partial.toString());
                    partial.setLength(0);
                } else if (buf[i] != '\r') {
                    partial.append(buf[i]);
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        /** The value {@code match} finds in the next matching line, within 20 s. */
        String await(Function<String, String> match) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (true) {
                String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new AssertionError("no matching line within 20 s; lines: " + seen);
                }
                seen.add(line);
                String v = match.apply(line);
                if (v != null) {
                    return v;
                }
            }
        }
    }

    private static Function<String, String> after(String prefix) {
        return l -> l.startsWith(prefix) ? l.substring(prefix.length()) : null;
    }

    @Test
    void proxyQueuesLibzmqRequestsToALibzmqWorkerThroughRouterAndDealer() throws Exception {
        assumePyzmq();
        ProxyCommand proxy = new ProxyCommand(system);
        CommandLine cl = ProxyCommand.commandLine(proxy);
        Lines err = new Lines();
        cl.setErr(new PrintWriter(err, true));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
            () -> cl.execute("@tcp://127.0.0.1:*", "tcp://127.0.0.1:*"));
        try {
            String front = err.await(after("front bound "));
            String back = err.await(after("back bound "));
            err.await(after("proxy running: ROUTER"));
            try (PyPeer worker = PyPeer.start("rep", "connect", back, "3");
                 PyPeer client = PyPeer.start("req", "connect", front, "3")) {
                // The testkit's libzmq REQ sends generated(i) (every third multipart with an empty middle frame);
                // its REP echoes each request with a "from-libzmq" frame added.
                for (int i = 0; i < 3; i++) {
                    String request = i % 3 == 2
                        ? hex("part-a-" + i) + "," + hex("") + "," + hex("part-c") : hex("msg-" + i);
                    assertThat(worker.awaitLine("MSG ")).isEqualTo("MSG " + request);
                    assertThat(client.awaitLine("MSG ")).isEqualTo("MSG " + request + "," + hex("from-libzmq"));
                }
            }
        } finally {
            proxy.stop.complete(null);
        }
        assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void proxyStreamsFromALibzmqPusherToALibzmqPullerAndReportsBadPairs() throws Exception {
        assumePyzmq();
        ProxyCommand proxy = new ProxyCommand(system);
        CommandLine cl = ProxyCommand.commandLine(proxy);
        Lines err = new Lines();
        cl.setErr(new PrintWriter(err, true));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
            () -> cl.execute("-F", "pull", "-B", "push", "tcp://127.0.0.1:*", "tcp://127.0.0.1:*"));
        try {
            String front = err.await(after("front bound "));
            String back = err.await(after("back bound "));
            try (PyPeer sink = PyPeer.start("pull", "connect", back, "3");
                 PyPeer source = PyPeer.start("push", "connect", front, "3")) {
                sink.awaitReady();
                source.awaitReady();
                assertThat(sink.awaitLine("MSG ")).isEqualTo("MSG " + hex("msg-0"));
                assertThat(sink.awaitLine("MSG ")).isEqualTo("MSG " + hex("msg-1"));
                assertThat(sink.awaitLine("MSG ")).isEqualTo("MSG " + hex("part-a-2") + ",," + hex("part-c"));
            }
        } finally {
            proxy.stop.complete(null);
        }
        assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();

        Run bad = run(ProxyCommand.commandLine(new ProxyCommand(system)), "-F", "PUSH", "-B", "PUSH",
            "tcp://127.0.0.1:*", "tcp://127.0.0.1:*");
        assertThat(bad.exitCode()).isEqualTo(ZmqCli.USAGE);
        assertThat(bad.err()).contains("nothing to forward", "ROUTER DEALER");
        Run unreachable = run(ProxyCommand.commandLine(new ProxyCommand(system)), "tcp://127.0.0.1:*", "nope://x",
            "--duration", "5s");
        assertThat(unreachable.exitCode()).isEqualTo(ZmqCli.FAILED);
        assertThat(unreachable.err()).contains("proxy: back nope://x: ");
    }

    // ------------------------------------------------------------------ zmq: handshake failures

    private static Run zmq(String... args) {
        return run(ZmqCli.commandLine(new ZmqCli(system, new java.io.ByteArrayInputStream(new byte[0]))), args);
    }

    @Test
    void aWrongCurveServerKeyIsReportedAsAHandshakeFailureNotOnlyATimeout() {
        assumePyzmq();
        CurveKeyPair server = CurveKeyPair.generate();
        CurveKeyPair client = CurveKeyPair.generate();
        String wrongServerKey = CurveKeyPair.generate().publicKeyZ85();
        try (PyPeer peer = PyPeer.start(Map.of("CURVE_SERVER_SECRET", server.secretKeyZ85()),
            "pull", "bind", "tcp://127.0.0.1:*", "1")) {
            String ep = peer.awaitReady();
            Run r = zmq("--type", "PUSH", "--connect", ep, "--wait-peers", "1", "--send", "x",
                "--curve-serverkey=" + wrongServerKey, "--curve-secretkey=" + client.secretKeyZ85(), "--timeout", "3s");
            assertThat(r.exitCode()).as(r.err()).isEqualTo(ZmqCli.FAILED);
            assertThat(r.err()).contains("timed out after 3000 ms", "handshake failed", "HANDSHAKE_FAILED_NO_DETAIL",
                "--curve-serverkey").doesNotContain(client.secretKeyZ85());
        }
    }

    @Test
    void aCurveServerReportsALibzmqClientThatHasTheWrongServerKey() {
        assumePyzmq();
        CurveKeyPair server = CurveKeyPair.generate();
        CurveKeyPair client = CurveKeyPair.generate();
        String ep = "tcp://127.0.0.1:" + freePort();
        try (PyPeer peer = PyPeer.start(Map.of("CURVE_CLIENT_PUBLIC", client.publicKeyZ85(),
            "CURVE_CLIENT_SECRET", client.secretKeyZ85(),
            "CURVE_SERVER_PUBLIC", CurveKeyPair.generate().publicKeyZ85()), "push", "connect", ep, "1")) {
            peer.awaitReady();
            Run r = zmq("--type", "PULL", "--bind", ep, "--curve-server", "--curve-secretkey=" + server.secretKeyZ85(),
                "--count", "1", "--timeout", "3s");
            assertThat(r.exitCode()).as(r.err()).isEqualTo(ZmqCli.FAILED);
            assertThat(r.err()).contains("handshake failed", "HANDSHAKE_FAILED_PROTOCOL", "CURVE box did not open");
        }
    }

    private static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void subcommandsAreReachableThroughTheZmqCommand() {
        assertThat(ZmqCli.run("keygen", "--help")).isZero();
        assertThat(ZmqCli.run("proxy", "--help")).isZero();
        assertThat(ZmqCli.run("monitor", "--help")).isZero();
    }
}
