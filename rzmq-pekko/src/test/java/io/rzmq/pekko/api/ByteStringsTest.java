package io.rzmq.pekko.api;

import io.rzmq.pekko.Rzmq;
import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static io.rzmq.pekko.api.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ByteString <-> Frame/Msg: the right bytes always, and no copy where Pekko's API allows it. */
class ByteStringsTest {
    static final ActorTestKit testKit = ActorTestKit.create();

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aWholeArrayByteStringBecomesAFrameOverTheSameArray() {
        byte[] array = bytes("payload");
        ByteString bs = ByteString.fromArrayUnsafe(array);
        Frame f = ByteStrings.toFrame(bs);
        assertThat(f.unsafeArray()).isSameAs(array);
        assertThat(f.offset()).isZero();
        assertThat(f.size()).isEqualTo(array.length);
    }

    @Test
    void slicesAndConcatenationsAreCopiedWithTheRightBytes() {
        ByteString slice = ByteString.fromString("xxhelloyy").slice(2, 7);
        assertThat(ByteStrings.toFrame(slice).asString()).isEqualTo("hello");
        ByteString joined = ByteString.fromString("hel").concat(ByteString.fromString("lo"));
        assertThat(joined.isCompact()).isFalse();
        Frame f = ByteStrings.toFrame(joined);
        assertThat(f.asString()).isEqualTo("hello");
        assertThat(f.offset()).isZero();
        assertThat(f.unsafeArray()).hasSize(5); // exactly the bytes, no slack
        assertThat(ByteStrings.toFrame(ByteString.emptyByteString()).isEmpty()).isTrue();
    }

    @Test
    void aFrameBecomesAByteStringOverItsRangeWithoutCopying() {
        byte[] array = bytes("--frame--");
        Frame whole = Frame.wrap(array);
        ByteString bs = ByteStrings.toByteString(whole);
        assertThat(bs.toArrayUnsafe()).isSameAs(array);

        Frame slice = Frame.wrap(array, 2, 5);
        ByteString sliced = ByteStrings.toByteString(slice);
        assertThat(sliced.utf8String()).isEqualTo("frame");
        // Shared, not copied: a change to the array (never done outside this test) shows through.
        array[2] = 'F';
        assertThat(sliced.utf8String()).isEqualTo("Frame");
        assertThat(ByteStrings.toByteString(Frame.EMPTY).isEmpty()).isTrue();
    }

    @Test
    void messagesConvertFrameByFrame() {
        Msg m = ByteStrings.toMsg(ByteString.fromString("topic"), ByteString.emptyByteString(),
            ByteString.fromString("body"));
        assertThat(m).isEqualTo(Msg.of("topic", "", "body"));
        assertThat(ByteStrings.toByteStrings(m)).containsExactly(ByteString.fromString("topic"),
            ByteString.emptyByteString(), ByteString.fromString("body"));
        assertThat(ByteStrings.toMsg(List.of(ByteString.fromString("one")))).isEqualTo(Msg.of("one"));
        assertThatThrownBy(ByteStrings::toMsg).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void byteStringMessagesTravelOverTcp() {
        ZContext ctx = Rzmq.get(testKit.system()).newContext("bytestrings");
        try {
            ZSocket pull = ZSocket.create(ctx, SocketType.PULL);
            ZSocket push = ZSocket.create(ctx, SocketType.PUSH);
            result(push.connect(result(pull.bind("tcp://127.0.0.1:*"))));
            ByteString big = ByteString.fromArray(new byte[100_000]).concat(ByteString.fromString("end"));
            result(push.send(ByteStrings.toMsg(ByteString.fromString("head"), big)));
            List<ByteString> got = ByteStrings.toByteStrings(result(pull.receive()));
            assertThat(got).containsExactly(ByteString.fromString("head"), big);
        } finally {
            result(ctx.close(Duration.ZERO));
        }
    }
}
