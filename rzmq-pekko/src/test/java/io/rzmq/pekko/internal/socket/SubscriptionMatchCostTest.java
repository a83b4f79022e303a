package io.rzmq.pekko.internal.socket;

import io.rzmq.pekko.internal.pipe.Pipe;
import io.rzmq.pekko.internal.pipe.PipeId;
import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Metadata;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import io.rzmq.protocol.connection.PeerInfo;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The cost of issue 12's defect 2 without a clock: matching against topics of 256 different lengths
 * used to slice (and hash) the message once per length, so it allocated per length per message. The
 * trie walks the bytes in place: a match, and PUB's fan-out, allocate nothing. (Speed itself is
 * measured in rzmq-benchmarks, not asserted here.)
 */
class SubscriptionMatchCostTest {
    private static final int ROUNDS = 20_000;

    /** Topic L (L = 1..256) is base[0, L) with its last byte changed: every length present, none matching base. */
    private static Frame[] topicsOfEveryLength(byte[] base) {
        Frame[] out = new Frame[256];
        for (int len = 1; len <= 256; len++) {
            byte[] t = Arrays.copyOf(base, len);
            t[len - 1] ^= 0x33;
            out[len - 1] = Frame.wrap(t);
        }
        return out;
    }

    private static byte[] base() {
        byte[] b = new byte[1024];
        new Random(5).nextBytes(b);
        return b;
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    private static void assumeAllocationCounting() {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
            && t.isThreadAllocatedMemorySupported() && t.isThreadAllocatedMemoryEnabled(), "no per-thread allocation counter");
    }

    @Test
    void matchingAKibibyteMessageAgainstTopicsOf256LengthsAllocatesNothing() {
        assumeAllocationCounting();
        byte[] base = base();
        SubscriptionSet set = new SubscriptionSet();
        for (Frame t : topicsOfEveryLength(base)) {
            set.add(t);
        }
        Frame miss = Frame.wrap(base);
        Frame hit = Frame.wrap(Arrays.copyOf(topicsOfEveryLength(base)[255].toByteArray(), 1024));
        int hits = 0;
        for (int i = 0; i < ROUNDS; i++) { // warm-up: let the JIT compile before counting
            hits += (set.matches(miss) ? 1 : 0) + (set.matches(hit) ? 1 : 0);
        }
        long before = allocatedBytes();
        for (int i = 0; i < ROUNDS; i++) {
            hits += (set.matches(miss) ? 1 : 0) + (set.matches(hit) ? 1 : 0);
        }
        long allocated = allocatedBytes() - before;
        assertThat(hits).isEqualTo(2 * ROUNDS);
        // The old set allocated 256 slices per miss (about 120 MB here); a few KB leave room for the counter itself.
        assertThat(allocated).as("bytes allocated by %d matches", 2 * ROUNDS).isLessThan(16 * 1024);
    }

    @Test
    void pubFanOutOverTopicsOf256LengthsAllocatesNothing() {
        assumeAllocationCounting();
        byte[] base = base();
        Distributor dist = new Distributor();
        PipeEntry[] pipes = new PipeEntry[4];
        Frame[] topics = topicsOfEveryLength(base);
        for (int p = 0; p < pipes.length; p++) {
            pipes[p] = new PipeEntry(PipeId.next(), new Pipe(1), new Pipe(1), "inproc://t",
                new PeerInfo(1, SocketType.SUB, Metadata.EMPTY, ""));
            dist.attach(pipes[p]);
            for (Frame t : topics) {
                dist.subscribe(pipes[p], t);
            }
        }
        dist.subscribe(pipes[0], Frame.wrap(Arrays.copyOf(base, 700))); // pipe 0 matches, at depth 700
        dist.subscribe(pipes[0], Frame.wrap(Arrays.copyOf(base, 3)));   // and again at depth 3: counted once
        Msg msg = Msg.ofFrames(Frame.wrap(base));
        assertThat(dist.send(msg)).isEqualTo(1);
        // From now on pipe 0 is full (HWM 1): each send walks the tree and drops there, nothing else.
        for (int i = 0; i < ROUNDS; i++) {
            dist.send(msg);
        }
        long before = allocatedBytes();
        for (int i = 0; i < ROUNDS; i++) {
            dist.send(msg);
        }
        long allocated = allocatedBytes() - before;
        assertThat(dist.droppedCount()).isEqualTo(2L * ROUNDS);
        assertThat(allocated).as("bytes allocated by %d sends", ROUNDS).isLessThan(16 * 1024);
    }
}
