package io.rzmq.samples.cli;

import io.rzmq.testkit.PyPeer;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import io.rzmq.protocol.security.CurveKeyPair;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code zmq} tool against libzmq (pyzmq) peers, run in-process with captured output. */
class ZmqCliTest {
    static ActorSystem<Void> system;

    @BeforeAll
    static void start() {
        system = ActorSystem.create(Behaviors.empty(), "cli-test");
    }

    @AfterAll
    static void stop() throws Exception {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** What one run of the tool printed and returned. */
    record Run(int exitCode, String out, String err) {
        List<String> lines() {
            return out.isEmpty() ? List.of() : Arrays.asList(out.split("\\R"));
        }
    }

    private static Run zmqWithInput(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = ZmqCli.commandLine(new ZmqCli(system,
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static Run zmq(String... args) {
        return zmqWithInput("", args);
    }

    private static String hex(String s) {
        return HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8));
    }

    private static void assumePyzmq() {
        Assumptions.assumeTrue(PyPeer.available(), "python3 with pyzmq is not installed");
    }

    @Test
    void pullReceivesMultipartMessagesFromLibzmqAndPrintsThemInHex() {
        assumePyzmq();
        try (PyPeer peer = PyPeer.start("push", "bind", "tcp://127.0.0.1:*", "6")) {
            String ep = peer.awaitReady();
            Run run = zmq("--type", "pull", "--connect", ep, "--count", "6", "--hex", "--delimiter", ",",
                "--timeout", "20s");
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.lines()).containsExactly(
                hex("msg-0"), hex("msg-1"), hex("part-a-2") + ",," + hex("part-c"),
                hex("msg-3"), hex("msg-4"), hex("part-a-5") + ",," + hex("part-c"));
        }
    }

    @Test
    void pushSendsTextsAndStdinLinesToLibzmq() {
        assumePyzmq();
        try (PyPeer peer = PyPeer.start("pull", "bind", "tcp://127.0.0.1:*", "3")) {
            String ep = peer.awaitReady();
            Run run = zmqWithInput("from stdin\n", "--type", "PUSH", "--connect", ep, "--send", "hello", "--send", "a|b",
                "--delimiter", "|", "--stdin", "--timeout", "20s");
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(peer.awaitLine("MSG ")).isEqualTo("MSG " + hex("hello"));
            assertThat(peer.awaitLine("MSG ")).isEqualTo("MSG " + hex("a") + "," + hex("b"));
            assertThat(peer.awaitLine("MSG ")).isEqualTo("MSG " + hex("from stdin"));
            assertThat(peer.awaitLine("DONE")).isEqualTo("DONE 3");
        }
    }

    @Test
    void subscriberPrintsOnlyItsTopicFromALibzmqPublisher() {
        assumePyzmq();
        try (PyPeer peer = PyPeer.start("pub", "bind", "tcp://127.0.0.1:*")) {
            String ep = peer.awaitReady();
            Run run = zmq("--type", "SUB", "--connect", ep, "--subscribe", "A-", "--count", "5", "--timeout", "20s");
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.lines()).hasSize(5).allSatisfy(l -> assertThat(l).matches("A-\\d+\\|payload"));
        }
    }

    /** Skips (does not pass) a test while the runtime lacks the socket type the run needed. */
    private static void assumeTypeImplemented(Run run) {
        Assumptions.assumeFalse(run.err().contains("not implemented yet"), run.err());
    }

    @Test
    void reqPrintsTheRepliesOfALibzmqRep() {
        assumePyzmq();
        try (PyPeer peer = PyPeer.start("rep", "bind", "tcp://127.0.0.1:*", "2")) {
            String ep = peer.awaitReady();
            Run run = zmq("--type", "REQ", "--connect", ep, "--send", "one", "--send", "two|2", "--delimiter", "|",
                "--timeout", "20s");
            assumeTypeImplemented(run);
            assertThat(run.exitCode()).as(run.err()).isZero();
            // the testkit's libzmq REP echoes each request with a "from-libzmq" frame added
            assertThat(run.lines()).containsExactly("one|from-libzmq", "two|2|from-libzmq");
            assertThat(peer.awaitLine("DONE")).isEqualTo("DONE 2");
        }
    }

    @Test
    void repAnswersALibzmqReqWithTheGivenTexts() {
        assumePyzmq();
        try (PyPeer peer = PyPeer.start("req", "bind", "tcp://127.0.0.1:*", "3")) {
            String ep = peer.awaitReady();
            Run run = zmq("--type", "REP", "--connect", ep, "--count", "3", "--send", "yes", "--send", "no",
                "--timeout", "20s");
            assumeTypeImplemented(run);
            assertThat(run.exitCode()).as(run.err()).isZero();
            // the testkit's libzmq REQ sends its generated messages: every third one multipart, empty middle frame
            assertThat(run.lines()).containsExactly("msg-0", "msg-1", "part-a-2||part-c");
            assertThat(peer.awaitLine("MSG ")).isEqualTo("MSG " + hex("yes"));
            assertThat(peer.awaitLine("MSG ")).isEqualTo("MSG " + hex("no"));
            assertThat(peer.awaitLine("MSG ")).isEqualTo("MSG " + hex("yes"));
        }
    }

    @Test
    void bindPrintsTheResolvedEndpointAndTimesOutWithExitCode1() {
        Run run = zmq("--type", "PULL", "--bind", "tcp://127.0.0.1:*", "--count", "1", "--timeout", "300ms");
        assertThat(run.exitCode()).isEqualTo(ZmqCli.FAILED);
        assertThat(run.err()).containsPattern("bound tcp://127\\.0\\.0\\.1:\\d+").contains("timed out");
    }

    @Test
    void curveClientExchangesWithALibzmqCurveServer() {
        assumePyzmq();
        CurveKeyPair server = CurveKeyPair.generate();
        CurveKeyPair client = CurveKeyPair.generate();
        try (PyPeer peer = PyPeer.start(Map.of("CURVE_SERVER_SECRET", server.secretKeyZ85()),
            "pull", "bind", "tcp://127.0.0.1:*", "2")) {
            String ep = peer.awaitReady();
            // --wait-peers: nothing is sent before the CURVE handshake with libzmq has completed.
            Run run = zmq("--type", "PUSH", "--connect", ep, "--wait-peers", "1", "--send", "sealed", "--send", "a|b",
                "--delimiter", "|", "--curve-serverkey=" + server.publicKeyZ85(),
                "--curve-secretkey=" + client.secretKeyZ85(), "--timeout", "20s");
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(peer.awaitLine("MSG ")).isEqualTo("MSG " + hex("sealed"));
            assertThat(peer.awaitLine("MSG ")).isEqualTo("MSG " + hex("a") + "," + hex("b"));
        }
    }

    @Test
    void curveServerWithAZcertSecretFileTakesMessagesFromALibzmqCurveClient() throws IOException {
        assumePyzmq();
        CurveKeyPair server = CurveKeyPair.generate();
        CurveKeyPair client = CurveKeyPair.generate();
        Path dir = Files.createTempDirectory("zmq-cli-curve");
        Path cert = dir.resolve("server.key_secret");
        Files.writeString(cert, "#   ****  Generated by a test  ****\n"
            + "metadata\n"
            + "curve\n"
            + "    public-key = \"" + server.publicKeyZ85() + "\"\n"
            + "    secret-key = \"" + server.secretKeyZ85() + "\"\n");
        String ep = "ipc://" + dir.resolve("cli.ipc");
        // libzmq connects first and retries until the tool has bound; it queues its messages meanwhile.
        try (PyPeer peer = PyPeer.start(Map.of("CURVE_CLIENT_PUBLIC", client.publicKeyZ85(),
            "CURVE_CLIENT_SECRET", client.secretKeyZ85(), "CURVE_SERVER_PUBLIC", server.publicKeyZ85()),
            "push", "connect", ep, "3")) {
            peer.awaitReady();
            Run run = zmq("--type", "PULL", "--bind", ep, "--curve-server", "--curve-secretkey", "@" + cert,
                "--count", "3", "--timeout", "20s");
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.err()).contains("curve server public key " + server.publicKeyZ85())
                .doesNotContain(server.secretKeyZ85());
            assertThat(run.lines()).containsExactly("msg-0", "msg-1", "part-a-2||part-c");
        } finally {
            Files.deleteIfExists(cert);
            Files.deleteIfExists(dir.resolve("cli.ipc"));
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void plainClientIsAdmittedByALibzmqPlainServer() throws IOException {
        assumePyzmq();
        Path password = Files.createTempFile("zmq-cli", ".pw");
        Files.writeString(password, "secret\n");
        try (PyPeer peer = PyPeer.start(Map.of("PLAIN_SERVER", "1"), "pull", "bind", "tcp://127.0.0.1:*", "1")) {
            String ep = peer.awaitReady();
            Run run = zmq("--type", "PUSH", "--connect", ep, "--wait-peers", "1", "--send", "let me in",
                "--plain-username", "admin", "--plain-password", "@" + password, "--timeout", "20s");
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(peer.awaitLine("MSG ")).isEqualTo("MSG " + hex("let me in"));
        } finally {
            Files.deleteIfExists(password);
        }
    }

    @Test
    void inconsistentSecurityOptionsAreUsageErrorsThatNeverShowTheKey() {
        String secret = CurveKeyPair.generate().secretKeyZ85();
        Run noSecret = zmq("--type", "SUB", "--connect", "tcp://127.0.0.1:5556", "--curve-serverkey=" +
            CurveKeyPair.generate().publicKeyZ85());
        assertThat(noSecret.exitCode()).isEqualTo(ZmqCli.USAGE);
        assertThat(noSecret.err()).contains("--curve-secretkey");
        Run noServerKey = zmq("--type", "SUB", "--connect", "tcp://127.0.0.1:5556", "--curve-secretkey=" + secret);
        assertThat(noServerKey.exitCode()).isEqualTo(ZmqCli.USAGE);
        assertThat(noServerKey.err()).contains("--curve-serverkey").doesNotContain(secret);
        Run both = zmq("--type", "PULL", "--bind", "tcp://127.0.0.1:*", "--curve-server", "--curve-secretkey=" + secret,
            "--plain-username", "u");
        assertThat(both.exitCode()).isEqualTo(ZmqCli.USAGE);
        assertThat(both.err()).contains("not both").doesNotContain(secret);
        // '"' is not a Z85 character: the key is refused without being repeated.
        Run bad = zmq("--type", "PULL", "--bind", "tcp://127.0.0.1:*", "--curve-server", "--curve-secretkey",
            "\"" + secret.substring(1));
        assertThat(bad.exitCode()).isEqualTo(ZmqCli.USAGE);
        assertThat(bad.err()).contains("CURVE_SECRETKEY").doesNotContain(secret.substring(1));
    }

    @Test
    void usageErrorsExitWith2() {
        assertThat(zmq("--type", "PULL").exitCode()).isEqualTo(ZmqCli.USAGE);
        assertThat(zmq("--type", "NOPE", "--bind", "inproc://x").exitCode()).isEqualTo(ZmqCli.USAGE);
        Run sendOnPull = zmq("--type", "PULL", "--bind", "inproc://x", "--send", "hi");
        assertThat(sendOnPull.exitCode()).isEqualTo(ZmqCli.USAGE);
        assertThat(sendOnPull.err()).contains("cannot send");
    }

    @Test
    void durationsParseInTheUsualForms() {
        ZmqCli.DurationConverter c = new ZmqCli.DurationConverter();
        assertThat(c.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(c.convert("5s")).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.convert("7")).isEqualTo(Duration.ofSeconds(7));
        assertThat(c.convert("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.convert("PT3S")).isEqualTo(Duration.ofSeconds(3));
    }

    /** '@' is in the Z85 alphabet: a key that happens to start with it is a key, not a file name. */
    @Test
    void aZ85KeyStartingWithAtIsTakenAsTheKey() throws Exception {
        byte[] raw = new byte[32];
        String key;
        // Find a random key whose Z85 text starts with '@' (about one in 85 does).
        java.security.SecureRandom random = new java.security.SecureRandom();
        do {
            random.nextBytes(raw);
            key = io.rzmq.protocol.security.Z85.encode(raw);
        } while (key.charAt(0) != '@');
        assertThat(Security.key(key, "public-key", "--curve-serverkey")).isEqualTo(key);

        Path file = Files.createTempFile("rzmq-key", ".txt");
        try {
            Files.writeString(file, key + "\n");
            assertThat(Security.key("@" + file, "public-key", "--curve-serverkey")).isEqualTo(key);
        } finally {
            Files.delete(file);
        }
    }
}
