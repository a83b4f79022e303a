package io.rzmq.pekko.transport.ipc;

import io.rzmq.pekko.transport.BufferSizes;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.io.Tcp;
import org.apache.pekko.util.ByteString;
import org.newsclub.net.unix.AFUNIXSocketChannel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;

/**
 * The selector-thread side of one ipc:// connection: reads, writes and closes its channel and tells the
 * connection's handler, with the connection actor as sender, exactly what Pekko IO's TCP connection
 * would (Received, write acks, CommandFailed for a second write, Closed/ConfirmedClosed/Aborted/
 * PeerClosed/ErrorClosed). Used only on the selector thread; its {@link IpcConnection} actor hands
 * commands over with {@link IpcSelector#execute}.
 *
 * <p>Reads are push mode: each readiness reads up to a few chunks and sends one Received per chunk (one
 * copy from native memory per chunk). Writes copy the ByteString into native memory a chunk at a time
 * (junixsocket writes one buffer per call, so a gathering write of many small slices would cost a
 * system call per slice).
 */
final class IpcChannel implements IpcSelector.Ready {
    /** Chunks read per readiness before other channels get their turn. */
    private static final int READS_PER_TURN = 4;

    /** Tells the connection actor the channel is closed and everyone who needed to know was told. */
    enum ChannelClosed { INSTANCE }

    /** Tells the connection actor its connect succeeded. */
    enum Connected { INSTANCE }

    /** Tells the connection actor its connect failed. */
    record ConnectFailed(IOException cause) {
    }

    private final IpcSelector selector;
    private AFUNIXSocketChannel channel;
    private final String peer;
    /** The peer process's credentials ({@code localhost:uid:gid:pid}), read once connected. */
    private volatile String credentials = IpcAddresses.LOCALHOST;
    private SelectionKey key;
    private ActorRef self = ActorRef.noSender();
    private ActorRef handler;
    private boolean keepOpenOnPeerClosed;
    private boolean readingSuspended;
    private boolean peerClosed;
    /** The selector reported the peer gone; the key is cancelled and leftovers are read without it. */
    private boolean hungUp;

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
    private boolean connecting;
    /** SNDBUF/RCVBUF for an outgoing connection; null for the OS defaults. */
    private BufferSizes sizes;

    private IpcChannel(IpcSelector selector, AFUNIXSocketChannel channel, String peer) {
        this.selector = selector;
        this.channel = channel;
        this.peer = peer;
    }

    /** A channel a listener accepted, already non-blocking; registered with the selector without interest. */
    static IpcChannel accepted(IpcSelector selector, AFUNIXSocketChannel channel, String address)
        throws ClosedChannelException {
        IpcChannel c = new IpcChannel(selector, channel, address);
        c.credentials = IpcAddresses.credentialsOf(channel);
        c.key = channel.register(selector.selector(), 0, c);
        return c;
    }

    /**
     * A connection to {@code address}, made by {@link #connect} on the selector thread, with SNDBUF/RCVBUF
     * from {@code sizes} (null: the OS defaults).
     */
    static IpcChannel outgoing(IpcSelector selector, String address, BufferSizes sizes) {
        IpcChannel c = new IpcChannel(selector, null, address);
        c.sizes = sizes;
        return c;
    }

    /**
     * Starts connecting; tells {@code connectionActor} {@link Connected} or {@link ConnectFailed}.
     * Selector thread.
     */
    void connect(ActorRef connectionActor) {
        self = connectionActor;
        if (closed) {
            return;
        }
        try {
            channel = AFUNIXSocketChannel.open();
            if (sizes != null) {
                sizes.applyTo(channel);
            }
            channel.configureBlocking(false);
            boolean done = channel.connect(IpcAddresses.socketAddress(peer));
            connecting = !done;
            key = channel.register(selector.selector(), done ? 0 : SelectionKey.OP_CONNECT, this);
            if (done) {
                credentials = IpcAddresses.credentialsOf(channel);
                self.tell(Connected.INSTANCE, ActorRef.noSender());
            }
        } catch (IOException e) {
            closeSilently();
            self.tell(new ConnectFailed(e), ActorRef.noSender());
        }
    }

    /** The address this connection is on (its listener's path or {@code @name}). */
    String peer() {
        return peer;
    }

    /** The peer process's {@code localhost:uid:gid:pid} once connected (for ZAP and Peer-Address). */
    String credentials() {
        return credentials;
    }

    boolean isClosed() {
        return closed;
    }

    void setActor(ActorRef connectionActor) {
        this.self = connectionActor;
    }

    // ------------------------------------------------------------------ commands (selector thread)

    void register(ActorRef handler, boolean keepOpenOnPeerClosed) {
        if (closed || this.handler != null) {
            return;
        }
        this.handler = handler;
        this.keepOpenOnPeerClosed = keepOpenOnPeerClosed;
        updateInterest();
        drainAfterHangup();
    }

    void suspendReading() {
        readingSuspended = true;
        updateInterest();
    }

    void resumeReading() {
        readingSuspended = false;
        updateInterest();
        drainAfterHangup();
    }

    void write(Tcp.Write w, ActorRef commander) {
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
    void resumeWriting(ActorRef commander) {
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
    void close(Tcp.CloseCommand cmd, ActorRef commander) {
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
    void abort(ActorRef commander) {
        finish(Tcp.Aborted$.MODULE$, commander);
    }

    /** Closes without telling anyone (the connection actor is gone, or nobody registered in time). */
    void closeSilently() {
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

    @Override
    public void onShutdown() {
        closeSilently();
    }

    // ------------------------------------------------------------------ readiness

    @Override
    public void onReady(SelectionKey k) {
        if (closed) {
            return;
        }
        if (connecting) {
            finishConnect(k);
            return;
        }
        if (!k.isValid()) {
            onHangup(); // junixsocket reports POLLHUP/POLLERR as an invalid key
            return;
        }
        if (k.isWritable()) {
            writeSome();
        }
        if (!closed && k.isValid() && k.isReadable()) {
            readSome();
        }
    }

    /**
     * The peer is gone. poll() reports that on every call whatever the interest, so the key is cancelled
     * (or the selector would spin while reading is suspended); what the peer sent before it went is
     * still read, without the selector, once reading is allowed.
     */
    private void onHangup() {
        hungUp = true;
        key.cancel();
        if (pending != null) {
            writeSome(); // fails (broken pipe) and reports ErrorClosed
        }
        drainAfterHangup();
    }

    /** Reads a few chunks of what is left after a hang-up; continues as a task until the end of stream. */
    private void drainAfterHangup() {
        if (closed || !hungUp || !canRead()) {
            return;
        }
        if (readChunks(false)) {
            selector.execute(this::drainAfterHangup);
        }
    }

    private boolean canRead() {
        return handler != null && !readingSuspended && !peerClosed;
    }

    private void finishConnect(SelectionKey k) {
        try {
            if (!channel.finishConnect()) {
                if (!k.isValid()) {
                    throw new IOException("connection failed");
                }
                return;
            }
        } catch (IOException e) {
            connecting = false;
            closeSilently();
            self.tell(new ConnectFailed(e), ActorRef.noSender());
            return;
        }
        connecting = false;
        key.interestOps(0);
        credentials = IpcAddresses.credentialsOf(channel);
        self.tell(Connected.INSTANCE, ActorRef.noSender());
    }

    private void readSome() {
        if (canRead()) {
            readChunks(true);
        }
    }

    /**
     * Reads up to {@link #READS_PER_TURN} chunks and hands each to the handler. The channel is known to
     * be readable (or hung up), so a first read of 0 bytes is the end of the stream: junixsocket's
     * non-blocking read returns 0 there, not -1. Returns true when more may be waiting.
     */
    private boolean readChunks(boolean untilDrained) {
        ByteBuffer buf = selector.readBuffer;
        for (int i = 0; i < READS_PER_TURN; i++) {
            if (!canRead()) {
                return false;
            }
            buf.clear();
            int n;
            try {
                n = channel.read(buf);
            } catch (IOException e) {
                finish(new Tcp.ErrorClosed(String.valueOf(e.getMessage())), null);
                return false;
            }
            if (n < 0 || (n == 0 && (i == 0 || !untilDrained))) {
                onEndOfStream();
                return false;
            }
            if (n == 0) {
                return false;
            }
            buf.flip();
            byte[] chunk = new byte[n];
            buf.get(chunk);
            handler.tell(new Tcp.Received(ByteString.fromArrayUnsafe(chunk)), self);
            if (untilDrained && n < buf.capacity()) {
                return false; // took what the kernel had; the selector says when there is more
            }
        }
        return true;
    }

    private void onEndOfStream() {
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

    private void writeSome() {
        if (pending == null) {
            return;
        }
        ByteBuffer buf = selector.writeBuffer;
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
            drainAfterHangup();
            return;
        }
        finish(Tcp.Closed$.MODULE$, commander);
    }

    /** Closes the channel, tells the handler (and a different commander) {@code event}, then the actor. */
    private void finish(Tcp.ConnectionClosed event, ActorRef commander) {
        if (closed) {
            return;
        }
        closeSilently();
        if (handler != null) {
            handler.tell(event, self);
        }
        if (commander != null && !commander.equals(handler)) {
            commander.tell(event, self);
        }
        self.tell(ChannelClosed.INSTANCE, ActorRef.noSender());
    }

    private void updateInterest() {
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
        key.interestOps(ops);
    }

    @Override
    public String toString() {
        return "IpcChannel(" + peer + ")";
    }
}
