package io.rzmq.protocol.wire;

import io.rzmq.protocol.Frame;
import io.rzmq.protocol.ZmtpException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.rzmq.protocol.wire.Bytes.of;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FrameDecoderTest {

    /** A decoded frame as comparable text: flags and payload. */
    record Decoded(boolean more, boolean command, Frame payload) {
    }

    static List<Decoded> decodeAll(FrameDecoder d, byte[] stream, int[] cuts) {
        List<Decoded> out = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : stream.length;
            byte[] chunk = java.util.Arrays.copyOfRange(stream, from, to);
            d.setInput(chunk, 0, chunk.length);
            while (d.next()) {
                out.add(new Decoded(d.more(), d.command(), d.frame()));
            }
            from = to;
        }
        return out;
    }

    /** A stream of frames of varied sizes (short and long forms) and flags. */
    static byte[] sampleStream() {
        FrameEncoder e = new FrameEncoder();
        Random r = new Random(42);
        int[] sizes = {0, 1, 5, 255, 256, 300, 9000, 0, 70_000, 3};
        for (int i = 0; i < sizes.length; i++) {
            byte[] p = new byte[sizes[i]];
            r.nextBytes(p);
            e.writeFrame(Frame.wrap(p), i % 3 == 0 && i < sizes.length - 1);
        }
        e.writeCommand(Commands.ping(10, Frame.of("ctx")));
        e.writeFrame(Frame.of("last"), false);
        return Bytes.concat(e.takeOutput());
    }

    static int[] everyByte(int n) {
        int[] cuts = new int[n - 1];
        for (int i = 1; i < n; i++) {
            cuts[i - 1] = i;
        }
        return cuts;
    }

    @Test
    void decodesShortAndLongFramesAndFlags() {
        byte[] stream = of(0x01, 2, "ab", 0x02, 0, 0, 0, 0, 0, 0, 0, 3, "cde", 0x04, 5, 4, "PONG", 0x00, 0);
        List<Decoded> frames = decodeAll(new FrameDecoder(-1), stream, new int[0]);
        assertThat(frames).containsExactly(
            new Decoded(true, false, Frame.of("ab")),
            new Decoded(false, false, Frame.of("cde")),
            new Decoded(false, true, Frame.wrap(of(4, "PONG"))),
            new Decoded(false, false, Frame.EMPTY));
    }

    @Test
    void frameInsideAChunkIsASliceOfIt() {
        byte[] chunk = of(0x00, 5, "hello", 0x00, 3, "abc");
        FrameDecoder d = new FrameDecoder(-1);
        d.setInput(chunk, 0, chunk.length);
        assertThat(d.next()).isTrue();
        assertThat(d.frame().unsafeArray()).isSameAs(chunk);
        assertThat(d.frame().offset()).isEqualTo(2);
        assertThat(d.frame().asString()).isEqualTo("hello");
        assertThat(d.next()).isTrue();
        assertThat(d.frame().unsafeArray()).isSameAs(chunk);
        assertThat(d.next()).isFalse();
    }

    @Test
    void oneByteAtATimeYieldsTheSameFrames() {
        byte[] stream = sampleStream();
        List<Decoded> whole = decodeAll(new FrameDecoder(-1), stream, new int[0]);
        assertThat(whole).hasSize(12);
        assertThat(decodeAll(new FrameDecoder(-1), stream, everyByte(stream.length))).isEqualTo(whole);
    }

    @Property(tries = 200)
    void anyChunkingYieldsTheSameFrames(@ForAll @Size(max = 30) List<@IntRange(min = 0, max = 100_000) Integer> rawCuts) {
        byte[] stream = sampleStream();
        int[] cuts = rawCuts.stream().mapToInt(c -> c % (stream.length + 1)).sorted().toArray();
        assertThat(decodeAll(new FrameDecoder(-1), stream, cuts)).isEqualTo(decodeAll(new FrameDecoder(-1), stream, new int[0]));
    }

    private static void assertFails(byte[] stream, long maxMsgSize, ZmtpException.Kind kind) {
        FrameDecoder d = new FrameDecoder(maxMsgSize);
        assertThatThrownBy(() -> decodeAll(d, stream, new int[0]))
            .isInstanceOfSatisfying(ZmtpException.class, e -> assertThat(e.kind()).isEqualTo(kind));
    }

    @Test
    void reservedFlagBitsAreRefused() {
        for (int bit = 3; bit < 8; bit++) {
            assertFails(of(1 << bit, 1, "x"), -1, ZmtpException.Kind.PROTOCOL);
        }
    }

    @Test
    void commandWithMoreIsRefused() {
        assertFails(of(0x05, 4, 4, "PING"), -1, ZmtpException.Kind.PROTOCOL);
    }

    @Test
    void commandInsideAMultipartMessageIsRefused() {
        assertFails(of(0x01, 1, "a", 0x04, 5, 4, "PONG"), -1, ZmtpException.Kind.PROTOCOL);
    }

    @Test
    void sizeAbove2To63IsAProtocolError() {
        assertFails(of(0x02, 0x80, 0, 0, 0, 0, 0, 0, 1), -1, ZmtpException.Kind.PROTOCOL);
        assertFails(of(0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF), -1, ZmtpException.Kind.PROTOCOL);
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void hugeDeclaredSizeIsRefusedWithoutAllocating() {
        byte[] twoTo40 = of(0x02, 0, 0, 0x01, 0, 0, 0, 0, 0, "some bytes");
        for (long limit : new long[] {1000, -1}) {
            FrameDecoder d = new FrameDecoder(limit);
            d.setInput(twoTo40, 0, twoTo40.length);
            long before = allocatedBytes();
            assertThatThrownBy(d::next)
                .isInstanceOfSatisfying(ZmtpException.class,
                    e -> assertThat(e.kind()).isEqualTo(ZmtpException.Kind.MESSAGE_TOO_LARGE));
            assertThat(allocatedBytes() - before).as("bytes allocated with limit " + limit).isLessThan(1 << 20);
        }
    }

    @Test
    void largeDeclaredFrameWithoutLimitGrowsOnlyWithArrivingBytes() {
        // 1.5 GiB declared, 100 bytes sent: the decoder must not allocate the declared size up front.
        long declared = 3L << 29;
        byte[] header = of(0x02, 0, 0, 0, 0, (int) (declared >>> 24) & 0xFF, (int) (declared >>> 16) & 0xFF,
            (int) (declared >>> 8) & 0xFF, (int) declared & 0xFF, new byte[100]);
        FrameDecoder d = new FrameDecoder(-1);
        d.setInput(header, 0, header.length);
        long before = allocatedBytes();
        assertThat(d.next()).isFalse();
        assertThat(d.inFrame()).isTrue();
        assertThat(allocatedBytes() - before).isLessThan(4L << 20);
    }

    @Test
    void largeSplitFrameIsAssembledCorrectly() {
        byte[] payload = new byte[(3 << 20) + 17];
        new Random(3).nextBytes(payload);
        FrameEncoder e = new FrameEncoder();
        e.writeFrame(Frame.wrap(payload), false);
        byte[] stream = Bytes.concat(e.takeOutput());
        int[] cuts = new int[200];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = 5 + i * (stream.length / 201);
        }
        List<Decoded> frames = decodeAll(new FrameDecoder(-1), stream, cuts);
        assertThat(frames).hasSize(1);
        assertThat(frames.get(0).payload().toByteArray()).isEqualTo(payload);
    }

    @Test
    void maxMessageSizeAppliesToTheWholeMessage() {
        // Two 6-byte frames of one message exceed 10; the second is refused at its header.
        assertFails(of(0x01, 6, "abcdef", 0x00, 6, "ghijkl"), 10, ZmtpException.Kind.MESSAGE_TOO_LARGE);
        // The same frames as two messages are fine, and a frame of exactly the limit too.
        assertThat(decodeAll(new FrameDecoder(10), of(0x00, 6, "abcdef", 0x00, 6, "ghijkl", 0x00, 10, "0123456789"), new int[] {3}))
            .hasSize(3);
        assertFails(of(0x00, 11, "0123456789X"), 10, ZmtpException.Kind.MESSAGE_TOO_LARGE);
    }

    @Test
    void setInputBeforeTheChunkIsUsedUpIsAnError() {
        FrameDecoder d = new FrameDecoder(-1);
        byte[] two = of(0x00, 1, "a", 0x00, 1, "b");
        d.setInput(two, 0, two.length);
        assertThat(d.next()).isTrue();
        assertThatThrownBy(() -> d.setInput(two, 0, 1)).isInstanceOf(IllegalStateException.class);
    }

    private static byte[] longHeader(int flags, long size) {
        byte[] h = new byte[9];
        h[0] = (byte) (flags | FrameDecoder.FLAG_LONG);
        for (int i = 0; i < 8; i++) {
            h[1 + i] = (byte) (size >>> (56 - 8 * i));
        }
        return h;
    }

    @Test
    void aSplitFrameHoldsOnlyTheBytesThatArrived() {
        // Defect 1: a header declaring 1 MiB used to allocate 1 MiB at once; now only what arrives is kept.
        FrameDecoder d = new FrameDecoder(-1);
        byte[] header = longHeader(0, 1 << 20);
        byte[] stream = Bytes.concat(java.util.List.of(Frame.wrap(header), Frame.wrap(new byte[20])));
        byte[][] trickle = new byte[10_000][];
        for (int i = 0; i < trickle.length; i++) {
            trickle[i] = new byte[] {(byte) i};
        }
        long before = allocatedBytes();
        d.setInput(stream, 0, stream.length);
        boolean done = d.next();
        long afterHeader = allocatedBytes() - before;
        long bufferedAfterHeader = d.bufferedBytes();
        // Trickled one byte at a time, it still grows only with what arrived.
        for (byte[] b : trickle) {
            d.setInput(b, 0, 1);
            done |= d.next();
        }
        long afterTrickle = allocatedBytes() - before;
        assertThat(done).isFalse();
        assertThat(bufferedAfterHeader).isLessThanOrEqualTo(9 + 64);
        assertThat(afterHeader).isLessThan(4096);
        assertThat(d.bufferedBytes()).isLessThan(10_020 + 9 + FrameDecoder.PIECE_MIN);
        assertThat(afterTrickle).isLessThan(64 * 1024);
    }

    @Test
    void aBodyThatArrivesInOneChunkIsKeptWithoutACopy() {
        FrameDecoder d = new FrameDecoder(-1);
        byte[] header = longHeader(0, 100_000);
        d.setInput(header, 0, header.length);
        assertThat(d.next()).isFalse();
        byte[] body = new byte[100_000];
        new Random(5).nextBytes(body);
        d.setInput(body, 0, body.length);
        assertThat(d.next()).isTrue();
        assertThat(d.frame().unsafeArray()).isSameAs(body);
        assertThat(d.bufferedBytes()).isZero();
    }

    @Test
    void beforeTheHandshakeAnyLargeFrameIsRefusedOnItsHeader() {
        for (int flags : new int[] {0, FrameDecoder.FLAG_COMMAND}) {
            FrameDecoder d = new FrameDecoder(-1);
            d.setHandshakeLimit(9 * 1024);
            byte[] header = longHeader(flags, 1 << 20);
            d.setInput(header, 0, header.length);
            assertThatThrownBy(d::next).isInstanceOfSatisfying(ZmtpException.class,
                e -> assertThat(e.kind()).isEqualTo(ZmtpException.Kind.PROTOCOL));
        }
        FrameDecoder ok = new FrameDecoder(-1);
        ok.setHandshakeLimit(10);
        byte[] small = of(0x04, 10, 5, "READY", "abcd");
        ok.setInput(small, 0, small.length);
        assertThat(ok.next()).isTrue();
        ok.setHandshakeLimit(-1);
        byte[] big = of(0x00, 11, "0123456789X");
        ok.setInput(big, 0, big.length);
        assertThat(ok.next()).isTrue();
    }

    @Test
    void emptyMoreFramesCountTowardsMaxMsgSize() {
        // Defect 5: six empty MORE frames (2 bytes each) pass no 10-byte payload yet exceed MAXMSGSIZE 10.
        assertFails(of(0x01, 0, 0x01, 0, 0x01, 0, 0x01, 0, 0x01, 0, 0x01, 0, 0x00, 0), 10,
            ZmtpException.Kind.MESSAGE_TOO_LARGE);
        // Five of them plus an empty last frame are exactly 10.
        assertThat(decodeAll(new FrameDecoder(10), of(0x01, 0, 0x01, 0, 0x01, 0, 0x01, 0, 0x01, 0, 0x00, 0),
            new int[0])).hasSize(6);
    }

    @Test
    void aMessageMayNotHaveMoreThanMaxFrames() {
        byte[] four = of(0x01, 0, 0x01, 0, 0x01, 0, 0x00, 0);
        assertThat(decodeAll(new FrameDecoder(-1, 4), four, new int[0])).hasSize(4);
        FrameDecoder d = new FrameDecoder(-1, 3);
        assertThatThrownBy(() -> decodeAll(d, four, new int[0])).isInstanceOfSatisfying(ZmtpException.class,
            e -> assertThat(e.kind()).isEqualTo(ZmtpException.Kind.MESSAGE_TOO_LARGE));
        // The count starts again with every message.
        byte[] twoMessages = of(0x01, 0, 0x01, 0, 0x00, 0, 0x01, 0, 0x01, 0, 0x00, 0);
        assertThat(decodeAll(new FrameDecoder(-1, 3), twoMessages, new int[0])).hasSize(6);
    }

    @Test
    void aCommandAfterAnEmptyMoreFrameIsRefused() {
        assertFails(of(0x01, 0, 0x04, 5, 4, "PONG"), -1, ZmtpException.Kind.PROTOCOL);
    }
}
