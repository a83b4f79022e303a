package io.rzmq.pekko.internal.transport.ipc;

import io.rzmq.pekko.internal.transport.BufferSizes;
import io.rzmq.pekko.internal.transport.StreamChannel;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.io.Tcp;
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
 * <p>Reads: each readiness reads up to a few chunks and sends one Received per chunk (one copy from native
 * memory per chunk); in pull mode (what the engine uses) one chunk, then reading waits for the next
 * ResumeReading. Writes copy the ByteString into native memory a chunk at a time
 * (junixsocket writes one buffer per call, so a gathering write of many small slices would cost a
 * system call per slice). The write/close state machine is in {@link StreamChannel}, shared with tcp.
 */
final class IpcChannel extends StreamChannel<AFUNIXSocketChannel> implements IpcSelector.Ready {
    /** Chunks read per readiness before other channels get their turn. */
    private static final int READS_PER_TURN = 4;

    /** Tells the connection actor its connect succeeded. */
    enum Connected { INSTANCE }

    /** Tells the connection actor its connect failed. */
    record ConnectFailed(IOException cause) {
    }

    private final IpcSelector selector;
    private final String peer;
    /** The peer process's credentials ({@code localhost:uid:gid:pid}), read once connected. */
    private volatile String credentials = IpcAddresses.LOCALHOST;
    /** The selector reported the peer gone; the key is cancelled and leftovers are read without it. */
    private boolean hungUp;

    /** SNDBUF/RCVBUF for an outgoing connection; null for the OS defaults. */
    private BufferSizes sizes;

    private IpcChannel(IpcSelector selector, AFUNIXSocketChannel channel, String peer) {
        super(channel, selector.readBuffer, selector.writeBuffer);
        this.selector = selector;
        this.peer = peer;
    }

    /** A channel a listener accepted, already non-blocking; registered with the selector without interest. */
    static IpcChannel accepted(IpcSelector selector, AFUNIXSocketChannel channel, String address,
                               boolean pullMode) throws ClosedChannelException {
        IpcChannel c = new IpcChannel(selector, channel, address);
        c.setPullMode(pullMode);
        c.credentials = IpcAddresses.credentialsOf(channel);
        c.key = channel.register(selector.selector(), 0, c);
        return c;
    }

    /**
     * A connection to {@code address}, made by {@link #connect} on the selector thread, with SNDBUF/RCVBUF
     * from {@code sizes} (null: the OS defaults).
     */
    static IpcChannel outgoing(IpcSelector selector, String address, BufferSizes sizes, boolean pullMode) {
        IpcChannel c = new IpcChannel(selector, null, address);
        c.setPullMode(pullMode);
        c.sizes = sizes;
        return c;
    }

    /**
     * Starts connecting; tells {@code connectionActor} {@link Connected} or {@link ConnectFailed}.
     * Selector thread.
     */
    void connect(ActorRef connectionActor) {
        self = connectionActor;
        if (isClosed()) {
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

    // ------------------------------------------------------------------ commands (selector thread)

    /** Tcp.Abort: close at once, dropping anything unwritten. */
    @Override
    public void abort(ActorRef commander) {
        finish(Tcp.Aborted$.MODULE$, commander);
    }

    // ------------------------------------------------------------------ readiness

    @Override
    public void onReady(SelectionKey k) {
        if (isClosed()) {
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
        if (!isClosed() && k.isValid() && k.isReadable()) {
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
        if (hasPendingWrite()) {
            writeSome(); // fails (broken pipe) and reports ErrorClosed
        }
        drainAfterHangup();
    }

    /** Reads a few chunks of what is left after a hang-up; continues as a task until the end of stream. */
    private void drainAfterHangup() {
        if (isClosed() || !hungUp || !canRead()) {
            return;
        }
        if (readChunks(false)) {
            selector.execute(this::drainAfterHangup);
        }
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
        ByteBuffer buf = readBuffer;
        for (int i = 0; i < READS_PER_TURN; i++) {
            if (!canRead()) {
                return false;
            }
            buf.clear();
            int n;
            try {
                n = channel.read(buf);
            } catch (IOException e) {
                onReadFailed(e);
                return false;
            }
            if (n < 0 || (n == 0 && (i == 0 || !untilDrained))) {
                onEndOfStream();
                return false;
            }
            if (n == 0) {
                return false;
            }
            deliver(n);
            if (untilDrained && n < buf.capacity()) {
                return false; // took what the kernel had; the selector says when there is more
            }
        }
        return true;
    }

    @Override
    protected void afterReadingAllowed() {
        drainAfterHangup();
    }

    @Override
    protected void setInterest(SelectionKey key, int ops) {
        key.interestOps(ops);
    }

    @Override
    public String toString() {
        return "IpcChannel(" + peer + ")";
    }
}
