package io.rzmq.protocol.wire;

import io.rzmq.protocol.Frame;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The encoder's gather path: reusable buffer array in, how many bytes the kernel took back. */
class FrameEncoderGatherTest {

    /** What a kernel does with a gather write: takes up to {@code max} bytes from the buffers in order. */
    static long drain(ByteBuffer[] batch, int count, long max, ByteArrayOutputStream wire) {
        long took = 0;
        for (int i = 0; i < count && took < max; i++) {
            ByteBuffer b = batch[i];
            int n = (int) Math.min(b.remaining(), max - took);
            byte[] tmp = new byte[n];
            b.get(tmp);
            wire.writeBytes(tmp);
            took += n;
        }
        return took;
    }

    private static byte[] payload(int size, int seed) {
        byte[] p = new byte[size];
        new Random(seed).nextBytes(p);
        return p;
    }

    @Test
    void gatheredBytesAreTheFramesAndLargePayloadsAreNotCopied() {
        byte[] big = payload(FrameEncoder.COPY_THRESHOLD + 1, 1);
        FrameEncoder e = new FrameEncoder();
        FrameEncoder reference = new FrameEncoder();
        for (FrameEncoder x : List.of(e, reference)) {
            x.writeFrame(Frame.of("before"), true);
            x.writeFrame(Frame.wrap(big), true);
            x.writeFrame(Frame.of("after"), false);
        }
        ByteBuffer[] batch = new ByteBuffer[8];
        int count = e.gather(batch);
        assertThat(count).isEqualTo(3);
        assertThat(batch[1].array()).isSameAs(big);
        assertThat(batch[0].array()).isSameAs(batch[2].array());
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        long took = drain(batch, count, Long.MAX_VALUE, wire);
        assertThat(took).isEqualTo(e.pendingBytesLong());
        e.written(took);
        assertThat(e.pendingBytes()).isZero();
        assertThat(e.gather(batch)).isZero();
        assertThat(wire.toByteArray()).isEqualTo(Bytes.concat(reference.takeOutput()));
    }

    @Property(tries = 60)
    void partialWritesInterleavedWithNewFramesKeepTheStreamIntact(
        @ForAll @Size(min = 1, max = 60) List<@IntRange(min = 0, max = 20_000) Integer> sizes,
        @ForAll @Size(min = 1, max = 60) List<@IntRange(min = 0, max = 30_000) Integer> kernelTakes,
        @ForAll @IntRange(min = 1, max = 6) int batchLength) {
        FrameEncoder e = new FrameEncoder();
        FrameEncoder reference = new FrameEncoder();
        ByteBuffer[] batch = new ByteBuffer[batchLength];
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        int t = 0;
        for (int i = 0; i < sizes.size(); i++) {
            Frame f = Frame.wrap(payload(sizes.get(i), i));
            e.writeFrame(f, i % 4 != 3);
            reference.writeFrame(f, i % 4 != 3);
            // The kernel takes an arbitrary amount after some frames (0: the write is pending).
            if (i % 2 == 0) {
                int count = e.gather(batch);
                long took = drain(batch, count, kernelTakes.get(t++ % kernelTakes.size()), wire);
                e.written(took);
            }
        }
        while (e.pendingBytesLong() > 0) {
            int count = e.gather(batch);
            e.written(drain(batch, count, 7_777, wire));
        }
        assertThat(wire.toByteArray()).isEqualTo(Bytes.concat(reference.takeOutput()));
    }

    @Test
    void bytesInFlightAreNotOverwrittenByLaterFrames() {
        FrameEncoder e = new FrameEncoder();
        for (int i = 0; i < 5000; i++) {
            e.writeFrame(Frame.of("first " + i), false);
        }
        ByteBuffer[] inFlight = new ByteBuffer[64];
        int count = e.gather(inFlight);
        byte[] snapshot = snapshot(inFlight, count);
        // The write is pending (the stream holds the buffers): many more frames, several blocks' worth.
        for (int i = 0; i < 50_000; i++) {
            e.writeFrame(Frame.of("later frame " + i), false);
        }
        assertThat(snapshot(inFlight, count)).isEqualTo(snapshot);
    }

    private static byte[] snapshot(ByteBuffer[] batch, int count) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            ByteBuffer d = batch[i].duplicate();
            byte[] b = new byte[d.remaining()];
            d.get(b);
            out.writeBytes(b);
        }
        return out.toByteArray();
    }

    @Test
    void steadyStateReusesTheSameBlockAndViews() {
        FrameEncoder e = new FrameEncoder();
        ByteBuffer[] batch = new ByteBuffer[4];
        Frame msg = Frame.wrap(payload(64, 3));
        byte[] firstArray = null;
        ByteBuffer firstView = null;
        for (int round = 0; round < 100; round++) {
            for (int i = 0; i < 100; i++) {
                e.writeFrame(msg, false);
            }
            int count = e.gather(batch);
            // The first rounds grow the block (512 bytes doubling) until one batch fits.
            assertThat(count).isEqualTo(round < 5 ? count : 1);
            if (round == 5) {
                firstArray = batch[0].array();
                firstView = batch[0];
            } else if (round > 5) {
                assertThat(batch[0].array()).isSameAs(firstArray);
                assertThat(batch[0]).isSameAs(firstView);
                assertThat(batch[0].position()).isZero();
            }
            long all = 0;
            for (int i = 0; i < count; i++) {
                all += batch[i].remaining();
            }
            e.written(all);
        }
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void steadyStateFlushesAllocateNothing() {
        FrameEncoder e = new FrameEncoder();
        ByteBuffer[] batch = new ByteBuffer[16];
        Frame small = Frame.wrap(payload(64, 4));
        Runnable round = () -> {
            for (int i = 0; i < 20; i++) {
                e.writeFrame(small, i % 2 == 0);
            }
            int count = e.gather(batch);
            long all = 0;
            for (int i = 0; i < count; i++) {
                all += batch[i].remaining();
            }
            // Partial first, then the rest: both kinds of report.
            e.written(all / 3);
            e.written(all - all / 3);
        };
        for (int i = 0; i < 20_000; i++) {
            round.run(); // warm up (JIT, the blocks and views)
        }
        long before = allocatedBytes();
        for (int i = 0; i < 20_000; i++) {
            round.run();
        }
        long allocated = allocatedBytes() - before;
        // The takeOutput() path allocates a list and a Frame per flush (over 1 MB here).
        assertThat(allocated).as("bytes allocated by 20000 flushes").isLessThan(64 * 1024);
    }

    @Test
    void reservedFrameIsWrittenInPlace() {
        FrameEncoder e = new FrameEncoder();
        int at = e.reserveFrame(0, 5);
        System.arraycopy("hello".getBytes(), 0, e.reservedArray(), at, 5);
        e.writeFrame(Frame.of("x"), false);
        assertThat(Bytes.concat(e.takeOutput())).isEqualTo(Bytes.of(0x00, 5, "hello", 0x00, 1, "x"));
        assertThatThrownBy(() -> e.reserveFrame(0, FrameEncoder.COPY_THRESHOLD)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writtenMoreThanPendingIsRefused() {
        FrameEncoder e = new FrameEncoder();
        e.writeFrame(Frame.of("abc"), false);
        assertThatThrownBy(() -> e.written(6)).isInstanceOf(IllegalArgumentException.class);
        e.written(5);
        assertThat(Arrays.asList(new ByteBuffer[1]).size()).isEqualTo(1);
    }
}
