package io.rzmq.protocol;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * An immutable multipart ZeroMQ message: one or more frames, delivered whole or not at all, plus the
 * connection's properties (peer address, User-Id from ZAP, peer metadata) on received messages.
 */
public final class Msg {
    private final Frame[] frames;
    private final Metadata properties;

    private Msg(Frame[] frames, Metadata properties) {
        if (frames.length == 0) {
            throw new IllegalArgumentException("a message has at least one frame");
        }
        this.frames = frames;
        this.properties = properties;
    }

    /** Takes ownership of the array (no copy). */
    public static Msg ofFrames(Frame... frames) {
        for (Frame f : frames) {
            Objects.requireNonNull(f, "frame");
        }
        return new Msg(frames, Metadata.EMPTY);
    }

    /**
     * Takes ownership of the array (no copy) and attaches {@code properties}: what a connection uses for
     * every received message, to build it with one allocation.
     */
    public static Msg ofFrames(Metadata properties, Frame... frames) {
        for (Frame f : frames) {
            Objects.requireNonNull(f, "frame");
        }
        return new Msg(frames, Objects.requireNonNull(properties, "properties"));
    }

    public static Msg ofFrames(List<Frame> frames) {
        return ofFrames(frames.toArray(new Frame[0]));
    }

    public static Msg of(Frame frame) {
        return new Msg(new Frame[] {Objects.requireNonNull(frame, "frame")}, Metadata.EMPTY);
    }

    /** One frame per string, UTF-8. */
    public static Msg of(String... parts) {
        Frame[] fs = new Frame[parts.length];
        for (int i = 0; i < parts.length; i++) {
            fs[i] = Frame.of(parts[i]);
        }
        return new Msg(fs, Metadata.EMPTY);
    }

    /** One frame per array, each wrapped without copying. */
    public static Msg of(byte[]... parts) {
        Frame[] fs = new Frame[parts.length];
        for (int i = 0; i < parts.length; i++) {
            fs[i] = Frame.wrap(parts[i]);
        }
        return new Msg(fs, Metadata.EMPTY);
    }

    public int frameCount() {
        return frames.length;
    }

    public Frame frame(int index) {
        return frames[index];
    }

    public Frame first() {
        return frames[0];
    }

    public Frame last() {
        return frames[frames.length - 1];
    }

    public List<Frame> frames() {
        return Collections.unmodifiableList(Arrays.asList(frames));
    }

    /** Sum of all frame sizes. */
    public long byteSize() {
        long n = 0;
        for (Frame f : frames) {
            n += f.size();
        }
        return n;
    }

    public Metadata properties() {
        return properties;
    }

    /** A copy carrying the given properties (the frames are shared, not copied). */
    public Msg withProperties(Metadata props) {
        return props == properties ? this : new Msg(frames, props);
    }

    /** A new message with {@code frame} in front (the envelope pattern of ROUTER and REQ). */
    public Msg prepend(Frame frame) {
        Frame[] fs = new Frame[frames.length + 1];
        fs[0] = frame;
        System.arraycopy(frames, 0, fs, 1, frames.length);
        return new Msg(fs, properties);
    }

    /** A new message without the first {@code n} frames; at least one frame must remain. */
    public Msg dropFirst(int n) {
        return new Msg(Arrays.copyOfRange(frames, n, frames.length), properties);
    }

    /** The first frame as UTF-8 text. */
    public String firstString() {
        return frames[0].asString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Msg other && Arrays.equals(frames, other.frames);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(frames);
    }

    @Override
    public String toString() {
        return "Msg" + Arrays.toString(frames);
    }
}
