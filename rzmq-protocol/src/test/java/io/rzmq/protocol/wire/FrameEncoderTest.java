package io.rzmq.protocol.wire;

import io.rzmq.protocol.Frame;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.rzmq.protocol.wire.Bytes.of;
import static org.assertj.core.api.Assertions.assertThat;

class FrameEncoderTest {

    @Test
    void smallFramesOfManyMessagesShareOneSlice() {
        FrameEncoder e = new FrameEncoder();
        for (int i = 0; i < 100; i++) {
            e.writeFrame(Frame.of("m" + i), false);
        }
        assertThat(e.pendingBytes()).isEqualTo(100 * 2 + 10 * 2 + 90 * 3);
        List<Frame> out = e.takeOutput();
        assertThat(out).hasSize(1);
        assertThat(e.pendingBytes()).isZero();
        assertThat(e.takeOutput()).isEmpty();
    }

    @Test
    void shortAndLongHeaders() {
        FrameEncoder e = new FrameEncoder();
        e.writeFrame(Frame.of("ab"), true);
        e.writeFrame(Frame.wrap(new byte[255]), false);
        e.writeFrame(Frame.wrap(new byte[256]), false);
        e.writeCommand(Frame.of("\u0004PONG"));
        byte[] bytes = Bytes.concat(e.takeOutput());
        assertThat(java.util.Arrays.copyOfRange(bytes, 0, 4)).isEqualTo(of(0x01, 2, "ab"));
        assertThat(java.util.Arrays.copyOfRange(bytes, 4, 6)).isEqualTo(of(0x00, 255));
        assertThat(java.util.Arrays.copyOfRange(bytes, 261, 270)).isEqualTo(of(0x02, 0, 0, 0, 0, 0, 0, 1, 0));
        assertThat(java.util.Arrays.copyOfRange(bytes, 526, bytes.length)).isEqualTo(of(0x04, 5, 4, "PONG"));
    }

    @Test
    void largePayloadIsReferencedNotCopiedAndOrderIsKept() {
        byte[] big = new byte[FrameEncoder.COPY_THRESHOLD];
        FrameEncoder e = new FrameEncoder();
        e.writeFrame(Frame.of("before"), true);
        e.writeFrame(Frame.wrap(big), true);
        e.writeFrame(Frame.of("after"), false);
        List<Frame> out = e.takeOutput();
        assertThat(out).hasSize(3);
        assertThat(out.get(1).unsafeArray()).isSameAs(big);
        List<FrameDecoderTest.Decoded> frames = FrameDecoderTest.decodeAll(new FrameDecoder(-1), Bytes.concat(out), new int[0]);
        assertThat(frames).extracting(FrameDecoderTest.Decoded::payload)
            .containsExactly(Frame.of("before"), Frame.wrap(big), Frame.of("after"));
    }

    @Test
    void handedOutBytesAreNeverOverwritten() {
        FrameEncoder e = new FrameEncoder();
        e.writeFrame(Frame.of("first"), false);
        List<Frame> first = e.takeOutput();
        byte[] snapshot = Bytes.concat(first);
        for (int i = 0; i < 20_000; i++) {
            e.writeFrame(Frame.of("more bytes " + i), false);
        }
        assertThat(e.takeOutput().size()).isGreaterThan(1);
        assertThat(Bytes.concat(first)).isEqualTo(snapshot);
    }

    @Test
    void prefixedFrameIsTheZmtp30SubscriptionForm() {
        FrameEncoder e = new FrameEncoder();
        e.writePrefixedFrame(0, (byte) 1, Frame.of("news"));
        e.writePrefixedFrame(0, (byte) 0, Frame.of("news"));
        assertThat(Bytes.concat(e.takeOutput())).isEqualTo(of(0x00, 5, 1, "news", 0x00, 5, 0, "news"));
    }
}
