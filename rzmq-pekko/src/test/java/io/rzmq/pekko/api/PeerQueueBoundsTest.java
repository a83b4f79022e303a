package io.rzmq.pekko.api;

import io.rzmq.testkit.Awaits;
import io.rzmq.pekko.model.MonitorEventKind;

import io.rzmq.pekko.model.MonitorEvent;

import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.pekko.stream.ZmqMonitor;
import io.rzmq.pekko.stream.ZmqStreams;
import io.rzmq.pekko.testing.PerTestContext;
import io.rzmq.testkit.ZmtpTestPeer;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.SinkQueueWithCancel;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static io.rzmq.pekko.api.Await.result;
import static io.rzmq.pekko.api.Await.until;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The queues a peer can fill (docs/security.md, "Queues and their bounds"): a peer that never reads while
 * we send, a peer that floods us with messages, a peer that floods PINGs and never reads the PONGs, and
 * connection churn in front of a monitor consumer that never reads. Each asserts that what the peer can
 * make us hold stays within the documented bound and that everything else carries on, with nothing lost.
 *
 * <p>Bounds are asserted as byte counts the peer managed to push through (or make us hold) once its
 * progress stalls; the kernel's share is kept small with SNDBUF/RCVBUF so that the bound is a few MiB
 * while an unbounded queue would take everything the peer offers (several times more).
 */
class PeerQueueBoundsTest extends PerTestContext {
    private static final int MSG_BYTES = 1024;
    private static final int HWM = 100;
    /** Kernel buffers on both ends, set small so that most of what a peer pushes would sit in our queues. */
    private static final int KERNEL_BUFFER = 64 * 1024;
    /** What HWMs, write batches, read chunks and kernel buffers may hold in these set-ups, generously. */
    private static final long BOUND_BYTES = 8L * 1024 * 1024;
    /** What the peers offer: four times the bound. */
    private static final int TOTAL = 32 * 1024;
    /** No progress for this long (after some) counts as stalled. */
    private static final Duration QUIET = Duration.ofSeconds(1);
    private static final Duration STALL_DEADLINE = Duration.ofSeconds(60);

    @Test
    void aPeerThatNeverReadsHoldsOurSendsAtTheHighWaterMarksWhileAnotherPeerGetsTheRest() throws Exception {
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH,
            SocketOptions.defaults().withSndHwm(HWM).withSndBuf(KERNEL_BUFFER));
        int port = port(result(push.bind("tcp://127.0.0.1:*")));
        try (ZmtpTestPeer stuck = new ZmtpTestPeer(smallBufferSocket(port), SocketType.PULL).handshake()) {
            // The peer completed its handshake and reads nothing from now on.
            AtomicLong sent = new AtomicLong();
            AtomicReference<Throwable> senderFailure = new AtomicReference<>();
            Thread sender = new Thread(() -> {
                try {
                    for (int i = 0; i < TOTAL; i++) {
                        push.send(numbered(i)).toCompletableFuture().get();
                        sent.incrementAndGet();
                    }
                } catch (Throwable t) {
                    senderFailure.set(t);
                }
            }, "never-reading-peer-sender");
            sender.setDaemon(true);
            sender.start();

            long atStall = awaitStall(sent);
            assertThat(atStall * MSG_BYTES)
                .as("bytes a never-reading peer made us accept (sends stop at SNDHWM + pipe HWM + one write batch)")
                .isLessThanOrEqualTo(BOUND_BYTES);

            // Another peer arrives: sends go on to it; the stuck peer keeps what it was given.
            ZSocket good = ZSocket.create(ctx, SocketType.PULL);
            result(good.connect("tcp://127.0.0.1:" + port));
            List<Integer> toGood = new ArrayList<>();
            // The stuck peer starts reading: between them the two peers get every message once, each in order.
            stuck.runUntil(() -> {
                Msg m;
                while ((m = good.tryReceive()) != null) {
                    toGood.add(seq(m));
                }
                return toGood.size() + stuck.messages().size() == TOTAL;
            }, STALL_DEADLINE);
            sender.join(Await.DEADLINE.toMillis());
            assertThat(senderFailure.get()).isNull();
            assertThat(toGood).isNotEmpty();
            List<Integer> toStuck = stuck.messages().stream().map(PeerQueueBoundsTest::seq).toList();
            assertThat(toStuck).isSorted();
            assertThat(toGood).isSorted();
            assertEveryMessageOnce(toStuck, toGood);
        }
    }

    @Test
    void aPeerThatFloodsIsHeldAtTheReceiveHighWaterMarkAndOtherSocketsCarryOn() throws Exception {
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL,
            SocketOptions.defaults().withRcvHwm(HWM).withRcvBuf(KERNEL_BUFFER));
        int port = port(result(pull.bind("tcp://127.0.0.1:*")));
        try (ZmtpTestPeer flooder = new ZmtpTestPeer(smallBufferSocket(port), SocketType.PUSH).handshake()) {
            AtomicLong written = new AtomicLong();
            AtomicReference<Throwable> writerFailure = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 0; i < TOTAL; i++) {
                        flooder.send(numbered(i)); // a blocking write: it stalls when we stop reading
                        written.incrementAndGet();
                    }
                } catch (Throwable t) {
                    writerFailure.set(t);
                }
            }, "flooding-peer-writer");
            writer.setDaemon(true);
            writer.start();

            long atStall = awaitStall(written);
            assertThat(atStall * MSG_BYTES)
                .as("bytes a flooding peer pushed into us while the application received nothing")
                .isLessThanOrEqualTo(BOUND_BYTES);

            // The same context's other sockets (same I/O loop) carry on meanwhile.
            ZSocket otherPull = ZSocket.create(ctx, SocketType.PULL);
            ZSocket otherPush = ZSocket.create(ctx, SocketType.PUSH);
            result(otherPush.connect(result(otherPull.bind("tcp://127.0.0.1:*"))));
            for (int i = 0; i < 1000; i++) {
                result(otherPush.send(numbered(i)));
            }
            for (int i = 0; i < 1000; i++) {
                assertThat(seq(result(otherPull.receive()))).isEqualTo(i);
            }
            assertThat(written.get()).isLessThan(TOTAL);

            // Nothing the flooder sent is lost: the application gets all of it, in order.
            for (int i = 0; i < TOTAL; i++) {
                assertThat(seq(result(pull.receive()))).isEqualTo(i);
            }
            writer.join(Await.DEADLINE.toMillis());
            assertThat(writerFailure.get()).isNull();
        }
    }

    @Test
    void aPeerThatSendsPingsAndNeverReadsCannotGrowOurOutput() throws Exception {
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL, SocketOptions.defaults().withSndBuf(KERNEL_BUFFER));
        int port = port(result(pull.bind("tcp://127.0.0.1:*")));
        Socket raw = smallBufferSocket(port);
        try (ZmtpTestPeer peer = new ZmtpTestPeer(raw, SocketType.PUSH).handshake()) {
            // PING with a 16-byte context: each one would be answered by a 23-byte PONG.
            byte[] block = pingBlock(64 * 1024 / 25);
            int pings = 0;
            OutputStream out = raw.getOutputStream();
            long pingBytes = 4 * BOUND_BYTES;
            for (long w = 0; w < pingBytes; w += block.length) {
                out.write(block);
                pings += block.length / 25;
            }
            out.flush();
            // Then one message: it arrives, so the connection is alive and every PING before it was read.
            peer.send(Msg.of("after the pings"));
            assertThat(result(pull.receive()).firstString()).isEqualTo("after the pings");

            long pongBytes = readUntilQuiet(raw);
            assertThat(pongBytes).as("PONG bytes for %d PINGs the peer never read while sending", pings)
                .isPositive()
                .isLessThan((long) pings * 23 / 10);
        }
    }

    @Test
    void connectionChurnInFrontOfAMonitorConsumerThatNeverReadsIsDroppedNotQueued() throws Exception {
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL);
        String endpoint = result(pull.bind("tcp://127.0.0.1:*"));
        int buffer = 16;
        Pair<ZmqMonitor, SinkQueueWithCancel<MonitorEvent>> run = ZmqStreams.monitor(pull, buffer)
            .toMat(Sink.<MonitorEvent>queue().withAttributes(Attributes.inputBuffer(1, 1)), Keep.both())
            .run(testKit.system());
        ZmqMonitor monitor = run.first();
        result(monitor.started());

        // Peers that connect and leave at once: each costs the socket one event at least (ACCEPTED or
        // ACCEPT_FAILED), usually three (ACCEPTED, HANDSHAKE_FAILED_NO_DETAIL, DISCONNECTED).
        int churn = 300;
        for (int i = 0; i < churn; i++) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port(endpoint))) {
                s.getOutputStream().write(0xFF);
            }
        }
        until("the monitor drops what its consumer does not take", () -> monitor.dropped() >= churn - buffer - 1);

        // The socket carries on.
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH);
        result(push.connect(endpoint));
        for (int i = 0; i < 100; i++) {
            result(push.send(numbered(i)));
        }
        for (int i = 0; i < 100; i++) {
            assertThat(seq(result(pull.receive()))).isEqualTo(i);
        }
        // What waits for the consumer is the stage's buffer (plus the sink's one element), no more.
        List<MonitorEvent> taken = new ArrayList<>();
        long droppedBefore = monitor.dropped();
        result(monitor.stop());
        while (true) {
            var e = result(run.second().pull());
            if (e.isEmpty()) {
                break;
            }
            taken.add(e.get());
        }
        // Events raised after the churn (the push's connection) may have taken places too: the count is what matters.
        assertThat(taken.size()).isLessThanOrEqualTo(buffer + 2);
        assertThat(taken.get(taken.size() - 1).kind()).isEqualTo(MonitorEventKind.MONITOR_STOPPED);
        assertThat(monitor.dropped()).isGreaterThanOrEqualTo(droppedBefore);
    }

    // ------------------------------------------------------------------ helpers

    private static Socket smallBufferSocket(int port) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(KERNEL_BUFFER);
        s.setSendBufferSize(KERNEL_BUFFER);
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return s;
    }

    private static int port(String endpoint) {
        return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    }

    private static Msg numbered(int i) {
        byte[] body = new byte[MSG_BYTES];
        ByteBuffer.wrap(body).putInt(i);
        return Msg.of(body);
    }

    private static int seq(Msg m) {
        return m.first().asReadOnlyBuffer().getInt();
    }

    private static void assertEveryMessageOnce(List<Integer> a, List<Integer> b) {
        BitSet seen = new BitSet(TOTAL);
        for (List<Integer> l : List.of(a, b)) {
            for (int i : l) {
                assertThat(seen.get(i)).as("message %d delivered twice", i).isFalse();
                seen.set(i);
            }
        }
        assertThat(seen.cardinality()).isEqualTo(TOTAL);
    }

    /** The value {@code progress} stalls at (the testkit's {@link Awaits#stall}). */
    private static long awaitStall(AtomicLong progress) {
        return Awaits.stall(progress::get, QUIET, TOTAL, STALL_DEADLINE);
    }

    /** {@code n} PING commands (TTL 0, 16-byte context) as NULL-mechanism ZMTP frames: 25 bytes each. */
    private static byte[] pingBlock(int n) {
        ByteBuffer b = ByteBuffer.allocate(n * 25);
        byte[] context = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < n; i++) {
            b.put((byte) 0x04).put((byte) 23).put((byte) 4).put("PING".getBytes(StandardCharsets.US_ASCII))
                .putShort((short) 0).put(context);
        }
        return b.array();
    }

    /** Reads and counts bytes until none arrive for {@link #QUIET}. */
    private static long readUntilQuiet(Socket s) throws IOException {
        s.setSoTimeout((int) QUIET.toMillis());
        InputStream in = s.getInputStream();
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        long end = System.nanoTime() + STALL_DEADLINE.toNanos();
        while (System.nanoTime() < end) {
            int n;
            try {
                n = in.read(buf);
            } catch (SocketTimeoutException quiet) {
                return total;
            }
            if (n < 0) {
                return total;
            }
            total += n;
        }
        throw new AssertionError("still reading after " + STALL_DEADLINE);
    }
}
