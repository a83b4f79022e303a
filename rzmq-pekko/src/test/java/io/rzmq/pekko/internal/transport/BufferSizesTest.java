package io.rzmq.pekko.internal.transport;

import io.rzmq.pekko.Rzmq;
import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.pekko.api.Await;
import io.rzmq.pekko.api.ZContext;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.protocol.SocketType;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.rzmq.pekko.api.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * SNDBUF / RCVBUF reach the kernel: the buffer sizes of the live sockets are read from outside the JVM
 * with {@code ss -m} (the kernel's skmem: {@code rb} receive, {@code tb} send buffer). Linux stores twice
 * the value set (for its bookkeeping) and locks it against autotuning, so a socket we tuned shows exactly
 * 2 x the option, and the untuned socket at the other end of the same connection shows something else.
 */
class BufferSizesTest {
    static final ActorTestKit testKit = ActorTestKit.create();
    private static final int SNDBUF = 45_679;
    private static final int RCVBUF = 56_789;
    private static final Pattern SKMEM = Pattern.compile("skmem:\\(r\\d+,rb(\\d+),t\\d+,tb(\\d+)");

    ZContext ctx;

    @BeforeEach
    void newContext() {
        assumeTrue(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")
            && (Files.isExecutable(Path.of("/usr/bin/ss")) || Files.isExecutable(Path.of("/bin/ss"))),
            "reads socket buffers with Linux's ss");
        ctx = Rzmq.get(testKit.system()).newContext("buffers");
    }

    @AfterEach
    void closeContext() {
        if (ctx != null) {
            result(ctx.close(Duration.ZERO));
        }
    }

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    private static SocketOptions plain() {
        return SocketOptions.defaults().withLinger(Duration.ZERO);
    }

    private static SocketOptions sized() {
        return plain().withSndBuf(SNDBUF).withRcvBuf(RCVBUF);
    }

    /** Kernel receive (rb) and send (tb) buffer of one socket. */
    record Buffers(long rb, long tb) {
    }

    private ZSocket[] connectedPair(SocketOptions bindSide, SocketOptions connectSide, String bindTo) {
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL, bindSide);
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH, connectSide);
        String ep = result(pull.bind(bindTo));
        result(push.connect(ep));
        Await.until("the connection is up", () -> result(pull.status()).readyPeers() == 1
            && result(push.status()).readyPeers() == 1);
        return new ZSocket[] {pull, push};
    }

    @Test
    void acceptedTcpConnectionsGetTheListenersSizes() throws Exception {
        ZSocket[] pair = connectedPair(sized(), plain(), "tcp://127.0.0.1:*");
        int port = URI.create(pair[0].lastEndpoint()).getPort();
        Buffers accepted = tcpBuffers("sport", port);
        assertThat(accepted).isEqualTo(new Buffers(2L * RCVBUF, 2L * SNDBUF));
        Buffers other = tcpBuffers("dport", port);
        assertThat(other.rb()).isNotEqualTo(2L * RCVBUF);
        assertThat(other.tb()).isNotEqualTo(2L * SNDBUF);
    }

    @Test
    void tcpConnectionsWeMakeGetOurSizes() throws Exception {
        ZSocket[] pair = connectedPair(plain(), sized(), "tcp://127.0.0.1:*");
        int port = URI.create(pair[0].lastEndpoint()).getPort();
        assertThat(tcpBuffers("dport", port)).isEqualTo(new Buffers(2L * RCVBUF, 2L * SNDBUF));
        Buffers accepted = tcpBuffers("sport", port);
        assertThat(accepted.rb()).isNotEqualTo(2L * RCVBUF);
        assertThat(accepted.tb()).isNotEqualTo(2L * SNDBUF);
    }

    @Test
    void acceptedIpcConnectionsGetTheListenersSizes() throws Exception {
        ZSocket[] pair = connectedPair(sized(), plain(), "ipc://*");
        String path = pair[0].lastEndpoint().substring("ipc://".length());
        List<String[]> rows = ipcRows();
        String[] accepted = acceptedRow(rows, path);
        assertThat(buffers(accepted)).isEqualTo(new Buffers(2L * RCVBUF, 2L * SNDBUF));
        assertThat(buffers(peerOf(rows, accepted))).isNotEqualTo(new Buffers(2L * RCVBUF, 2L * SNDBUF));
    }

    @Test
    void ipcConnectionsWeMakeGetOurSizes() throws Exception {
        ZSocket[] pair = connectedPair(plain(), sized(), "ipc://*");
        String path = pair[0].lastEndpoint().substring("ipc://".length());
        List<String[]> rows = ipcRows();
        String[] accepted = acceptedRow(rows, path);
        assertThat(buffers(peerOf(rows, accepted))).isEqualTo(new Buffers(2L * RCVBUF, 2L * SNDBUF));
        assertThat(buffers(accepted)).isNotEqualTo(new Buffers(2L * RCVBUF, 2L * SNDBUF));
    }

    @Test
    void theOptionsReadBackAndRefuseNonsense() {
        assertThat(SocketOptions.defaults().sndBuf()).isEqualTo(-1);
        assertThat(SocketOptions.defaults().rcvBuf()).isEqualTo(-1);
        assertThat(sized().sndBuf()).isEqualTo(SNDBUF);
        assertThat(sized().rcvBuf()).isEqualTo(RCVBUF);
        assertThat(sized().withSndBuf(-1).sndBuf()).isEqualTo(-1);
        assertThatThrownBy(() -> plain().withSndBuf(0)).hasMessageContaining("SNDBUF");
        assertThatThrownBy(() -> plain().withRcvBuf(-2)).hasMessageContaining("RCVBUF");
    }

    // ------------------------------------------------------------------ reading the kernel's view

    private static Buffers tcpBuffers(String side, int port) throws Exception {
        String out = ss("-tmnH", "state", "established", "( " + side + " = :" + port + " )");
        List<Buffers> found = new ArrayList<>();
        Matcher m = SKMEM.matcher(out);
        while (m.find()) {
            found.add(new Buffers(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
        }
        assertThat(found).as("sockets with %s %d in: %s", side, port, out).hasSize(1);
        return found.get(0);
    }

    /** {@code ss -x} rows: netid, state, recv-q, send-q, local address, local inode, peer address, peer inode, skmem. */
    private static List<String[]> ipcRows() throws Exception {
        List<String[]> rows = new ArrayList<>();
        for (String line : ss("-xmnH").split("\\R")) {
            String[] w = line.trim().split("\\s+");
            if (w.length >= 9) {
                rows.add(w);
            }
        }
        return rows;
    }

    /** The accepted end shows the listener's path as its local address. */
    private static String[] acceptedRow(List<String[]> rows, String path) {
        List<String[]> matching = rows.stream().filter(r -> r[4].equals(path)).toList();
        assertThat(matching).as("connections on %s", path).hasSize(1);
        return matching.get(0);
    }

    private static String[] peerOf(List<String[]> rows, String[] accepted) {
        List<String[]> matching = rows.stream().filter(r -> r[5].equals(accepted[7])).toList();
        assertThat(matching).as("the peer of inode %s", accepted[5]).hasSize(1);
        return matching.get(0);
    }

    private static Buffers buffers(String[] row) {
        Matcher m = SKMEM.matcher(String.join(" ", row));
        assertThat(m.find()).as("skmem in %s", String.join(" ", row)).isTrue();
        return new Buffers(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
    }

    private static String ss(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("ss");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("ss exit code").isZero();
        return new String(out, StandardCharsets.UTF_8);
    }
}
