package io.rzmq.pekko.internal.transport.ipc;

import org.newsclub.net.unix.AFUNIXSelectorProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one thread that owns every ipc:// channel of an actor system: it runs junixsocket's selector, and
 * does all accepts, connects, reads, writes, interest changes and closes. Actors never touch a channel;
 * they hand work over with {@link #execute}, and the selector thread answers them with messages. So no
 * actor blocks, and a channel is only ever used by one thread (junixsocket's selection keys are not
 * thread-safe).
 */
final class IpcSelector {
    private static final Logger log = LoggerFactory.getLogger(IpcSelector.class);

    /** Largest chunk one read hands to a connection's handler (as Pekko IO's direct-buffer-size). */
    static final int READ_CHUNK = 128 * 1024;
    /** Bytes copied into native memory per write system call. */
    static final int WRITE_CHUNK = 256 * 1024;

    /** What the selector thread calls when a registered channel is ready. */
    interface Ready {
        void onReady(SelectionKey key);

        /** The selector is shutting down: close without telling anyone who is gone anyway. */
        void onShutdown();
    }

    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private volatile boolean stopping;

    /** Scratch buffers, used only on the selector thread. */
    final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_CHUNK);
    final ByteBuffer writeBuffer = ByteBuffer.allocateDirect(WRITE_CHUNK);

    IpcSelector(String name) throws IOException {
        this.selector = AFUNIXSelectorProvider.provider().openSelector();
        this.thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    Selector selector() {
        return selector;
    }

    /** Runs {@code task} on the selector thread, soon (FIFO per caller). */
    void execute(Runnable task) {
        if (!thread.isAlive()) {
            return; // shut down: every channel is closed already
        }
        tasks.add(task);
        // One wake-up per batch of tasks: the loop clears the flag before it drains the queue.
        if (wakeupPending.compareAndSet(false, true)) {
            try {
                selector.wakeup();
            } catch (RuntimeException e) {
                log.debug("ipc selector: wake-up after close", e);
            }
        }
    }

    boolean onSelectorThread() {
        return Thread.currentThread() == thread;
    }

    /** Closes every channel (removing socket files of live binds) and ends the thread. */
    void shutdown() {
        stopping = true;
        execute(() -> { });
    }

    private void loop() {
        try {
            while (!stopping) {
                wakeupPending.set(false);
                runTasks();
                if (stopping) {
                    break;
                }
                selector.select();
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey key = it.next();
                    it.remove();
                    // Invalid keys too: junixsocket marks a hung-up channel's key invalid, and its owner must see it.
                    if (key.attachment() instanceof Ready r) {
                        try {
                            r.onReady(key);
                        } catch (RuntimeException e) {
                            log.error("ipc selector: unexpected failure handling {}", key.attachment(), e);
                        }
                    }
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            log.error("ipc selector failed; ipc:// connections of this actor system stop working", e);
        } finally {
            runTasks(); // closes and unbinds the actors asked for while stopping
            closeAll();
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error("ipc selector: task failed", e);
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
                log.debug("ipc selector: close on shutdown failed", e);
            }
        }
        try {
            selector.close();
        } catch (IOException e) {
            log.debug("ipc selector: close failed", e);
        }
    }
}
