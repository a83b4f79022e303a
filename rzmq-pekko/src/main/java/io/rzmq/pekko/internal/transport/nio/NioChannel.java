package io.rzmq.pekko.internal.transport.nio;

import io.rzmq.pekko.internal.transport.StreamChannel;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.io.Inet;
import org.apache.pekko.io.Tcp;

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
 * <p>Reads are level-triggered: OP_READ stays registered while reading is allowed, so no interest has to
 * be re-armed after a read. Each readiness reads up to a few chunks and sends one Received per chunk (one
 * copy out of the direct read buffer); in pull mode (what the engine uses) one chunk, then reading waits
 * for the next ResumeReading. A write is tried at once (the
 * connection actor usually runs on the loop thread, so that is a plain system call); only what the
 * kernel does not take waits for OP_WRITE. The write/close state machine is in {@link StreamChannel},
 * shared with ipc.
 */
final class NioChannel extends StreamChannel<SocketChannel> implements IoLoop.Ready {
    /** Chunks read per readiness before other channels get their turn. */
    private static final int READS_PER_TURN = 4;

    /** Tells the connection actor its connect succeeded. */
    record Connected(InetSocketAddress remote, InetSocketAddress local) {
    }

    /** Tells the connection actor its connect failed. */
    record ConnectFailed(IOException cause) {
    }

    private final IoLoop loop;
    private List<Inet.SocketOption> options = List.of();

    private NioChannel(IoLoop loop, SocketChannel channel) {
        super(channel, loop.readBuffer, loop.writeBuffer);
        this.loop = loop;
    }

    /** A channel a listener accepted, already non-blocking; registered with the loop without interest. */
    static NioChannel accepted(IoLoop loop, SocketChannel channel, List<Inet.SocketOption> options,
                               boolean pullMode) throws IOException {
        NioChannel c = new NioChannel(loop, channel);
        c.setPullMode(pullMode);
        // As Pekko IO does for an accepted socket: no-delay, then the Bind's afterConnect hooks.
        channel.socket().setTcpNoDelay(true);
        for (Inet.SocketOption o : options) {
            o.afterConnect(channel.socket());
        }
        c.key = channel.register(loop.selector(), 0, c);
        return c;
    }

    /** A connection to be made by {@link #connect} on the loop thread. */
    static NioChannel outgoing(IoLoop loop, List<Inet.SocketOption> options, boolean pullMode) {
        NioChannel c = new NioChannel(loop, null);
        c.setPullMode(pullMode);
        c.options = options;
        return c;
    }

    /**
     * Starts connecting to {@code remote} (resolved); tells {@code connectionActor} {@link Connected} or
     * {@link ConnectFailed}. Loop thread.
     */
    void connect(ActorRef connectionActor, InetSocketAddress remote) {
        self = connectionActor;
        if (isClosed()) {
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

    // ------------------------------------------------------------------ commands (loop thread)

    /** Tcp.Abort: close at once (RST), dropping anything unwritten. */
    @Override
    public void abort(ActorRef commander) {
        if (!isClosed() && channel != null) {
            try {
                channel.socket().setSoLinger(true, 0);
            } catch (IOException | RuntimeException ignored) {
                // closing anyway
            }
        }
        finish(Tcp.Aborted$.MODULE$, commander);
    }

    // ------------------------------------------------------------------ readiness

    @Override
    public void onReady(SelectionKey k) {
        if (isClosed() || !k.isValid()) {
            return;
        }
        if (connecting) {
            finishConnect(k);
            return;
        }
        if (k.isWritable()) {
            writeSome();
        }
        if (!isClosed() && k.isValid() && k.isReadable() && canRead()) {
            readChunks();
        }
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
        ByteBuffer buf = readBuffer;
        for (int i = 0; i < READS_PER_TURN && canRead(); i++) {
            buf.clear();
            int n;
            try {
                n = channel.read(buf);
            } catch (IOException e) {
                onReadFailed(e);
                return;
            }
            if (n < 0) {
                onEndOfStream();
                return;
            }
            if (n == 0) {
                return;
            }
            deliver(n);
            if (n < buf.capacity()) {
                return; // took what the kernel had; the selector says when there is more
            }
        }
    }

    @Override
    protected void afterReadingAllowed() {
        // level-triggered: OP_READ interest is enough
    }

    @Override
    protected void setInterest(SelectionKey key, int ops) {
        if (key.interestOps() != ops) {
            key.interestOps(ops);
        }
    }

    @Override
    public String toString() {
        return "NioChannel(" + remoteAddress() + ")";
    }
}
