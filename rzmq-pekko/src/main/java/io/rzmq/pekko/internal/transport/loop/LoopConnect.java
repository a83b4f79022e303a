package io.rzmq.pekko.internal.transport.loop;

import io.rzmq.pekko.internal.transport.ConnectHandler;
import io.rzmq.pekko.internal.transport.PendingConnect;
import io.rzmq.pekko.internal.transport.StreamOptions;
import io.rzmq.pekko.internal.transport.nio.IoLoop;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/** One non-blocking connect on a loop; runs as a task there, so its outcome never arrives inside connect(). */
final class LoopConnect implements PendingConnect, IoLoop.Ready, Runnable {
    private final LoopHandle loop;
    private final SocketAddress remote;
    private final boolean tcp;
    private final StreamOptions options;
    private final ConnectHandler handler;
    private SocketChannel channel;
    private SelectionKey key;
    /** Cancelled, failed or connected: nothing more to do. */
    private boolean done;

    LoopConnect(LoopHandle loop, SocketAddress remote, StreamOptions options, ConnectHandler handler) {
        this.loop = loop;
        this.remote = remote;
        this.tcp = remote instanceof InetSocketAddress;
        this.options = options;
        this.handler = handler;
        loop.acquire(); // counts from now, so that picks made meanwhile see it
    }

    @Override
    public void run() {
        if (done) {
            return;
        }
        try {
            channel = tcp ? SocketChannel.open() : SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.configureBlocking(false);
            Tuning.beforeConnect(channel, options, tcp);
            boolean connected = channel.connect(remote);
            key = loop.io().register(channel, connected ? 0 : SelectionKey.OP_CONNECT, this);
            if (connected) {
                connected();
            }
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    @Override
    public void onReady(SelectionKey k) {
        if (done || !k.isValid() || !k.isConnectable()) {
            return;
        }
        try {
            if (channel.finishConnect()) {
                connected();
            }
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    private void connected() throws IOException {
        Tuning.afterConnect(channel, options, tcp);
        done = true;
        LoopStream stream = new LoopStream(loop, channel, tcp, LoopTransport.peerOf(channel, tcp), key);
        handler.onConnected(stream);
    }

    private void fail(Exception e) {
        done = true;
        closeQuietly();
        loop.release();
        IOException cause = e instanceof IOException io ? io
            : new IOException(e.getClass().getSimpleName() + " connecting to " + remote + ": " + e.getMessage(), e);
        handler.onConnectFailed(cause);
    }

    @Override
    public void cancel() {
        if (!loop.inLoop()) {
            loop.execute(this::cancel);
            return;
        }
        if (done) {
            return;
        }
        done = true;
        closeQuietly();
        loop.release();
    }

    @Override
    public void onShutdown() {
        if (!done) {
            done = true;
            closeQuietly();
        }
    }

    private void closeQuietly() {
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
    public String toString() {
        return "LoopConnect(" + remote + ")";
    }
}
