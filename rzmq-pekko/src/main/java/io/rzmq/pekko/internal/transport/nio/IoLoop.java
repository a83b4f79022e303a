package io.rzmq.pekko.internal.transport.nio;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One I/O thread, as libzmq's and JeroMQ's: a NIO selector loop that is also an executor. Used as the
 * executor of rzmq's dispatcher (see {@link IoLoopExecutorConfigurator}), it runs the socket, engine and
 * tcp connection actors <em>and</em> the non-blocking socket I/O on the same thread, so a message goes
 * from the application to the wire, and from the wire to the application, with one thread wake-up on
 * each side instead of a hop through a thread pool at every actor and Pekko IO's selector thread.
 *
 * <ul>
 *   <li>{@link #execute} from another thread queues the task and wakes the selector only if the loop is
 *   about to block in {@code select()} (one wake-up per idle-to-busy edge); from the loop itself it only
 *   queues. The wake-up is one byte written to a pipe the selector watches, not
 *   {@code Selector.wakeup()}: that holds a lock across its system call which the woken loop takes
 *   right away, so the loop blocked on it and had to be woken a second time (seen with strace as a
 *   futex hand-off per wake-up).</li>
 *   <li>Each turn runs the tasks queued so far (bounded, so ready channels are not starved), then selects:
 *   without blocking if more tasks wait, blocking otherwise.</li>
 * </ul>
 * A channel registered here is only ever touched on this thread.
 */
public final class IoLoop extends AbstractExecutorService {
    private static final Logger log = LoggerFactory.getLogger(IoLoop.class);
    private static final ThreadLocal<IoLoop> CURRENT = new ThreadLocal<>();

    /** Largest chunk one read hands to a connection's handler (as Pekko IO's direct-buffer-size). */
    static final int READ_CHUNK = 128 * 1024;
    /** Bytes copied into native memory per write system call. */
    static final int WRITE_CHUNK = 256 * 1024;
    /** Tasks run per turn before the loop looks at its channels again. */
    private static final int TASKS_PER_TURN = 1024;
    private static final byte[] WAKE_BYTE = {1};

    /**
     * What the loop calls when a registered channel is ready. Public for the runtime v2 transport seam
     * ({@code io.rzmq.pekko.internal.transport.loop}), which registers its channels through {@link #register}.
     */
    public interface Ready {
        void onReady(SelectionKey key);

        /** The loop is shutting down: close without telling anyone (they are gone or going). */
        void onShutdown();
    }

    private final Selector selector;
    /** Written by producers to wake the loop; its source end is registered with the selector. */
    private final Pipe.SinkChannel waker;
    private final Pipe.SourceChannel wakeups;
    private final ByteBuffer wakeupDrain = ByteBuffer.allocateDirect(64);
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** True while the loop is in (or about to enter) a blocking select: a producer must wake it. */
    private final AtomicBoolean sleeping = new AtomicBoolean();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private volatile boolean stopping;

    /** Scratch buffers, used only on the loop thread. */
    final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_CHUNK);
    final ByteBuffer writeBuffer = ByteBuffer.allocateDirect(WRITE_CHUNK);

    /** A loop on a thread made by {@code threads} (started here). */
    public IoLoop(ThreadFactory threads) {
        try {
            this.selector = Selector.open();
            Pipe pipe = Pipe.open();
            this.waker = pipe.sink();
            this.wakeups = pipe.source();
            waker.configureBlocking(false);
            wakeups.configureBlocking(false);
            wakeups.register(selector, SelectionKey.OP_READ, null);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot open a selector for the rzmq I/O loop", e);
        }
        this.thread = threads.newThread(this::loop);
        thread.start();
    }

    /** A loop on its own daemon thread named {@code name}. */
    public static IoLoop standalone(String name) {
        return new IoLoop(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** The loop whose thread is running the caller, or null. */
    public static IoLoop current() {
        return CURRENT.get();
    }

    Selector selector() {
        return selector;
    }

    boolean onLoopThread() {
        return Thread.currentThread() == thread;
    }

    /**
     * Really closes channels closed since the last select: a channel registered with a selector keeps its
     * file descriptor (a listener its port) until the selector has dropped its cancelled key. Loop thread,
     * outside the handling of ready keys.
     */
    void flushCancelledKeys() {
        try {
            selector.selectNow(); // keys it reports stay selected; the loop handles them next
        } catch (IOException | ClosedSelectorException e) {
            log.debug("rzmq I/O loop: flushing cancelled keys failed", e);
        }
    }

    /** Runs {@code task} now when called on the loop thread, else queues it (FIFO per caller). */
    void runOnLoop(Runnable task) {
        if (onLoopThread()) {
            task.run();
        } else {
            execute(task);
        }
    }

    @Override
    public void execute(Runnable task) {
        if (stopping && !thread.isAlive()) {
            return; // shut down: every channel is closed already
        }
        tasks.add(task);
        if (sleeping.get() && sleeping.compareAndSet(true, false)) {
            wake();
        }
    }

    private void wake() {
        try {
            waker.write(ByteBuffer.wrap(WAKE_BYTE)); // non-blocking: a full pipe already wakes the loop
        } catch (IOException | RuntimeException e) {
            log.debug("rzmq I/O loop: wake-up after close", e);
        }
    }

    private void drainWakeups() {
        try {
            int n;
            do {
                wakeupDrain.clear();
                n = wakeups.read(wakeupDrain);
            } while (n == wakeupDrain.capacity());
        } catch (IOException e) {
            log.debug("rzmq I/O loop: draining wake-ups failed", e);
        }
    }

    private void loop() {
        CURRENT.set(this);
        try {
            while (!stopping) {
                runTasks(TASKS_PER_TURN);
                if (stopping) {
                    break;
                }
                if (tasks.isEmpty()) {
                    sleeping.set(true);
                    // A producer that queued before it saw the flag is caught by this re-check.
                    if (tasks.isEmpty()) {
                        selector.select();
                    } else {
                        selector.selectNow();
                    }
                    sleeping.set(false);
                } else {
                    selector.selectNow();
                }
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey key = it.next();
                    it.remove();
                    if (key.channel() == wakeups) {
                        drainWakeups();
                    } else if (key.attachment() instanceof Ready r) {
                        try {
                            r.onReady(key);
                        } catch (RuntimeException e) {
                            log.error("rzmq I/O loop: unexpected failure handling {}", key.attachment(), e);
                        }
                    }
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            log.error("rzmq I/O loop failed; its connections stop working", e);
        } finally {
            runTasks(Integer.MAX_VALUE);
            closeAll();
            terminated.countDown();
        }
    }

    private void runTasks(int limit) {
        Runnable task;
        int n = 0;
        while (n++ < limit && (task = tasks.poll()) != null) {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error("rzmq I/O loop: task failed", e);
            }
        }
    }

    private void closeAll() {
        List<Ready> owners = new ArrayList<>();
        try {
            for (SelectionKey key : selector.keys()) {
                if (key.attachment() instanceof Ready r) {
                    owners.add(r);
                }
            }
        } catch (ClosedSelectorException ignored) {
            // nothing left to close
        }
        for (Ready r : owners) {
            try {
                r.onShutdown();
            } catch (RuntimeException e) {
                log.debug("rzmq I/O loop: close on shutdown failed", e);
            }
        }
        try {
            selector.close();
            waker.close();
            wakeups.close();
        } catch (IOException e) {
            log.debug("rzmq I/O loop: selector close failed", e);
        }
    }

    // ------------------------------------------------------------------ hooks for the v2 transport seam
    // Additive and public so io.rzmq.pekko.internal.transport.loop can serve its channels on this loop; they
    // change nothing for the code in this package.

    /** True when the caller runs on this loop's thread. */
    public boolean inLoop() {
        return onLoopThread();
    }

    /** The loop's thread (for checks that a callback ran where it should). */
    public Thread thread() {
        return thread;
    }

    /**
     * Registers {@code channel} (non-blocking) with this loop's selector, {@code ready} called when it is
     * ready for {@code ops}. Loop thread only: the key is then touched only here.
     */
    public SelectionKey register(java.nio.channels.SelectableChannel channel, int ops, Ready ready)
        throws java.nio.channels.ClosedChannelException {
        if (!onLoopThread()) {
            throw new IllegalStateException("register off the loop thread");
        }
        return channel.register(selector, ops, ready);
    }

    /**
     * The loop's direct read buffer, shared by every channel of this loop (one read at a time on the one
     * thread); a reader hands it on only for the duration of a call. Loop thread only.
     */
    public ByteBuffer sharedReadBuffer() {
        return readBuffer;
    }

    /** {@link #flushCancelledKeys()} for channels outside this package: frees a closed listener's port. */
    public void releaseCancelledKeys() {
        flushCancelledKeys();
    }

    // ------------------------------------------------------------------ ExecutorService

    @Override
    public void shutdown() {
        stopping = true;
        sleeping.set(true);
        execute(() -> { });
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown();
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return stopping;
    }

    @Override
    public boolean isTerminated() {
        return terminated.getCount() == 0;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return terminated.await(timeout, unit);
    }
}
