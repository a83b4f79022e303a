package io.rzmq.pekko.api;

import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Msg;
import org.apache.pekko.util.ByteString;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Conversions between Pekko's {@link ByteString} and rzmq's {@link Frame} / {@link Msg} (rzmq-protocol does
 * not depend on Pekko, so they live here). Both types are immutable byte views, so the conversions share
 * bytes instead of copying wherever Pekko's API allows:
 * <ul>
 *   <li>ByteString to Frame: no copy when the ByteString is one whole array (what {@code ByteString.fromArray},
 *   {@code ByteString.fromString}, {@code compact()} and Pekko IO's reads produce); a slice of an array, or a
 *   concatenation of several, is copied once into a fresh array of exactly its size (Pekko does not expose
 *   a slice's array and offset).</li>
 *   <li>Frame to ByteString: never a copy ({@code ByteString.fromArrayUnsafe} over the frame's range).</li>
 * </ul>
 * The shared arrays must not be modified afterwards by anyone, which both libraries already require.
 */
public final class ByteStrings {
    private ByteStrings() {
    }

    /** A frame with the bytes of {@code bytes}; shares its array when it is one whole array (see above). */
    public static Frame toFrame(ByteString bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.isEmpty()) {
            return Frame.EMPTY;
        }
        // Returns the backing array itself for a compact whole-array ByteString, else a copy of exactly its bytes.
        return Frame.wrap(bytes.toArrayUnsafe());
    }

    /** A message with one frame per ByteString, in order. */
    public static Msg toMsg(ByteString... parts) {
        if (parts.length == 0) {
            throw new IllegalArgumentException("a message has at least one frame");
        }
        Frame[] frames = new Frame[parts.length];
        for (int i = 0; i < parts.length; i++) {
            frames[i] = toFrame(parts[i]);
        }
        return Msg.ofFrames(frames);
    }

    /** A message with one frame per ByteString, in order. */
    public static Msg toMsg(List<ByteString> parts) {
        return toMsg(parts.toArray(new ByteString[0]));
    }

    /** The frame's bytes as a ByteString, sharing the frame's array (no copy). */
    public static ByteString toByteString(Frame frame) {
        Objects.requireNonNull(frame, "frame");
        if (frame.isEmpty()) {
            return ByteString.emptyByteString();
        }
        return ByteString.fromArrayUnsafe(frame.unsafeArray(), frame.offset(), frame.size());
    }

    /** One ByteString per frame of {@code msg}, in order, sharing the frames' arrays. */
    public static List<ByteString> toByteStrings(Msg msg) {
        List<ByteString> out = new ArrayList<>(msg.frameCount());
        for (int i = 0; i < msg.frameCount(); i++) {
            out.add(toByteString(msg.frame(i)));
        }
        return out;
    }
}
