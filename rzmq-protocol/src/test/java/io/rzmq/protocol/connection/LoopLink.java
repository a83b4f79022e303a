package io.rzmq.protocol.connection;

import java.nio.ByteBuffer;

/**
 * Moves bytes between two connections the way the v2 loop does: gather writes out of
 * {@link ZmtpConnection#gatherOutput} into a "kernel" that takes at most {@code window} bytes per write,
 * reads into one shared direct buffer per side (scribbled over after every read), and reads straight into
 * {@link ZmtpConnection#bodyDestination()} when the connection offers one.
 */
final class LoopLink {
    final ZmtpConnection a;
    final ZmtpConnection b;
    private final int window;
    private final ByteBuffer[] batch = new ByteBuffer[64];
    private final ByteBuffer readA;
    private final ByteBuffer readB;
    /** Bytes that went straight into a body destination. */
    long directBytes;

    LoopLink(ZmtpConnection a, ZmtpConnection b, int window) {
        this.a = a;
        this.b = b;
        this.window = window;
        this.readA = ByteBuffer.allocateDirect(window);
        this.readB = ByteBuffer.allocateDirect(window);
    }

    /** Shuttles until neither side has anything to send or can take nothing more. */
    void pump() {
        for (int round = 0; round < 1_000_000; round++) {
            boolean moved = move(a, b, readB) | move(b, a, readA);
            if (!moved) {
                return;
            }
        }
        throw new AssertionError("connections never went quiet");
    }

    /** One gather write of {@code from} and the reads of {@code to}; true if bytes moved. */
    private boolean move(ZmtpConnection from, ZmtpConnection to, ByteBuffer read) {
        if (to.isPaused()) {
            return false;
        }
        int count = from.gatherOutput(batch);
        if (count == 0) {
            return false;
        }
        long budget = window;
        long took = 0;
        for (int i = 0; i < count && budget > 0; i++) {
            ByteBuffer src = batch[i];
            while (src.hasRemaining() && budget > 0) {
                ByteBuffer direct = to.bodyDestination();
                if (direct != null) {
                    int n = (int) Math.min(Math.min(src.remaining(), direct.remaining()), budget);
                    ByteBuffer part = src.duplicate();
                    part.limit(part.position() + n);
                    direct.put(part);
                    src.position(src.position() + n);
                    directBytes += n;
                    took += n;
                    budget -= n;
                    to.bodyReceived(n);
                } else {
                    int n = (int) Math.min(Math.min(src.remaining(), read.capacity()), budget);
                    ByteBuffer part = src.duplicate();
                    part.limit(part.position() + n);
                    read.clear();
                    read.put(part).flip();
                    src.position(src.position() + n);
                    took += n;
                    budget -= n;
                    to.receive(read);
                    scribble(read);
                }
                if (to.isPaused()) {
                    budget = 0;
                }
            }
        }
        from.outputWritten(took);
        return took > 0;
    }

    static void scribble(ByteBuffer b) {
        b.clear();
        for (int i = 0; i < b.capacity(); i++) {
            b.put(i, (byte) 0x5A);
        }
    }
}
