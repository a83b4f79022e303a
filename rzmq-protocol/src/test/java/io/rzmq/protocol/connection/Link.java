package io.rzmq.protocol.connection;

import io.rzmq.protocol.Frame;

import java.io.ByteArrayOutputStream;
import java.util.List;

/** Moves output between two in-memory connections until both are quiet. */
final class Link {
    private Link() {
    }

    /** Concatenates a connection's pending output into one array (a fresh copy). */
    static byte[] drain(ZmtpConnection c) {
        List<Frame> out = c.takeOutput();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (Frame f : out) {
            bytes.write(f.unsafeArray(), f.offset(), f.size());
        }
        return bytes.toByteArray();
    }

    /** Shuttles bytes both ways until neither side has anything to send; chunkSize 0 = whole batches. */
    static void pump(ZmtpConnection a, ZmtpConnection b, int chunkSize) {
        for (int round = 0; round < 10_000; round++) {
            byte[] ab = drain(a);
            byte[] ba = drain(b);
            if (ab.length == 0 && ba.length == 0) {
                return;
            }
            feed(b, ab, chunkSize);
            feed(a, ba, chunkSize);
        }
        throw new AssertionError("connections never went quiet");
    }

    static void feed(ZmtpConnection c, byte[] bytes, int chunkSize) {
        if (bytes.length == 0) {
            return;
        }
        if (chunkSize <= 0) {
            c.receive(bytes, 0, bytes.length);
            return;
        }
        for (int p = 0; p < bytes.length; p += chunkSize) {
            int n = Math.min(chunkSize, bytes.length - p);
            byte[] chunk = new byte[n];
            System.arraycopy(bytes, p, chunk, 0, n);
            c.receive(chunk, 0, n);
        }
    }
}
