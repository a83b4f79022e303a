package io.rzmq.pekko.internal.transport;

import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.io.Tcp;
import org.apache.pekko.util.ByteString;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * The part of a non-blocking stream connection that tcp:// ({@code nio.NioChannel}, on the IoLoop) and
 * ipc:// ({@code ipc.IpcChannel}, on junixsocket's selector) share: the write/flush, close and
 * end-of-stream logic that answers like Pekko IO's TCP connection (write acks, CommandFailed for a
 * second write, WritingResumed, Closed/ConfirmedClosed/Aborted/PeerClosed/ErrorClosed). It exists so
 * that this state machine is written once; the subclasses keep what really differs (connecting, the
 * read loop, hang-up handling, abort). Used only on the owning I/O thread, so nothing here locks.
 *
 * @param <C> the channel type (junixsocket's AFUNIXSocketChannel is a SocketChannel)
 */
public abstract class StreamChannel<C extends SocketChannel> {
    /** Tells the connection actor the channel is closed and everyone who needed to know was told. */
    public enum ChannelClosed { INSTANCE }

    /** The I/O thread's direct buffers, shared by all its channels (one thread, one chunk at a time). */
    protected final ByteBuffer readBuffer;
    private final ByteBuffer writeBuffer;

    protected C channel;
    protected SelectionKey key;
    protected ActorRef self = ActorRef.noSender();
    protected ActorRef handler;
    private boolean keepOpenOnPeerClosed;
    private boolean readingSuspended;
    /**
     * Pekko IO's pull mode, set from the Bind or Connect: reading starts suspended, and each ResumeReading
     * lets exactly one chunk through (reading is suspended again as it is handed over), so the handler
     * has at most one chunk on its way however fast the peer sends.
     */
    private boolean pullMode;
    private boolean peerClosed;

    private ByteString pending;
    private Tcp.Write pendingWrite;
    private ActorRef pendingCommander;
    private ActorRef resumeWritingCommander;

    /** A Close or ConfirmedClose waiting for the pending write. */
    private Tcp.CloseCommand closeAfterWrite;
    private ActorRef closeCommander;
    /** ConfirmedClose sent: output shut down, waiting for the peer's end of stream. */
    private ActorRef confirmedCloseCommander;
    private boolean closed;

    /** A non-blocking connect is in progress. */
    protected boolean connecting;

    protected StreamChannel(C channel, ByteBuffer readBuffer, ByteBuffer writeBuffer) {
        this.channel = channel;
        this.readBuffer = readBuffer;
        this.writeBuffer = writeBuffer;
    }

    /**
     * Reading was (re)allowed: registered, resumed, or a ConfirmedClose waits for the peer's end. Interest
     * is already updated; ipc uses this to read what a hung-up peer left behind.
     */
    protected abstract void afterReadingAllowed();

    public final boolean isClosed() {
        return closed;
    }

    public final void setActor(ActorRef connectionActor) {
        this.self = connectionActor;
    }

    /**
     * Reads in pull mode (see {@link #pullMode}). Set before the channel is handed to its I/O thread or,
     * at the latest, before Register reaches it.
     */
    public final void setPullMode(boolean pull) {
        this.pullMode = pull;
        this.readingSuspended = pull;
    }

    // ------------------------------------------------------------------ commands (I/O thread)

    public final void register(ActorRef handler, boolean keepOpenOnPeerClosed) {
        if (closed || this.handler != null) {
            return;
        }
        this.handler = handler;
        this.keepOpenOnPeerClosed = keepOpenOnPeerClosed;
        updateInterest();
        afterReadingAllowed();
    }

    public final void suspendReading() {
        readingSuspended = true;
        updateInterest();
    }

    public final void resumeReading() {
        readingSuspended = false;
        updateInterest();
        afterReadingAllowed();
    }

    public final void write(Tcp.Write w, ActorRef commander) {
        if (closed || closeAfterWrite != null || confirmedCloseCommander != null || pending != null
            || resumeWritingCommander != null) {
            commander.tell(new Tcp.CommandFailed(w), self);
            return;
        }
        pending = w.data();
        pendingWrite = w;
        pendingCommander = commander;
        writeSome();
    }

    /** Tcp.ResumeWriting: answered with WritingResumed once no write is pending. */
    public final void resumeWriting(ActorRef commander) {
        if (closed) {
            return;
        }
        if (pending == null) {
            commander.tell(Tcp.WritingResumed$.MODULE$, self);
        } else {
            resumeWritingCommander = commander;
        }
    }

    /** Close (flushing the pending write first) or ConfirmedClose (then waiting for the peer's end). */
    public final void close(Tcp.CloseCommand cmd, ActorRef commander) {
        if (closed) {
            return;
        }
        if (pending != null) {
            closeAfterWrite = cmd;
            closeCommander = commander;
            return;
        }
        closeNow(cmd, commander);
    }

    /** Tcp.Abort: close at once, dropping anything unwritten. */
    public abstract void abort(ActorRef commander);

    /** Closes without telling anyone (the connection actor is gone, or nobody registered in time). */
    public final void closeSilently() {
        if (closed) {
            return;
        }
        closed = true;
        if (key != null) {
            key.cancel();
        }
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /** The I/O thread is shutting down: close without telling anyone (they are gone or going). */
    public final void onShutdown() {
        closeSilently();
    }

    // ------------------------------------------------------------------ for the subclasses

    protected final boolean canRead() {
        return handler != null && !readingSuspended && !peerClosed;
    }

    protected final boolean hasPendingWrite() {
        return pending != null;
    }

    /** Hands the {@code n} bytes just read into {@link #readBuffer} to the handler (one copy). */
    protected final void deliver(int n) {
        ByteBuffer buf = readBuffer;
        buf.flip();
        byte[] chunk = new byte[n];
        buf.get(chunk);
        handler.tell(new Tcp.Received(ByteString.fromArrayUnsafe(chunk)), self);
        if (pullMode) {
            readingSuspended = true; // one chunk per ResumeReading
            updateInterest();
        }
    }

    protected final void onReadFailed(IOException e) {
        finish(new Tcp.ErrorClosed(String.valueOf(e.getMessage())), null);
    }

    protected final void onEndOfStream() {
        if (confirmedCloseCommander != null) {
            finish(Tcp.ConfirmedClosed$.MODULE$, confirmedCloseCommander);
            return;
        }
        if (keepOpenOnPeerClosed) {
            peerClosed = true;
            updateInterest();
            handler.tell(Tcp.PeerClosed$.MODULE$, self);
            return;
        }
        finish(Tcp.PeerClosed$.MODULE$, null);
    }

    /** Writes as much of the pending write as the kernel takes; what is left waits for OP_WRITE. */
    protected final void writeSome() {
        if (pending == null) {
            return;
        }
        ByteBuffer buf = writeBuffer;
        try {
            while (!pending.isEmpty()) {
                buf.clear();
                int copied = pending.copyToBuffer(buf);
                buf.flip();
                int written = channel.write(buf);
                pending = pending.drop(written);
                if (written < copied) {
                    updateInterest(); // wait for room
                    return;
                }
            }
        } catch (IOException e) {
            finish(new Tcp.ErrorClosed(String.valueOf(e.getMessage())), null);
            return;
        }
        Tcp.Write done = pendingWrite;
        ActorRef commander = pendingCommander;
        pending = null;
        pendingWrite = null;
        pendingCommander = null;
        updateInterest();
        if (done.wantsAck()) {
            commander.tell(done.ack(), self);
        }
        if (resumeWritingCommander != null) {
            resumeWritingCommander.tell(Tcp.WritingResumed$.MODULE$, self);
            resumeWritingCommander = null;
        }
        if (closeAfterWrite != null) {
            Tcp.CloseCommand cmd = closeAfterWrite;
            closeAfterWrite = null;
            closeNow(cmd, closeCommander);
        }
    }

    private void closeNow(Tcp.CloseCommand cmd, ActorRef commander) {
        if (cmd instanceof Tcp.ConfirmedClose$) {
            try {
                channel.shutdownOutput();
            } catch (IOException e) {
                finish(new Tcp.ErrorClosed(String.valueOf(e.getMessage())), commander);
                return;
            }
            if (peerClosed) {
                finish(Tcp.ConfirmedClosed$.MODULE$, commander);
                return;
            }
            confirmedCloseCommander = commander;
            readingSuspended = false; // the peer's end of stream must be seen
            updateInterest();
            afterReadingAllowed();
            return;
        }
        finish(Tcp.Closed$.MODULE$, commander);
    }

    /** Closes the channel, tells the handler (and a different commander) {@code event}, then the actor. */
    protected final void finish(Tcp.ConnectionClosed event, ActorRef commander) {
        if (closed) {
            return;
        }
        closeSilently();
        // The connection actor first: once the handler has the event it may stop at once (on another
        // thread), and the actor, watching it, must have ChannelClosed queued ahead of that Terminated
        // (it then unwatches and stops) instead of stopping with ChannelClosed still on its way.
        self.tell(ChannelClosed.INSTANCE, ActorRef.noSender());
        if (handler != null) {
            handler.tell(event, self);
        }
        if (commander != null && !commander.equals(handler)) {
            commander.tell(event, self);
        }
    }

    protected final void updateInterest() {
        if (closed || key == null || !key.isValid() || connecting) {
            return;
        }
        int ops = 0;
        if (handler != null && !readingSuspended && !peerClosed) {
            ops |= SelectionKey.OP_READ;
        }
        if (pending != null && !pending.isEmpty()) {
            ops |= SelectionKey.OP_WRITE;
        }
        setInterest(key, ops);
    }

    /** Sets the key's interest to {@code ops} (tcp skips an unchanged set; ipc always sets, as before). */
    protected abstract void setInterest(SelectionKey key, int ops);
}
