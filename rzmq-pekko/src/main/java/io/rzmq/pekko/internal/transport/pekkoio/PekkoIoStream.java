package io.rzmq.pekko.internal.transport.pekkoio;

import io.rzmq.pekko.internal.transport.ByteStream;
import io.rzmq.pekko.internal.transport.ByteStreamHandler;
import io.rzmq.pekko.internal.transport.Loop;
import io.rzmq.pekko.internal.transport.PeerAddress;
import io.rzmq.pekko.internal.transport.loop.LoopHandle;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.io.Tcp;
import org.apache.pekko.io.TcpMessage;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A {@link ByteStream} over one Pekko IO connection actor. Its state is touched only on its loop's thread: by
 * the user (the seam's rule) and by its {@link PekkoIoStreamActor}, which runs on the same loop's dispatcher;
 * the methods here only {@code tell} the connection.
 *
 * <ul>
 *   <li>Reads are pulled: one {@code ResumeReading} outstanding at most, so at most one chunk (Pekko IO's
 *   direct-buffer-size) waits for the user. A chunk that arrives after {@link #suspendReading()} is held
 *   and handed over on {@link #resumeReading()}: nothing is delivered while suspended.</li>
 *   <li>Writes: the batch becomes one acked {@code Write} of the heap buffers' arrays (no copy; the seam lets
 *   the stream keep them until onFlushed); direct or read-only buffers are copied. {@code write} always
 *   returns false (the ack is the only news of the kernel) unless the batch is empty.</li>
 *   <li>Exactly one terminal callback, and only once started.</li>
 * </ul>
 */
final class PekkoIoStream implements ByteStream {
    /** The ack of our one write in flight. */
    static final Tcp.Event ACK = new Tcp.Event() {
        @Override
        public String toString() {
            return "PekkoIoStream.Ack";
        }
    };

    private static final Object PEER_CLOSED = new Object();

    private final LoopHandle loop;
    private final PeerAddress peer;
    private final ActorRef connection;
    /** Our actor: the sender of every command, so that acks and events come back to it. */
    private volatile ActorRef self;
    private ByteStreamHandler handler;

    private boolean readRequested;
    private boolean suspended;
    private boolean peerClosed;
    /** closeGracefully or abort called: no more writes, reads or onFlushed. */
    private boolean closing;
    /** The terminal event came (or the connection died). */
    private boolean terminated;
    private boolean terminalDelivered;
    private IOException failure;
    /** A chunk (ByteString) or PEER_CLOSED that came while suspended. */
    private Object held;

    private ByteBuffer[] pending;
    private int pendingCount;

    PekkoIoStream(LoopHandle loop, PeerAddress peer, ActorRef connection) {
        this.loop = loop;
        this.peer = peer;
        this.connection = connection;
    }

    void attach(ActorRef actor) {
        this.self = actor;
    }

    // ------------------------------------------------------------------ ByteStream (loop thread)

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
        if (terminated) {
            loop.execute(this::deliverTerminal); // the terminal callback, outside this call
            return;
        }
        requestRead();
    }

    @Override
    public boolean write(ByteBuffer[] batch, int count) {
        checkLoop();
        if (pending != null) {
            throw new IllegalStateException("a write is pending: wait for onFlushed");
        }
        if (closing || terminated) {
            return false;
        }
        ByteString data = gather(batch, count);
        if (data.isEmpty()) {
            return true;
        }
        pending = batch;
        pendingCount = count;
        connection.tell(TcpMessage.write(data, ACK), self);
        return false;
    }

    /** The batch as one ByteString: heap arrays wrapped in place, the rest copied. */
    private static ByteString gather(ByteBuffer[] batch, int count) {
        if (count == 1) {
            return wrap(batch[0]);
        }
        ByteStringBuilder b = ByteString.newBuilder();
        for (int i = 0; i < count; i++) {
            if (batch[i].hasRemaining()) {
                b.append(wrap(batch[i]));
            }
        }
        return b.result();
    }

    private static ByteString wrap(ByteBuffer x) {
        int n = x.remaining();
        if (n == 0) {
            return ByteString.emptyByteString();
        }
        if (x.hasArray()) {
            return ByteString.fromArrayUnsafe(x.array(), x.arrayOffset() + x.position(), n);
        }
        return ByteString.fromByteBuffer(x.duplicate()); // direct or read-only: Pekko IO needs an array
    }

    @Override
    public boolean writePending() {
        return pending != null;
    }

    @Override
    public void suspendReading() {
        checkLoop();
        suspended = true;
    }

    @Override
    public void resumeReading() {
        checkLoop();
        if (!suspended) {
            return;
        }
        suspended = false;
        if (held != null) {
            loop.execute(this::deliverHeld); // never a callback inside the user's call
        } else {
            requestRead();
        }
    }

    @Override
    public void closeGracefully() {
        checkLoop();
        if (closing || terminated) {
            return;
        }
        closing = true;
        held = null;
        // Pekko IO flushes the pending write, shuts the output down, and reports ConfirmedClosed once the
        // peer's end of stream is read; in pull mode that read has to be asked for (input is discarded).
        connection.tell(TcpMessage.confirmedClose(), self);
        requestRead();
    }

    @Override
    public void abort() {
        checkLoop();
        if (terminated) {
            return;
        }
        closing = true;
        held = null;
        connection.tell(TcpMessage.abort(), self); // SO_LINGER 0, close: a reset; Aborted follows
    }

    @Override
    public PeerAddress peer() {
        return peer;
    }

    @Override
    public Loop loop() {
        return loop;
    }

    // ------------------------------------------------------------------ from the actor (loop thread)

    void onReceived(ByteString data) {
        readRequested = false;
        if (terminated) {
            return;
        }
        if (closing) {
            requestRead(); // discarded: we only wait for the peer's end of stream
            return;
        }
        if (suspended) {
            held = data;
            return;
        }
        deliver(data);
    }

    private void deliver(ByteString data) {
        handler.onReceived(ByteBuffer.wrap(data.toArrayUnsafe()));
        if (!suspended && !closing && !terminated) {
            requestRead();
        }
    }

    void onPeerClosed() {
        readRequested = false;
        if (closing || terminated) {
            return; // our ConfirmedClose crossed it: ConfirmedClosed follows
        }
        if (suspended) {
            held = PEER_CLOSED;
            return;
        }
        peerClosed = true;
        handler.onPeerClosed();
    }

    void deliverHeld() {
        if (terminated) {
            deliverTerminal();
            return;
        }
        Object h = held;
        if (h == null || suspended || closing) {
            return;
        }
        held = null;
        if (h == PEER_CLOSED) {
            peerClosed = true;
            handler.onPeerClosed();
        } else {
            deliver((ByteString) h);
        }
    }

    void onAck() {
        ByteBuffer[] b = pending;
        if (b == null || terminated) {
            return;
        }
        for (int i = 0; i < pendingCount; i++) {
            b[i].position(b[i].limit()); // as a gather write leaves them: all taken
        }
        pending = null;
        if (!closing) {
            handler.onFlushed();
        }
    }

    /** The connection ended: {@code cause} null for an orderly close or abort. */
    void onTerminal(IOException cause) {
        if (terminated) {
            return;
        }
        terminated = true;
        failure = cause;
        pending = null;
        held = null;
        deliverTerminal();
    }

    boolean terminated() {
        return terminated;
    }

    private void deliverTerminal() {
        ByteStreamHandler h = handler;
        if (h == null || terminalDelivered) {
            return;
        }
        terminalDelivered = true;
        if (failure == null) {
            h.onClosed();
        } else {
            h.onFailed(failure);
        }
    }

    private void requestRead() {
        if (!readRequested && !peerClosed && !terminated && (handler != null || closing)) {
            readRequested = true;
            connection.tell(TcpMessage.resumeReading(), self);
        }
    }

    private void checkLoop() {
        if (!loop.inLoop()) {
            throw new IllegalStateException("ByteStream used off its loop thread: " + Thread.currentThread().getName());
        }
    }

    @Override
    public String toString() {
        return "PekkoIoStream(" + peer + " on loop " + loop.index() + ")";
    }
}
