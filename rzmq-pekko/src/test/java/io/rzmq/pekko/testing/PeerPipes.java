package io.rzmq.pekko.testing;

import io.rzmq.pekko.internal.pipe.Pipe;
import io.rzmq.pekko.internal.pipe.PipeId;
import io.rzmq.pekko.internal.transport.TransportEvent;
import io.rzmq.protocol.Msg;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The socket's ends of one attached pipe pair, driven from the test thread (the only writer of
 * {@code toPeer} and the only reader of {@code fromPeer}); waits on the pipes' wake-ups, with deadlines.
 */
public final class PeerPipes {
    public final TransportEvent.PipeAttached attached;
    private final Pipe toPeer;
    private final Pipe fromPeer;
    private final Semaphore readable = new Semaphore(0);
    private final Semaphore writable = new Semaphore(0);

    PeerPipes(TransportEvent.PipeAttached attached) {
        this.attached = attached;
        this.toPeer = attached.toPeer();
        this.fromPeer = attached.fromPeer();
        toPeer.onWritable(writable::release);
        fromPeer.onReadable(readable::release);
    }

    /** The socket's ends of an attached pair (wake-ups are taken over by this object). */
    public static PeerPipes of(TransportEvent.PipeAttached attached) {
        return new PeerPipes(attached);
    }

    public PipeId id() {
        return attached.id();
    }

    public Pipe toPeer() {
        return toPeer;
    }

    public Pipe fromPeer() {
        return fromPeer;
    }

    /** Queues an item for the peer, waiting for room up to the deadline. */
    public void send(Object item) {
        long deadline = System.nanoTime() + SocketHarness.TIMEOUT.toNanos();
        while (!toPeer.offer(item)) {
            if (toPeer.isReaderClosed()) {
                throw new AssertionError("the transport closed the pipe");
            }
            awaitPermit(writable, deadline, "room in the pipe to the peer");
        }
    }

    public void send(Msg msg) {
        send((Object) msg);
    }

    /** The next item from the peer (a Msg or a PipeCommand). */
    public Object receiveItem(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Object item = fromPeer.poll();
            if (item != null) {
                return item;
            }
            if (fromPeer.isFinished()) {
                throw new AssertionError("the pipe from the peer was closed");
            }
            awaitPermit(readable, deadline, "an item from the peer");
        }
    }

    public Object receiveItem() {
        return receiveItem(SocketHarness.TIMEOUT);
    }

    public Msg receive() {
        Object item = receiveItem();
        if (!(item instanceof Msg msg)) {
            throw new AssertionError("expected a message, got " + item);
        }
        return msg;
    }

    /** Null when nothing arrives within {@code timeout} (for asserting that filtered messages stay away). */
    public Object poll(Duration timeout) {
        try {
            return receiveItem(timeout);
        } catch (AssertionError e) {
            return null;
        }
    }

    private static void awaitPermit(Semaphore s, long deadline, String what) {
        long left = deadline - System.nanoTime();
        try {
            if (left <= 0 || !s.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                throw new AssertionError("timed out waiting for " + what);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
