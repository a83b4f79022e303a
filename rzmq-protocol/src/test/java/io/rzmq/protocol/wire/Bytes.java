package io.rzmq.protocol.wire;

import io.rzmq.protocol.Frame;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Test helpers to write byte fixtures readably. */
public final class Bytes {
    private Bytes() {
    }

    /** Concatenates ints (as single bytes) and strings (as ASCII). */
    public static byte[] of(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof Integer i) {
                out.write(i);
            } else if (p instanceof String s) {
                out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
            } else if (p instanceof byte[] b) {
                out.writeBytes(b);
            } else {
                throw new IllegalArgumentException(String.valueOf(p));
            }
        }
        return out.toByteArray();
    }

    public static byte[] zeros(int n) {
        return new byte[n];
    }

    public static byte[] concat(List<Frame> slices) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Frame f : slices) {
            out.write(f.unsafeArray(), f.offset(), f.size());
        }
        return out.toByteArray();
    }

    /** The wire bytes of one command frame (short form) with the given body. */
    public static byte[] commandFrame(Frame body) {
        FrameEncoder e = new FrameEncoder();
        e.writeCommand(body);
        return concat(e.takeOutput());
    }
}
