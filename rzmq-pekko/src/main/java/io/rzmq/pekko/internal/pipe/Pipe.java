package io.rzmq.pekko.internal.pipe;

import io.rzmq.protocol.Msg;
import org.jctools.queues.SpscArrayQueue;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * One direction of a ZeroMQ pipe between two actors (a SocketCore and an Engine, or two SocketCores
 * over inproc): a bounded lock-free single-producer single-consumer queue of items ({@code Msg} or a
 * pipe command), holding at most {@code hwm} items.
 *
 * <p>Actors never block on it. Instead each end registers a wake-up (typically "tell myself X"):
 * the reader's wake-up runs once when an item arrives while the reader had found the pipe empty; the
 * writer's wake-up runs once when room appears (the pipe drops to half its HWM) after the writer had
 * found it full. So a busy pipe costs no actor message per item, only one per idle-to-busy edge.
 *
 * <p>A <em>conflating</em> pipe (CONFLATE, see {@link #of(int, boolean)}) keeps only the latest {@link Msg}:
 * a message offered replaces the one not yet read, so offers of messages always succeed and the HWM does
 * not apply to them. Other items (pipe commands such as subscriptions) still queue, bounded by the HWM,
 * and are read before the latest message.
 *
 * <p>Exactly one writer and one reader at a time; an actor is one thread at a time, which is enough.
 */
public final class Pipe {
    private static final Runnable NONE = () -> { };
    private static final VarHandle READER_WAKEUP;
    private static final VarHandle WRITER_WAKEUP;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            READER_WAKEUP = l.findVarHandle(Pipe.class, "readerWakeup", Runnable.class);
            WRITER_WAKEUP = l.findVarHandle(Pipe.class, "writerWakeup", Runnable.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final SpscArrayQueue<Object> queue;
    private final int hwm;
    private final int lowWater;

    // Plain counters each owned by one side, published so the other side can compute the size.
    private volatile long written;
    private volatile long read;

    private final AtomicBoolean readerAsleep = new AtomicBoolean(false);
    private final AtomicBoolean writerBlocked = new AtomicBoolean(false);
    private volatile Runnable readerWakeup = NONE;
    private volatile Runnable writerWakeup = NONE;
    private volatile boolean writerClosed;
    private volatile boolean readerClosed;
    // Set by abortWrite: what is still queued must never reach the reader (LINGER 0).
    private volatile boolean discarded;
    // CONFLATE: the latest message not yet read (null when none, or when the pipe does not conflate).
    private final AtomicReference<Object> latest;
    // Set by the reader when the writer's peer broke a limit (see refuse): the writer drops its connection.
    private volatile String refusal;

    /** @param hwm the high-water mark in items, at least 1 */
    public Pipe(int hwm) {
        this(hwm, false);
    }

    private Pipe(int hwm, boolean conflate) {
        if (hwm < 1) {
            throw new IllegalArgumentException("pipe high-water mark must be at least 1, was " + hwm);
        }
        this.hwm = hwm;
        this.lowWater = Math.max(hwm / 2, 0);
        this.queue = new SpscArrayQueue<>(Math.max(hwm, 2));
        this.latest = conflate ? new AtomicReference<>() : null;
    }

    /**
     * A pipe of {@code hwm} items; when {@code conflate}, one that keeps only the latest message (CONFLATE)
     * and queues only pipe commands up to the HWM.
     */
    public static Pipe of(int hwm, boolean conflate) {
        return new Pipe(hwm, conflate);
    }

    public boolean isConflating() {
        return latest != null;
    }

    public int hwm() {
        return hwm;
    }

    /** Approximate number of queued items (exact when read from either end's own thread). */
    public int size() {
        return (int) (written - read) + (latest != null && latest.get() != null ? 1 : 0);
    }

    public boolean isEmpty() {
        return written == read && (latest == null || latest.get() == null);
    }

    /** Called by the reader: what to run when data arrives after the reader found the pipe empty. */
    public void onReadable(Runnable wakeup) {
        this.readerWakeup = wakeup;
    }

    /** Called by the writer: what to run when room appears after the writer found the pipe full. */
    public void onWritable(Runnable wakeup) {
        this.writerWakeup = wakeup;
    }

    /**
     * A reader that stops while the pipe lives on (an engine of a reconnecting session) takes its wake-up
     * back, so nothing is sent to a stopped actor; a wake-up another reader set since is kept.
     */
    public void releaseReadable(Runnable wakeup) {
        READER_WAKEUP.compareAndSet(this, wakeup, NONE);
    }

    /** As {@link #releaseReadable} for the writer's wake-up. */
    public void releaseWritable(Runnable wakeup) {
        WRITER_WAKEUP.compareAndSet(this, wakeup, NONE);
    }

    // ---------------------------------------------------------------- writer side

    /** True when one more item would exceed the HWM (the writer should stop and wait for its wake-up). */
    public boolean isFull() {
        return written - read >= hwm;
    }

    /**
     * Queues {@code item} unless the pipe is at its HWM or closed. On false the writer's wake-up will
     * run once room appears (unless the reader closed the pipe).
     */
    public boolean offer(Object item) {
        if (readerClosed || writerClosed) {
            return false;
        }
        if (latest != null && item instanceof Msg) {
            // Replaces the unread message, if any; the reader's wake-up is armed only when it found nothing.
            latest.set(item);
            if (readerAsleep.get() && readerAsleep.compareAndSet(true, false)) {
                readerWakeup.run();
            }
            return true;
        }
        if (written - read >= hwm) {
            writerBlocked.set(true);
            // Re-check after announcing: the reader may have made room before it saw the flag.
            if (written - read >= hwm || !writerBlocked.compareAndSet(true, false)) {
                return false;
            }
        }
        queue.offer(item);
        written = written + 1;
        if (readerAsleep.get() && readerAsleep.compareAndSet(true, false)) {
            readerWakeup.run();
        }
        return true;
    }

    /** The writer is done: the reader sees {@link #isFinished()} once it has drained what is queued. */
    public void closeWrite() {
        writerClosed = true;
        writerWakeup = NONE; // the writer is done: room appearing is news to nobody
        if (readerAsleep.compareAndSet(true, false)) {
            readerWakeup.run();
        }
    }

    /**
     * The writer is done and what it queued must not be delivered (LINGER 0): the reader sees the pipe
     * finished at once and {@link #poll()} returns nothing more.
     */
    public void abortWrite() {
        discarded = true;
        closeWrite();
    }

    /** True when the reader has gone away: further offers are refused. */
    public boolean isReaderClosed() {
        return readerClosed;
    }

    // ---------------------------------------------------------------- reader side

    /**
     * The next item, or null when empty. Null arms the reader's wake-up: it runs once when the next item
     * arrives (or the writer closes).
     */
    public Object poll() {
        if (discarded) {
            return null;
        }
        Object item = queue.poll();
        if (item == null && latest != null) {
            item = latest.getAndSet(null);
            if (item != null) {
                return item; // not counted: the counters track queued commands only
            }
        }
        if (item == null) {
            readerAsleep.set(true);
            // Re-check after announcing: the writer may have queued before it saw the flag.
            item = queue.poll();
            if (item == null && latest != null) {
                item = latest.getAndSet(null);
                if (item != null) {
                    readerAsleep.set(false);
                    return item;
                }
            }
            if (item == null) {
                return null;
            }
            readerAsleep.set(false);
        }
        read = read + 1;
        if (writerBlocked.get() && written - read <= lowWater && writerBlocked.compareAndSet(true, false)) {
            writerWakeup.run();
        }
        return item;
    }

    /**
     * Arms the reader's wake-up without taking anything, as an empty {@link #poll()} does: the next item, or
     * the writer closing, runs it once. A reader that has not polled yet (a pipe just attached) uses it so that
     * a peer that closes without sending is noticed; with items queued it only costs one spurious wake-up.
     */
    public void armReadable() {
        readerAsleep.set(true);
    }

    /** The next item without removing it, or null (does not arm the wake-up). */
    public Object peek() {
        if (discarded) {
            return null;
        }
        Object item = queue.peek();
        return item == null && latest != null ? latest.get() : item;
    }

    /**
     * Polls up to {@code limit} items into {@code consumer} while it returns true; returns how many
     * were taken. An empty pipe arms the reader's wake-up as {@link #poll()} does.
     */
    public int drain(Predicate<Object> consumer, int limit) {
        int n = 0;
        while (n < limit) {
            Object item = poll();
            if (item == null) {
                break;
            }
            n++;
            if (!consumer.test(item)) {
                break;
            }
        }
        return n;
    }

    /**
     * The reader refuses what the writer's peer sent (it broke a limit, e.g. too many subscriptions): the
     * writer (a transport's engine) should drop that connection and report {@code reason}. Wakes the
     * writer. The pipe itself lives on (a connect-side pipe gets a new connection; see {@link #refusal}).
     */
    public void refuse(String reason) {
        refusal = reason;
        writerWakeup.run();
    }

    /** Why the reader refused the current connection's input, or null. */
    public String refusal() {
        return refusal;
    }

    /** A new writer (a new connection behind the pipe) starts with a clean slate. */
    public void clearRefusal() {
        refusal = null;
    }

    /** The writer closed and everything it wrote has been read. */
    public boolean isFinished() {
        return writerClosed && (discarded || (queue.isEmpty() && (latest == null || latest.get() == null)));
    }

    public boolean isWriteClosed() {
        return writerClosed;
    }

    /** The reader is done: queued items are dropped, the writer's offers fail and its wake-up runs. */
    public void closeRead() {
        readerClosed = true;
        readerWakeup = NONE; // the reader is done (its actor may stop): never wake it again
        queue.clear();
        if (latest != null) {
            latest.set(null);
        }
        read = written;
        if (writerBlocked.compareAndSet(true, false)) {
            writerWakeup.run();
        }
    }
}
