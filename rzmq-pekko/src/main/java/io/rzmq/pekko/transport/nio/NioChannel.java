package io.rzmq.pekko.transport.nio;

import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.io.Inet;
import org.apache.pekko.io.Tcp;
import org.apache.pekko.util.ByteString;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.List;

/**
 * The loop-thread side of one tcp:// connection: reads, writes and closes its channel and tells the
 * connection's handler, with the connection actor as sender, exactly what Pekko IO's TCP connection
 * would (Received, write acks, CommandFailed for a second write, Closed/ConfirmedClosed/Aborted/
 * PeerClosed/ErrorClosed). Used only on the {@link IoLoop} thread.
 *
 * <p>Reads are push mode and level-triggered: OP_READ stays registered while reading is allowed, so no
 * interest has to be re-armed after a read. Each readiness reads up to a few chunks and sends one
 * Received per chunk (one copy out of the direct read buffer). A write is tried at once (the
 * connection actor usually runs on the loop thread, so that is a plain system call); only what the
 * kernel does not take waits for OP_WRITE.
 */
final class NioChannel implements IoLoop.Ready {
    /** Chunks read per readiness before other channels get their turn. */
    private static final int READS_PER_TURN = 4;

    /** Tells the connection actor the channel is closed and everyone who needed to know was told. */
    enum ChannelClosed { INSTANCE }

    /** Tells the connection actor its connect succeeded. */
    record Connected(InetSocketAddress remote, InetSocketAddress local) {
    }

    /** Tells the connection actor its connect failed. */
    record ConnectFailed(IOException cause) {
    }

    private final IoLoop loop;
    private SocketChannel channel;
    private SelectionKey key;
    private ActorRef self = ActorRef.noSender();
    private ActorRef handler;
    private boolean keepOpenOnPeerClosed;
    private boolean readingSuspended;
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
    private boolean connecting;
    private List<Inet.SocketOption> options = List.of();

    private NioChannel(IoLoop loop, SocketChannel channel) {
        this.loop = loop;
        this.channel = channel;
    }

    /** A channel a listener accepted, already non-blocking; registered with the loop without interest. */
    static NioChannel accepted(IoLoop loop, SocketChannel channel, List<Inet.SocketOption> options)
        throws IOException {
        NioChannel c = new NioChannel(loop, channel);
        // As Pekko IO does for an accepted socket: no-delay, then the Bind's afterConnect hooks.
        channel.socket().setTcpNoDelay(true);
        for (Inet.SocketOption o : options) {
            o.afterConnect(channel.socket());
        }
        c.key = channel.register(loop.selector(), 0, c);
        return c;
    }

    /** A connection to be made by {@link #connect} on the loop thread. */
    static NioChannel outgoing(IoLoop loop, List<Inet.SocketOption> options) {
        NioChannel c = new NioChannel(loop, null);
        c.options = options;
        return c;
    }

    /**
     * Starts connecting to {@code remote} (resolved); tells {@code connectionActor} {@link Connected} or
     * {@link ConnectFailed}. Loop thread.
     */
    void connect(ActorRef connectionActor, InetSocketAddress remote) {
        self = connectionActor;
        if (closed) {
            return;
        }
        try {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            for (Inet.SocketOption o : options) {
                o.beforeConnect(channel.socket());
            }
            boolean done = channel.connect(remote);
            connecting = !done;
            key = channel.register(loop.selector(), done ? 0 : SelectionKey.OP_CONNECT, this);
            if (done) {
                connected();
            }
        } catch (IOException | RuntimeException e) {
            closeSilently();
            self.tell(new ConnectFailed(e instanceof IOException io ? io : new IOException(e.toString(), e)),
                ActorRef.noSender());
        }
    }

    private void connected() throws IOException {
        channel.socket().setTcpNoDelay(true);
        for (Inet.SocketOption o : options) {
            o.afterConnect(channel.socket());
        }
        self.tell(new Connected((InetSocketAddress) channel.getRemoteAddress(),
            (InetSocketAddress) channel.getLocalAddress()), ActorRef.noSender());
    }

    InetSocketAddress remoteAddress() {
        try {
            return (InetSocketAddress) channel.getRemoteAddress();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    boolean isClosed() {
        return closed;
    }

    void setActor(ActorRef connectionActor) {
        this.self = connectionActor;
    }

    // ------------------------------------------------------------------ commands (loop thread)

    void register(ActorRef handler, boolean keepOpenOnPeerClosed) {
        if (closed || this.handler != null) {
            return;
        }
        this.handler = handler;
        this.keepOpenOnPeerClosed = keepOpenOnPeerClosed;
        updateInterest();
    }

    void suspendReading() {
        readingSuspended = true;
        updateInterest();
    }

    void resumeReading() {
        readingSuspended = false;
        updateInterest();
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

    /** Tcp.Abort: close at once (RST), dropping anything unwritten. */
    void abort(ActorRef commander) {
        if (!closed && channel != null) {
            try {
                channel.socket().setSoLinger(true, 0);
            } catch (IOException | RuntimeException ignored) {
                // closing anyway
            }
        }
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
        if (closed || !k.isValid()) {
            return;
        }
        if (connecting) {
            finishConnect(k);
            return;
        }
        if (k.isWritable()) {
            writeSome();
        }
        if (!closed && k.isValid() && k.isReadable() && canRead()) {
            readChunks();
        }
    }

    private boolean canRead() {
        return handler != null && !readingSuspended && !peerClosed;
    }

    private void finishConnect(SelectionKey k) {
        try {
            if (!channel.finishConnect()) {
                return;
            }
            connecting = false;
            k.interestOps(0);
            connected();
        } catch (IOException | RuntimeException e) {
            connecting = false;
            closeSilently();
            self.tell(new ConnectFailed(e instanceof IOException io ? io : new IOException(e.toString(), e)),
                ActorRef.noSender());
        }
    }

    /** Reads up to {@link #READS_PER_TURN} chunks, handing each to the handler; -1 is the end of stream. */
    private void readChunks() {
        ByteBuffer buf = loop.readBuffer;
        for (int i = 0; i < READS_PER_TURN && canRead(); i++) {
            buf.clear();
            int n;
            try {
                n = channel.read(buf);
            } catch (IOException e) {
                finish(new Tcp.ErrorClosed(String.valueOf(e.getMessage())), null);
                return;
            }
            if (n < 0) {
                onEndOfStream();
                return;
            }
            if (n == 0) {
                return;
            }
            buf.flip();
            byte[] chunk = new byte[n];
            buf.get(chunk);
            handler.tell(new Tcp.Received(ByteString.fromArrayUnsafe(chunk)), self);
            if (n < buf.capacity()) {
                return; // took what the kernel had; the selector says when there is more
            }
        }
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
        ByteBuffer buf = loop.writeBuffer;
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
        if (key.interestOps() != ops) {
            key.interestOps(ops);
        }
    }

    @Override
    public String toString() {
        return "NioChannel(" + remoteAddress() + ")";
    }
}
