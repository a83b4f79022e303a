package io.rzmq.benchmarks.codec;

import io.rzmq.protocol.Frame;
import io.rzmq.protocol.wire.FrameDecoder;
import io.rzmq.protocol.wire.FrameEncoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * One message of {@code size} bytes encoded, moved through a simulated socket and decoded, per operation.
 * The "kernel" is a 256 KiB array: the sender's output is copied into it as a gather write would, the
 * receiver's reads copy out of it, at most 128 KiB per read. Both paths pay those two copies; what differs
 * is what rzmq adds around them.
 * <ul>
 *   <li>{@code arrays} (today's engine): {@link FrameEncoder#takeOutput()} (a list of slices per flush),
 *   every read into a fresh array (the decoder keeps frames as slices of it; a frame spanning reads is
 *   joined by one more copy).</li>
 *   <li>{@code buffers} (the v2 loop): {@link FrameEncoder#gather} into a reused array of buffers and
 *   {@link FrameEncoder#written}; reads into one reused direct buffer, frames copied out into exact
 *   arrays; a large body read straight into its own array ({@link FrameDecoder#bodyDestination()}).</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class CodecBenchmark {
    private static final int KERNEL = 256 * 1024;
    private static final int READ = 128 * 1024;

    @Param({"64", "1024", "65536", "10485760"})
    public int size;

    private Frame payload;
    private final byte[] kernel = new byte[KERNEL];
    private int kernelLen;

    private FrameEncoder arrayEncoder;
    private FrameDecoder arrayDecoder;

    private FrameEncoder bufferEncoder;
    private FrameDecoder bufferDecoder;
    private final ByteBuffer[] batch = new ByteBuffer[64];
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ);

    @Setup
    public void setUp() {
        byte[] p = new byte[size];
        new Random(1).nextBytes(p);
        payload = Frame.wrap(p);
        arrayEncoder = new FrameEncoder();
        arrayDecoder = new FrameDecoder(-1);
        bufferEncoder = new FrameEncoder();
        bufferDecoder = new FrameDecoder(-1);
    }

    @Benchmark
    public Frame arrays() {
        arrayEncoder.writeFrame(payload, false);
        List<Frame> out = arrayEncoder.takeOutput();
        Frame got = null;
        for (Frame slice : out) {
            int at = 0;
            while (at < slice.size()) {
                int n = Math.min(slice.size() - at, KERNEL - kernelLen);
                System.arraycopy(slice.unsafeArray(), slice.offset() + at, kernel, kernelLen, n);
                kernelLen += n;
                at += n;
                if (kernelLen == KERNEL) {
                    got = readArrays(got);
                }
            }
        }
        return readArrays(got);
    }

    private Frame readArrays(Frame got) {
        for (int at = 0; at < kernelLen; ) {
            int n = Math.min(READ, kernelLen - at);
            byte[] chunk = new byte[n];
            System.arraycopy(kernel, at, chunk, 0, n);
            at += n;
            arrayDecoder.setInput(chunk, 0, n);
            while (arrayDecoder.next()) {
                got = arrayDecoder.frame();
            }
        }
        kernelLen = 0;
        return got;
    }

    @Benchmark
    public Frame buffers() {
        FrameEncoder e = bufferEncoder;
        e.writeFrame(payload, false);
        Frame got = null;
        while (e.pendingBytesLong() > 0) {
            int count = e.gather(batch);
            long took = 0;
            for (int i = 0; i < count && kernelLen < KERNEL; i++) {
                ByteBuffer b = batch[i];
                int n = Math.min(b.remaining(), KERNEL - kernelLen);
                b.get(kernel, kernelLen, n);
                kernelLen += n;
                took += n;
            }
            e.written(took);
            got = readBuffers(got);
        }
        return got;
    }

    private Frame readBuffers(Frame got) {
        FrameDecoder d = bufferDecoder;
        for (int at = 0; at < kernelLen; ) {
            ByteBuffer body = d.bodyDestination();
            int n;
            if (body != null) {
                n = Math.min(body.remaining(), kernelLen - at);
                body.put(kernel, at, n);
                d.bodyWritten(n);
            } else {
                n = Math.min(READ, kernelLen - at);
                readBuffer.clear();
                readBuffer.put(kernel, at, n).flip();
                d.setInput(readBuffer);
            }
            at += n;
            while (d.next()) {
                got = d.frame();
            }
        }
        kernelLen = 0;
        return got;
    }
}
