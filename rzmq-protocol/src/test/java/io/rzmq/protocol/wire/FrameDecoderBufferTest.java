package io.rzmq.protocol.wire;

import io.rzmq.protocol.Frame;
import io.rzmq.protocol.ZmtpException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static io.rzmq.protocol.wire.Bytes.of;
import static io.rzmq.protocol.wire.FrameDecoderTest.Decoded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The decoder's buffer input: the loop's shared read buffer, valid only during the call. */
class FrameDecoderBufferTest {

    /**
     * Feeds {@code stream} cut at {@code cuts} through ONE reused buffer, as the loop does, and scribbles
     * over the buffer after every chunk: a frame that still referred to it would change.
     */
    static List<Decoded> decodeThroughSharedBuffer(FrameDecoder d, byte[] stream, int[] cuts, boolean direct) {
        ByteBuffer shared = direct ? ByteBuffer.allocateDirect(stream.length + 16) : ByteBuffer.allocate(stream.length + 16);
        List<Decoded> out = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : stream.length;
            shared.clear();
            shared.position(i % 7); // not always at 0: positions are honoured
            shared.put(stream, from, to - from);
            shared.flip();
            shared.position(i % 7);
            d.setInput(shared);
            while (d.next()) {
                out.add(new Decoded(d.more(), d.command(), d.frame()));
            }
            assertThat(d.remaining()).isZero();
            scribble(shared);
            from = to;
        }
        return out;
    }

    static void scribble(ByteBuffer b) {
        b.clear();
        for (int i = 0; i < b.capacity(); i++) {
            b.put(i, (byte) 0x5A);
        }
    }

    @Test
    void framesInsideTheBufferAreExactSizeCopies() {
        byte[] stream = of(0x00, 5, "hello", 0x01, 3, "abc", 0x00, 0);
        FrameDecoder d = new FrameDecoder(-1);
        List<Decoded> frames = decodeThroughSharedBuffer(d, stream, new int[0], true);
        assertThat(frames).containsExactly(
            new Decoded(false, false, Frame.of("hello")),
            new Decoded(true, false, Frame.of("abc")),
            new Decoded(false, false, Frame.EMPTY));
        // One exact-size array each: no staging array, no slice of something larger.
        assertThat(frames.get(0).payload().unsafeArray()).hasSize(5);
        assertThat(frames.get(1).payload().unsafeArray()).hasSize(3);
        assertThat(frames.get(0).payload().offset()).isZero();
    }

    @Property(tries = 200)
    void anySplitOfAnyStreamThroughASharedBufferYieldsTheArrayPathsFrames(
        @ForAll @Size(max = 40) List<@IntRange(min = 0, max = 200_000) Integer> rawCuts, @ForAll boolean direct) {
        byte[] stream = FrameDecoderTest.sampleStream();
        int[] cuts = rawCuts.stream().mapToInt(c -> c % (stream.length + 1)).sorted().toArray();
        List<Decoded> expected = FrameDecoderTest.decodeAll(new FrameDecoder(-1), stream, new int[0]);
        assertThat(decodeThroughSharedBuffer(new FrameDecoder(-1), stream, cuts, direct)).isEqualTo(expected);
    }

    @Test
    void oneByteAtATimeThroughASharedBuffer() {
        byte[] stream = FrameDecoderTest.sampleStream();
        List<Decoded> expected = FrameDecoderTest.decodeAll(new FrameDecoder(-1), stream, new int[0]);
        assertThat(decodeThroughSharedBuffer(new FrameDecoder(-1), stream, FrameDecoderTest.everyByte(stream.length), false))
            .isEqualTo(expected);
    }

    /** A decoder that has already received {@code credit} bytes (one frame of that size). */
    private static FrameDecoder withCredit(int credit) {
        FrameDecoder d = new FrameDecoder(-1);
        FrameEncoder e = new FrameEncoder();
        e.writeFrame(Frame.wrap(new byte[credit]), false);
        byte[] warm = Bytes.concat(e.takeOutput());
        d.setInput(ByteBuffer.wrap(warm));
        assertThat(d.next()).isTrue();
        return d;
    }

    private static byte[] frameBytes(byte[] payload) {
        FrameEncoder e = new FrameEncoder();
        e.writeFrame(Frame.wrap(payload), false);
        return Bytes.concat(e.takeOutput());
    }

    @Test
    void aSpanningFrameWithCreditGetsItsOwnArrayAtItsHeader() {
        byte[] payload = new byte[1000];
        new Random(1).nextBytes(payload);
        byte[] stream = frameBytes(payload);
        FrameDecoder d = withCredit(2000);
        ByteBuffer shared = ByteBuffer.allocateDirect(4096);
        shared.put(stream, 0, 100).flip();
        d.setInput(shared);
        assertThat(d.next()).isFalse();
        // header (9 bytes: LONG form) + the whole exact-size body array
        assertThat(d.bufferedBytes()).isEqualTo(9 + 1000);
        scribble(shared);
        for (int from = 100; from < stream.length; from += 300) {
            shared.clear();
            shared.put(stream, from, Math.min(300, stream.length - from)).flip();
            d.setInput(shared);
            boolean done = d.next();
            assertThat(done).isEqualTo(from + 300 >= stream.length);
            scribble(shared);
        }
        assertThat(d.frame().toByteArray()).isEqualTo(payload);
        assertThat(d.frame().unsafeArray()).hasSize(1000);
        assertThat(d.bufferedBytes()).isZero();
    }

    @Test
    void withoutCreditASpanningFrameHoldsOnlyWhatArrived() {
        // A fresh connection whose peer declares 1 MiB: what we hold follows what arrived (issue 12).
        FrameDecoder d = new FrameDecoder(-1);
        byte[] header = of(0x02, 0, 0, 0, 0, 0, 0x10, 0, 0);
        d.setInput(ByteBuffer.wrap(of(header, new byte[20])));
        assertThat(d.next()).isFalse();
        assertThat(d.bufferedBytes()).isLessThanOrEqualTo(9 + 64);
        long fed = 29;
        ByteBuffer shared = ByteBuffer.allocateDirect(10_000);
        for (int i = 0; i < 50; i++) {
            shared.clear();
            shared.limit(997);
            d.setInput(shared);
            assertThat(d.next()).isFalse();
            fed += 997;
            assertThat(d.bufferedBytes()).isLessThanOrEqualTo(fed + FrameDecoder.PIECE_MIN);
        }
        assertThat(d.bodyDestination()).isNull();
    }

    @Test
    void aLargeFramesBodyIsReadStraightIntoItsOwnArray() {
        int size = 3 * FrameDecoder.DIRECT_READ_MIN + 5;
        byte[] payload = new byte[size];
        new Random(7).nextBytes(payload);
        byte[] stream = frameBytes(payload);
        FrameDecoder d = withCredit(size);
        ByteBuffer shared = ByteBuffer.allocateDirect(FrameDecoder.DIRECT_READ_MIN + 1000);
        shared.put(stream, 0, 1000).flip();
        assertThat(d.bodyDestination()).isNull(); // between frames
        d.setInput(shared);
        assertThat(d.next()).isFalse();
        int at = 1000;
        // The transport reads the rest in pieces straight into the frame's array.
        while (true) {
            ByteBuffer dst = d.bodyDestination();
            if (dst == null) {
                break;
            }
            assertThat(dst.remaining()).isEqualTo(stream.length - at);
            int n = Math.min(dst.remaining(), 40_000);
            dst.put(stream, at, n);
            at += n;
            d.bodyWritten(n);
            boolean done = d.next();
            assertThat(done).isEqualTo(at == stream.length);
            if (done) {
                break;
            }
        }
        if (at < stream.length) {
            // Under DIRECT_READ_MIN to go: the ordinary path finishes it.
            shared.clear();
            shared.put(stream, at, stream.length - at).flip();
            d.setInput(shared);
            assertThat(d.next()).isTrue();
        }
        assertThat(d.frame().toByteArray()).isEqualTo(payload);
        assertThat(d.frame().unsafeArray()).hasSize(size);
    }

    @Test
    void noBodyDestinationForSmallRestsOrUnusedInputOrArrayInput() {
        FrameDecoder d = withCredit(1 << 20);
        byte[] big = frameBytes(new byte[FrameDecoder.DIRECT_READ_MIN + 100]);
        // 200 bytes short of the end: too little left to read directly.
        ByteBuffer b = ByteBuffer.wrap(big, 0, big.length - 200);
        d.setInput(b);
        assertThat(d.next()).isFalse();
        assertThat(d.bodyDestination()).isNull();
        assertThatThrownBy(() -> new FrameDecoder(-1).bodyWritten(1)).isInstanceOf(IllegalStateException.class);

        // Array input keeps the old path (slices, pieces): no own array, no destination.
        FrameDecoder a = new FrameDecoder(-1);
        a.setInput(big, 0, 100);
        assertThat(a.next()).isFalse();
        assertThat(a.bodyDestination()).isNull();
    }

    @Test
    void detachedInputSurvivesTheBuffer() {
        byte[] stream = of(0x00, 1, "a", 0x00, 2, "bc", 0x00, 3, "def");
        ByteBuffer shared = ByteBuffer.allocateDirect(64);
        shared.put(stream).flip();
        FrameDecoder d = new FrameDecoder(-1);
        d.setInput(shared);
        assertThat(d.next()).isTrue();
        // The caller pauses here; the buffer is reused for the next read.
        d.detachInput();
        scribble(shared);
        assertThat(d.remaining()).isEqualTo(stream.length - 3);
        assertThat(d.next()).isTrue();
        assertThat(d.frame().asString()).isEqualTo("bc");
        assertThat(d.next()).isTrue();
        assertThat(d.frame().asString()).isEqualTo("def");
        assertThat(d.next()).isFalse();
    }

    @Test
    void limitsHoldOnTheBufferPath() {
        FrameDecoder d = new FrameDecoder(10);
        d.setInput(ByteBuffer.wrap(of(0x01, 6, "abcdef", 0x00, 6, "ghijkl")));
        assertThat(d.next()).isTrue();
        assertThatThrownBy(d::next).isInstanceOfSatisfying(ZmtpException.class,
            e -> assertThat(e.kind()).isEqualTo(ZmtpException.Kind.MESSAGE_TOO_LARGE));

        FrameDecoder h = new FrameDecoder(-1);
        h.setHandshakeLimit(100);
        h.setInput(ByteBuffer.wrap(of(0x04, 101)));
        assertThatThrownBy(h::next).isInstanceOfSatisfying(ZmtpException.class,
            e -> assertThat(e.kind()).isEqualTo(ZmtpException.Kind.PROTOCOL));

        FrameDecoder f = new FrameDecoder(-1, 2);
        f.setInput(ByteBuffer.wrap(of(0x01, 0, 0x01, 0, 0x00, 0)));
        assertThat(f.next()).isTrue();
        assertThat(f.next()).isTrue();
        assertThatThrownBy(f::next).isInstanceOfSatisfying(ZmtpException.class,
            e -> assertThat(e.kind()).isEqualTo(ZmtpException.Kind.MESSAGE_TOO_LARGE));
    }

    @Test
    void aSmallFrameSpanningReadsIsOneArrayFilledOnce() {
        // With credit: the body array is the frame's array (no staging array on top, no final join).
        FrameDecoder d = withCredit(100);
        byte[] stream = of(0x00, 10, "0123456789");
        byte[][] parts = {Arrays.copyOfRange(stream, 0, 4), Arrays.copyOfRange(stream, 4, 9), Arrays.copyOfRange(stream, 9, 12)};
        d.setInput(ByteBuffer.wrap(parts[0]));
        assertThat(d.next()).isFalse();
        assertThat(d.bufferedBytes()).isEqualTo(2 + 10);
        d.setInput(ByteBuffer.wrap(parts[1]));
        assertThat(d.next()).isFalse();
        assertThat(d.bufferedBytes()).isEqualTo(2 + 10);
        d.setInput(ByteBuffer.wrap(parts[2]));
        assertThat(d.next()).isTrue();
        assertThat(d.frame().asString()).isEqualTo("0123456789");
        assertThat(d.frame().unsafeArray()).hasSize(10);
    }
}
