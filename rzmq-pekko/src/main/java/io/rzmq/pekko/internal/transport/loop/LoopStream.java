package io.rzmq.pekko.internal.transport.loop;

import io.rzmq.pekko.internal.transport.ByteStream;
import io.rzmq.pekko.internal.transport.ByteStreamHandler;
import io.rzmq.pekko.internal.transport.Loop;
import io.rzmq.pekko.internal.transport.PeerAddress;
import io.rzmq.pekko.internal.transport.nio.IoLoop;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * A {@link ByteStream} on an {@link IoLoop}: one JDK {@link SocketChannel}, tcp or Unix-domain, touched only on
 * its loop's thread.
 *
 * <ul>
 *   <li>Reads are level-triggered: OP_READ is registered while reading is allowed; each readiness reads up to
 *   {@link #READS_PER_TURN} chunks into the loop's shared direct buffer and hands each to the handler.</li>
 *   <li>Writes are gather writes of the caller's buffers, tried at once; what the kernel does not take waits
 *   for OP_WRITE. Each system call is given at most {@link #MAX_IOV} buffers and {@link #MAX_BYTES_PER_CALL}
 *   bytes: the JDK copies a heap buffer's <em>whole</em> remaining range into a temporary direct buffer on
 *   every write, so handing it a 64 MiB slice that the kernel takes 2 MiB of would copy 64 MiB per call.</li>
 *   <li>Terminal callbacks are always queued on the loop, so they never run inside a call of the user.</li>
 * </ul>
 */
final class LoopStream implements ByteStream, IoLoop.Ready {
    /** Chunks read per readiness before other channels get their turn. */
    static final int READS_PER_TURN = 4;
    /** Buffers per gather write (Linux's IOV_MAX). */
    static final int MAX_IOV = 1024;
    /** Bytes offered to the kernel per write call (more than a loopback socket's send buffer takes at once). */
    static final int MAX_BYTES_PER_CALL = 1 << 20;

    private final LoopHandle loop;
    private final SocketChannel channel;
    private final boolean tcp;
    private final PeerAddress peer;
    private SelectionKey key;
    private ByteStreamHandler handler;

    private boolean readingSuspended;
    private boolean peerClosed;
    private boolean closing;
    private boolean outputShut;
    private boolean closed;

    /** The pending write: {@code pending[first..end)}, null when none. */
    private ByteBuffer[] pending;
    private int first;
    private int end;
    private IOException writeFailure;

    /** A stream whose loop count was taken already; {@code key} null until registered. */
    LoopStream(LoopHandle loop, SocketChannel channel, boolean tcp, PeerAddress peer, SelectionKey key) {
        this.loop = loop;
        this.channel = channel;
        this.tcp = tcp;
        this.peer = peer;
        this.key = key;
        if (key != null) {
            key.attach(this);
            key.interestOps(0);
        }
    }

    /** Registers (without interest) so the loop's shutdown closes it even if nobody ever starts it. Loop thread. */
    void register() {
        if (key != null || closed) {
            return;
        }
        try {
            key = loop.io().register(channel, 0, this);
        } catch (IOException | RuntimeException e) {
            finish(e instanceof IOException io ? io : new IOException(e.toString(), e));
        }
    }

    // ------------------------------------------------------------------ ByteStream

    @Override
    public void start(ByteStreamHandler h) {
        if (!loop.inLoop()) {
            loop.execute(() -> start(h));
            return;
        }
        if (handler != null) {
            throw new IllegalStateException("started twice");
        }
        handler = h;
        register();
        updateInterest();
    }

    @Override
    public boolean write(ByteBuffer[] batch, int count) {
        checkLoop();
        if (pending != null) {
            throw new IllegalStateException("a write is pending: wait for onFlushed");
        }
        if (closing || closed) {
            return false;
        }
        pending = batch;
        first = 0;
        end = count;
        int r = flush();
        if (r < 0) {
            finish(writeFailure);
            return false;
        }
        if (r > 0) {
            return true;
        }
        updateInterest();
        return false;
    }

    @Override
    public boolean writePending() {
        return pending != null;
    }

    @Override
    public void suspendReading() {
        checkLoop();
        readingSuspended = true;
        updateInterest();
    }

    @Override
    public void resumeReading() {
        checkLoop();
        readingSuspended = false;
        updateInterest();
    }

    @Override
    public void closeGracefully() {
        checkLoop();
        if (closing || closed) {
            return;
        }
        closing = true;
        continueClose();
    }

    @Override
    public void abort() {
        checkLoop();
        if (closed) {
            return;
        }
        if (tcp) {
            try {
                channel.setOption(StandardSocketOptions.SO_LINGER, 0); // close sends RST, drops the send queue
            } catch (IOException | RuntimeException ignored) {
                // closing anyway
            }
        }
        finish(null);
    }

    @Override
    public PeerAddress peer() {
        return peer;
    }

    @Override
    public Loop loop() {
        return loop;
    }

    // ------------------------------------------------------------------ readiness (loop thread)

    @Override
    public void onReady(SelectionKey k) {
        if (closed || !k.isValid()) {
            return;
        }
        if (k.isWritable() && pending != null) {
            int r = flush();
            if (r < 0) {
                finish(writeFailure);
                return;
            }
            if (r > 0) {
                if (closing) {
                    continueClose();
                } else {
                    updateInterest();
                    handler.onFlushed();
                }
            }
        }
        if (!closed && k.isValid() && k.isReadable()) {
            read();
        }
    }

    @Override
    public void onShutdown() {
        if (!closed) {
            closed = true;
            closeChannel();
        }
    }

    private void read() {
        ByteBuffer buf = loop.io().sharedReadBuffer();
        for (int i = 0; i < READS_PER_TURN; i++) {
            if (closed || (!closing && (handler == null || readingSuspended || peerClosed))) {
                return;
            }
            buf.clear();
            int n;
            try {
                n = channel.read(buf);
            } catch (IOException e) {
                finish(e);
                return;
            }
            if (n < 0) {
                endOfStream();
                return;
            }
            if (n == 0) {
                return;
            }
            if (!closing) {
                buf.flip();
                handler.onReceived(buf);
            } // closing: discarded, we only wait for the peer's end
            if (n < buf.capacity()) {
                return; // took what the kernel had; the selector says when there is more
            }
        }
    }

    private void endOfStream() {
        peerClosed = true;
        if (closing) {
            continueClose();
            return;
        }
        updateInterest();
        handler.onPeerClosed();
    }

    /** Closing: flush, then shut output down, then wait for the peer's end, then close. */
    private void continueClose() {
        if (pending != null) {
            updateInterest(); // wait for room, reading (and discarding) meanwhile
            return;
        }
        if (!outputShut) {
            try {
                channel.shutdownOutput();
            } catch (IOException e) {
                finish(e);
                return;
            }
            outputShut = true;
        }
        if (peerClosed || key == null) {
            finish(null);
            return;
        }
        updateInterest();
    }

    // ------------------------------------------------------------------ internals

    /** Writes what the kernel takes: 1 all done (pending cleared), 0 waiting for room, -1 failed. */
    private int flush() {
        ByteBuffer[] b = pending;
        try {
            while (true) {
                while (first < end && !b[first].hasRemaining()) {
                    first++;
                }
                if (first == end) {
                    pending = null;
                    return 1;
                }
                int last = first;
                long offered = 0;
                int clamped = -1;
                int savedLimit = 0;
                while (last < end && last - first < MAX_IOV && offered < MAX_BYTES_PER_CALL) {
                    ByteBuffer x = b[last];
                    int r = x.remaining();
                    if (offered + r > MAX_BYTES_PER_CALL) {
                        clamped = last;
                        savedLimit = x.limit();
                        int take = (int) (MAX_BYTES_PER_CALL - offered);
                        x.limit(x.position() + take);
                        r = take;
                    }
                    offered += r;
                    last++;
                }
                long written;
                try {
                    written = channel.write(b, first, last - first);
                } finally {
                    if (clamped >= 0) {
                        b[clamped].limit(savedLimit);
                    }
                }
                if (written < offered) {
                    return 0;
                }
            }
        } catch (IOException e) {
            writeFailure = e;
            return -1;
        }
    }

    private void updateInterest() {
        if (closed || key == null || !key.isValid()) {
            return;
        }
        int ops = 0;
        if (handler != null && !peerClosed && (closing || !readingSuspended)) {
            ops |= SelectionKey.OP_READ;
        }
        if (pending != null) {
            ops |= SelectionKey.OP_WRITE;
        }
        if (key.interestOps() != ops) {
            key.interestOps(ops);
        }
    }

    /** Closes; then (queued) onClosed, or onFailed with {@code cause}. */
    private void finish(IOException cause) {
        if (closed) {
            return;
        }
        closed = true;
        pending = null;
        closeChannel();
        loop.execute(() -> {
            ByteStreamHandler h = handler;
            if (h == null) {
                return;
            }
            if (cause == null) {
                h.onClosed();
            } else {
                h.onFailed(cause);
            }
        });
    }

    private void closeChannel() {
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closed anyway
        }
        loop.release();
    }

    private void checkLoop() {
        if (!loop.inLoop()) {
            throw new IllegalStateException("ByteStream used off its loop thread: " + Thread.currentThread().getName());
        }
    }

    @Override
    public String toString() {
        return "LoopStream(" + peer + " on loop " + loop.index() + ")";
    }
}
