package io.rzmq.pekko.internal.transport;

import java.nio.ByteBuffer;

/**
 * One byte-stream connection (tcp or ipc). Not thread-safe: every method except {@link #start} must be
 * called on the stream's {@link #loop()} thread (checked: a call from elsewhere throws
 * IllegalStateException, since it would corrupt the stream's state silently). Callbacks arrive on the same
 * thread (see {@link ByteStreamHandler}).
 *
 * <p>Writes are bounded by construction: at most one batch is pending at a time. The user fills its next
 * batch while one is pending and writes it after {@link ByteStreamHandler#onFlushed()} (libzmq's out-batch).
 */
public interface ByteStream {
    /**
     * Sets the handler and starts reading. Callable from any thread (it hops onto the loop); call it once.
     * Nothing is read, and no callback made, before it.
     */
    void start(ByteStreamHandler handler);

    /**
     * Gathers {@code batch[0..count)} (their position..limit) to the wire without copying them into a write
     * buffer of ours. Returns true when the kernel took every byte now: the buffers may be reused at once and
     * no {@code onFlushed} follows. Returns false when some bytes wait for room: the stream keeps the array
     * and buffers (do not touch them) and calls {@code onFlushed} once all are in the kernel, or a terminal
     * callback instead if the stream ends first. Also false, with nothing written, once the stream is closing
     * or closed (its terminal callback is the answer).
     *
     * @throws IllegalStateException if a write is still pending (one at a time)
     */
    boolean write(ByteBuffer[] batch, int count);

    /** True while a write waits for room in the kernel. */
    boolean writePending();

    /** Stops reading (back-pressure): the kernel's buffer fills and the peer's sends block. */
    void suspendReading();

    /** Reads again after {@link #suspendReading()}. */
    void resumeReading();

    /**
     * Flushes the pending write, shuts the output down (the peer reads end of stream), discards input until
     * the peer's end of stream (so that closing cannot turn into a reset that destroys data in flight),
     * closes, then {@code onClosed}. After this call only the terminal callback follows (no
     * {@code onReceived}, no {@code onFlushed}). The wait for the peer is not
     * bounded here: its user bounds it (linger) by calling {@link #abort()}.
     */
    void closeGracefully();

    /** Closes at once, dropping queued bytes; tcp sends a reset (SO_LINGER 0). {@code onClosed} follows. */
    void abort();

    /** Who is at the other end. */
    PeerAddress peer();

    /** The loop this stream lives on. */
    Loop loop();
}
