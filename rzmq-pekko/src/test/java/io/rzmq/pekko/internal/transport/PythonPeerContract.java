package io.rzmq.pekko.internal.transport;

import io.rzmq.pekko.internal.transport.loop.LoopTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static io.rzmq.pekko.internal.transport.StreamProbe.DEADLINE;
import static io.rzmq.pekko.internal.transport.StreamProbe.awaitTrue;
import static io.rzmq.pekko.internal.transport.StreamProbe.onLoop;
import static io.rzmq.pekko.internal.transport.StreamProbe.pattern;
import static io.rzmq.pekko.internal.transport.StreamProbe.patternSlices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Raw bytes against a python3 socket peer (not our code on the other end), tcp and an ipc path, both
 * directions: it connects to our listener, and we connect to its. (A libzmq peer needs an engine on the
 * seam: step 2b.)
 */
public abstract class PythonPeerContract {
    private static final String PYTHON = "/usr/bin/python3";
    private static final int SIZE = 2 << 20;

    /** Sends SIZE random bytes from a thread, reads the echo, compares; prints OK or BAD. */
    private static final String CLIENT = String.join("\n",
        "import os, socket, sys, threading",
        "kind, addr, size = sys.argv[1], sys.argv[2], int(sys.argv[3])",
        "if kind == 'tcp':",
        "    h, p = addr.rsplit(':', 1); s = socket.create_connection((h, int(p)))",
        "else:",
        "    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); s.connect(addr)",
        "data = os.urandom(size)",
        "t = threading.Thread(target=lambda: (s.sendall(data), s.shutdown(socket.SHUT_WR))); t.start()",
        "got = bytearray()",
        "while True:",
        "    b = s.recv(65536)",
        "    if not b: break",
        "    got += b",
        "t.join()",
        "print('OK' if bytes(got) == data else 'BAD %d of %d' % (len(got), size), flush=True)");

    /** Listens (prints the port or READY), echoes one connection until its end of stream, then closes. */
    private static final String SERVER = String.join("\n",
        "import socket, sys",
        "kind, addr = sys.argv[1], sys.argv[2]",
        "if kind == 'tcp':",
        "    l = socket.socket(); l.bind(('127.0.0.1', 0)); l.listen(1); print(l.getsockname()[1], flush=True)",
        "else:",
        "    l = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); l.bind(addr); l.listen(1); print('READY', flush=True)",
        "c, _ = l.accept()",
        "n = 0",
        "while True:",
        "    b = c.recv(65536)",
        "    if not b: break",
        "    c.sendall(b); n += len(b)",
        "c.close(); print('ECHOED', n, flush=True)");

    /** A transport of the implementation under test on {@code loops} new loops named {@code name}. */
    protected abstract StreamTransportContract.Fixture open(int loops, String name);

    protected abstract boolean servesIpc();

    private StreamTransportContract.Fixture fixture;
    private StreamTransport transport;

    @BeforeEach
    void openFixture() {
        fixture = open(2, "seam-python-test-");
        transport = fixture.transport();
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private void assumeScheme(String scheme) {
        assumeTrue(scheme.equals("tcp") || servesIpc(), "this transport serves tcp only");
    }

    private static void assumePython() {
        assumeTrue(Files.isExecutable(Path.of(PYTHON)), "needs " + PYTHON);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ipc"})
    void aPythonClientGetsItsBytesEchoedByOurListener(String scheme) throws Exception {
        assumePython();
        assumeScheme(scheme);
        EchoServer echo = new EchoServer();
        StreamListener l = transport.bind(StreamTransportContract.any(scheme), StreamOptions.defaults(), echo);
        try {
            String addr = scheme.equals("tcp") ? "127.0.0.1:" + ((InetSocketAddress) l.boundAddress()).getPort()
                : ((UnixDomainSocketAddress) l.boundAddress()).getPath().toString();
            Process p = new ProcessBuilder(PYTHON, "-c", CLIENT, scheme, addr, Integer.toString(SIZE))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                assertThat(p.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).as("python finished").isTrue();
                assertThat(out.readLine()).isEqualTo("OK");
            } finally {
                p.destroyForcibly();
            }
            assertThat(echo.problems).isEmpty();
        } finally {
            l.close().toCompletableFuture().join();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ipc"})
    void weConnectToAPythonEchoServer(String scheme) throws Exception {
        assumePython();
        assumeScheme(scheme);
        UnixDomainSocketAddress path = LoopTransport.freshIpcAddress();
        Process p = new ProcessBuilder(PYTHON, "-c", SERVER, scheme, path.getPath().toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String first = out.readLine();
            SocketAddress remote = scheme.equals("tcp")
                ? new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(first)) : path;
            StreamProbe client = new StreamProbe(true);
            transport.connect(remote, StreamOptions.defaults(), fixture.loops().get(1), client);
            ByteStream s = client.awaitConnected();
            client.startOn(s);
            ByteBuffer[] batch = patternSlices(SIZE, 4096);
            if (!onLoop(s, () -> s.write(batch, batch.length))) {
                assertThat(client.next()).isEqualTo("flushed");
            }
            awaitTrue("the echo", () -> client.received.get() >= SIZE);
            byte[] back = client.keptBytes();
            assertThat(back).hasSize(SIZE);
            for (int i = 0; i < SIZE; i++) {
                if (back[i] != pattern(i)) {
                    throw new AssertionError("byte " + i + " differs");
                }
            }
            onLoop(s, s::closeGracefully);
            assertThat(client.next()).isEqualTo("closed");
            assertThat(out.readLine()).isEqualTo("ECHOED " + SIZE);
            assertThat(client.offLoop).isEmpty();
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(path.getPath());
        }
    }
}
