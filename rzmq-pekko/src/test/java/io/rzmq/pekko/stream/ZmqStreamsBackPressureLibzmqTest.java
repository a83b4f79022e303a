package io.rzmq.pekko.stream;

import io.rzmq.pekko.Rzmq;
import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.pekko.api.ZContext;
import io.rzmq.testkit.PyPeer;
import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.SinkQueueWithCancel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.rzmq.pekko.stream.Waits.result;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Back-pressure from a stream across the wire to libzmq: a {@code ZmqStreams.source} PULL whose downstream
 * stops pulling holds back a libzmq 4.3 PUSH (pyzmq, mode "pushheld" of zmq_peer.py) at a bounded number
 * of messages, and the sender goes on when the stream pulls again. Messages are 1 MiB so that the kernel's
 * socket buffers hold a known, small share of the total.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ZmqStreamsBackPressureLibzmqTest {
    static final ActorTestKit testKit = ActorTestKit.create();
    static final ActorSystem<Void> system = testKit.system();

    private static final int SIZE = 1 << 20;
    /** The peer's SNDHWM (messages libzmq queues for the connection). */
    private static final int PEER_SNDHWM = 2;
    /** Our RCVHWM: the connection's pipe and the socket's inbox each hold about this many. */
    private static final int RCV_HWM = 4;
    /** The Sink.queue below asks for one element ahead of what is pulled. */
    private static final int QUEUE_BUFFER = 1;
    /** Messages pulled before the stall, which also proves the connection is up. */
    private static final int CONSUMED_FIRST = 10;
    /** Single messages in hand along the way: libzmq's encoder, our decoder, the engine's paused one, ... */
    private static final int IN_HAND = 4;

    ZContext ctx;

    @BeforeEach
    void setUp() {
        Assumptions.assumeTrue(PyPeer.available(), "python3 with pyzmq is not installed");
        ctx = Rzmq.get(system).newContext("streams-backpressure-libzmq");
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

    @Test
    void aStalledSourceHoldsBackALibzmqPushUntilItPullsAgain() {
        // What may be in flight while the stream does not pull: the peer's send buffer, our receive buffer,
        // and one receive buffer's worth that Pekko IO may have read before our SuspendReading took effect.
        long kernelBytes = 2 * tcpBufferMax("tcp_rmem") + tcpBufferMax("tcp_wmem");
        int bound = CONSUMED_FIRST + QUEUE_BUFFER + 2 * RCV_HWM + PEER_SNDHWM + IN_HAND
            + (int) ((kernelBytes + SIZE - 1) / SIZE);
        int total = 2 * bound;

        try (PyPeer peer = PyPeer.start(Map.of("SNDHWM", Integer.toString(PEER_SNDHWM)),
            "pushheld", "bind", "tcp://127.0.0.1:*", Integer.toString(total), Integer.toString(SIZE))) {
            String ep = peer.awaitReady();
            SocketOptions options = ctx.defaultOptions().withRcvHwm(RCV_HWM).withLinger(Duration.ZERO);
            Pair<ZmqControl, SinkQueueWithCancel<Msg>> run = ZmqStreams
                .source(ctx, ZmqSocketSpec.of(SocketType.PULL).withOptions(options).withConnect(ep))
                .toMat(Sink.<Msg>queue().withAttributes(Attributes.inputBuffer(QUEUE_BUFFER, QUEUE_BUFFER)),
                    Keep.both())
                .run(system);
            SinkQueueWithCancel<Msg> queue = run.second();

            int next = 0;
            for (; next < CONSUMED_FIRST; next++) {
                assertNumbered(pull(queue), next);
            }

            // Downstream stops pulling. libzmq must end up refusing sends (EAGAIN at its SNDHWM) and stay so:
            // without back-pressure it would send all `total` messages into our buffers and say SENT.
            int held = awaitHeldTwiceAtTheSameCount(peer, CONSUMED_FIRST);
            assertThat(held).as("messages libzmq sent while the stream does not pull (bound %d of %d)", bound, total)
                .isBetween(CONSUMED_FIRST, bound);
            String stillHeld = peer.awaitLine(l -> l.startsWith("HELD ") || l.startsWith("SENT "), Waits.DEADLINE);
            assertThat(stillHeld).as("the sender is still held at the same count").isEqualTo("HELD " + held);

            // Pull again: the sender resumes and every message arrives, in order.
            for (; next < total; next++) {
                assertNumbered(pull(queue), next);
            }
            assertThat(peer.awaitLine(l -> l.startsWith("SENT "), Waits.DEADLINE)).isEqualTo("SENT " + total);
            queue.cancel();
            result(run.first().isShutdown());
            peer.closeInput();
        }
    }

    /**
     * Reads the peer's HELD lines until two in a row report the same count of at least {@code atLeast}
     * (libzmq waited a full report interval without room); fails if the peer instead sent everything.
     */
    private static int awaitHeldTwiceAtTheSameCount(PyPeer peer, int atLeast) {
        int previous = -1;
        while (true) {
            String line = peer.awaitLine(l -> l.startsWith("HELD ") || l.startsWith("SENT "), Waits.DEADLINE);
            assertThat(line).as("libzmq was never held back: it sent everything while the stream did not pull")
                .startsWith("HELD ");
            int count = Integer.parseInt(line.substring("HELD ".length()));
            if (count >= atLeast && count == previous) {
                return count;
            }
            previous = count;
        }
    }

    private static Msg pull(SinkQueueWithCancel<Msg> queue) {
        return result(queue.pull()).orElseThrow(() -> new AssertionError("the stream completed early"));
    }

    /** Message {@code i} of the peer: ["i", SIZE bytes of value i % 251]. */
    private static void assertNumbered(Msg m, int i) {
        assertThat(m.frameCount()).as("frames of message %d", i).isEqualTo(2);
        assertThat(m.frame(0).asString()).as("number of message %d", i).isEqualTo(Integer.toString(i));
        Frame payload = m.frame(1);
        assertThat(payload.size()).as("payload size of message %d", i).isEqualTo(SIZE);
        byte b = (byte) (i % 251);
        assertThat(new byte[] {payload.get(0), payload.get(SIZE / 2), payload.get(SIZE - 1)})
            .as("payload of message %d", i).containsOnly(b);
    }

    /** The largest size Linux lets a TCP buffer grow to (net.ipv4.tcp_rmem / tcp_wmem); 64 MiB if unknown. */
    private static long tcpBufferMax(String name) {
        try {
            // Line by line: Files.readString can come back short on /proc files, whose size reads as 0.
            String[] fields = Files.readAllLines(Path.of("/proc/sys/net/ipv4", name)).get(0).trim().split("\\s+");
            return Long.parseLong(fields[fields.length - 1]);
        } catch (IOException | RuntimeException e) {
            return 64L << 20;
        }
    }
}
