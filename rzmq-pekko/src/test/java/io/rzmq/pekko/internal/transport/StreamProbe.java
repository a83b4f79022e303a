package io.rzmq.pekko.internal.transport;

import io.rzmq.pekko.internal.transport.ByteStream;
import io.rzmq.pekko.internal.transport.ByteStreamHandler;
import io.rzmq.pekko.internal.transport.ConnectHandler;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A handler that records what a stream tells it: events in order (received data counted, and kept when
 * asked), and every callback that ran off the stream's loop thread.
 */
public class StreamProbe implements ByteStreamHandler, ConnectHandler {
    public static final Duration DEADLINE = Duration.ofSeconds(30);

    public final LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
    public final CompletableFuture<ByteStream> connected = new CompletableFuture<>();
    public final AtomicLong received = new AtomicLong();
    public final List<String> offLoop = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream kept;
    public volatile ByteStream stream;
    public volatile IOException failure;

    public StreamProbe(boolean keepData) {
        this.kept = keepData ? new ByteArrayOutputStream() : null;
    }

    /** Starts {@code s} with this probe (from any thread). */
    public StreamProbe startOn(ByteStream s) {
        stream = s;
        s.start(this);
        return this;
    }

    private void checkThread(String what) {
        ByteStream s = stream;
        if (s == null || !s.loop().inLoop()) {
            offLoop.add(what + " on " + Thread.currentThread().getName());
        }
    }

    /** Called on the loop with the bytes just received (a copy is kept when asked); override to react. */
    protected void data(ByteBuffer data) {
        if (kept != null) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            synchronized (kept) {
                kept.write(b, 0, b.length);
            }
        }
    }

    public byte[] keptBytes() {
        synchronized (kept) {
            return kept.toByteArray();
        }
    }

    @Override
    public void onReceived(ByteBuffer data) {
        checkThread("onReceived");
        received.addAndGet(data.remaining());
        data(data);
    }

    @Override
    public void onFlushed() {
        checkThread("onFlushed");
        events.add("flushed");
    }

    @Override
    public void onPeerClosed() {
        checkThread("onPeerClosed");
        events.add("peerClosed");
    }

    @Override
    public void onFailed(IOException cause) {
        checkThread("onFailed");
        failure = cause;
        events.add("failed");
    }

    @Override
    public void onClosed() {
        checkThread("onClosed");
        events.add("closed");
    }

    @Override
    public void onConnected(ByteStream s) {
        stream = s;
        checkThread("onConnected");
        connected.complete(s);
    }

    @Override
    public void onConnectFailed(IOException cause) {
        failure = cause;
        connected.completeExceptionally(cause);
    }

    /** The next event; fails after the deadline. */
    public String next() throws InterruptedException {
        String e = events.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        if (e == null) {
            throw new AssertionError("no stream event within " + DEADLINE);
        }
        return e;
    }

    public ByteStream awaitConnected() throws Exception {
        return connected.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }

    // ------------------------------------------------------------------ helpers for tests

    /** Waits until {@code condition} holds (polled), failing after the deadline. */
    public static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within " + DEADLINE + ": " + what);
            }
            Thread.sleep(5); // polling a condition, not waiting for time to pass
        }
    }

    /** Runs {@code work} on {@code s}'s loop and returns its result. */
    public static <T> T onLoop(ByteStream s, Supplier<T> work) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        s.loop().execute(() -> {
            try {
                f.complete(work.get());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        try {
            return f.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw e;
        } catch (TimeoutException e) {
            throw new AssertionError("loop task did not run within " + DEADLINE);
        }
    }

    public static void onLoop(ByteStream s, Runnable work) throws Exception {
        onLoop(s, () -> {
            work.run();
            return null;
        });
    }

    /** Byte {@code i} of the test pattern (not periodic in powers of two, so a lost or repeated chunk shows). */
    public static byte pattern(long i) {
        return (byte) ((i * 31 + (i >>> 13)) % 251);
    }

    /** {@code total} bytes of the pattern as heap slices of {@code slice} bytes each (the last may be shorter). */
    public static ByteBuffer[] patternSlices(long total, int slice) {
        int n = (int) ((total + slice - 1) / slice);
        ByteBuffer[] out = new ByteBuffer[n];
        long at = 0;
        for (int i = 0; i < n; i++) {
            int len = (int) Math.min(slice, total - at);
            byte[] b = new byte[len + 16];
            for (int j = 0; j < len; j++) {
                b[8 + j] = pattern(at + j);
            }
            out[i] = ByteBuffer.wrap(b, 8, len); // slices of larger arrays, as an encoder's payload views are
            at += len;
        }
        return out;
    }
}
