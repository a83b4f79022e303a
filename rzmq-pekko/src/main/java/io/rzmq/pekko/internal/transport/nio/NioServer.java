package io.rzmq.pekko.internal.transport.nio;

import io.rzmq.pekko.internal.transport.AcceptFailed;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.io.Inet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;

/** The loop-thread side of one tcp:// bind: the listening channel. Used only on the {@link IoLoop} thread. */
final class NioServer implements IoLoop.Ready, io.rzmq.pekko.internal.transport.StreamBinding.Server {
    private static final Logger log = LoggerFactory.getLogger(NioServer.class);

    private final IoLoop loop;
    private final ServerSocketChannel channel;
    private final InetSocketAddress address;
    private final List<Inet.SocketOption> options;
    private final ActorRef manager;
    private final ActorRef handler;
    /** The Bind's pull mode, for every accepted connection. */
    private final boolean pullMode;
    private ActorRef binding = ActorRef.noSender();
    private final SelectionKey key;
    private boolean closed;

    private NioServer(IoLoop loop, ServerSocketChannel channel, List<Inet.SocketOption> options, ActorRef manager,
                      ActorRef handler, boolean pullMode) throws IOException {
        this.loop = loop;
        this.pullMode = pullMode;
        this.channel = channel;
        this.address = (InetSocketAddress) channel.getLocalAddress();
        this.options = options;
        this.manager = manager;
        this.handler = handler;
        this.key = channel.register(loop.selector(), 0, this);
    }

    /** Binds {@code requested}; accepting starts with {@link #startAccepting}. */
    static NioServer bind(IoLoop loop, InetSocketAddress requested, int backlog, List<Inet.SocketOption> options,
                          ActorRef manager, ActorRef handler, boolean pullMode) throws IOException {
        ServerSocketChannel ch = ServerSocketChannel.open();
        try {
            for (Inet.SocketOption o : options) {
                o.beforeServerSocketBind(ch.socket());
            }
            ch.bind(requested, backlog);
            for (Inet.SocketOption o : options) {
                if (o instanceof Inet.SocketOptionV2 v2) {
                    v2.afterBind(ch.socket());
                }
            }
            ch.configureBlocking(false);
            return new NioServer(loop, ch, options, manager, handler, pullMode);
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    /** The address bound (the real port for port 0). */
    InetSocketAddress address() {
        return address;
    }

    /** Who resumes accepting after a failed accept() paused it. */
    void setBinding(ActorRef binding) {
        this.binding = binding;
    }

    @Override
    public void startAccepting() {
        if (!closed && key.isValid()) {
            key.interestOps(SelectionKey.OP_ACCEPT);
        }
    }

    @Override
    public void onReady(SelectionKey k) {
        if (closed || !k.isValid() || !k.isAcceptable()) {
            return;
        }
        while (true) {
            SocketChannel accepted;
            try {
                accepted = channel.accept();
            } catch (IOException e) {
                // e.g. out of file descriptors: the connection stays pending and the listening socket ready,
                // so pause instead of spinning; the binding resumes accepting shortly.
                log.warn("tcp accept on {} failed: {}", address, e.getMessage());
                handler.tell(new AcceptFailed("", "accept failed: " + e.getMessage()), ActorRef.noSender());
                if (key.isValid()) {
                    key.interestOps(0);
                }
                binding.tell(io.rzmq.pekko.internal.transport.StreamBinding.AcceptPaused.INSTANCE, ActorRef.noSender());
                return;
            }
            if (accepted == null) {
                return;
            }
            try {
                accepted.configureBlocking(false);
                NioChannel ch = NioChannel.accepted(loop, accepted, options, pullMode);
                manager.tell(new NioManager.Accepted(ch, handler), ActorRef.noSender());
            } catch (IOException | RuntimeException e) {
                String peer = peerOf(accepted);
                log.warn("tcp: cannot set up a connection from {} accepted on {}: {}", peer, address, e.getMessage());
                closeQuietly(accepted);
                handler.tell(new AcceptFailed(peer, "cannot set up the accepted connection: " + e.getMessage()),
                    ActorRef.noSender());
            }
        }
    }

    /** Stops listening; the port is free when this returns. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        key.cancel();
        closeQuietly(channel);
        loop.flushCancelledKeys();
    }

    @Override
    public void onShutdown() {
        if (!closed) {
            closed = true;
            closeQuietly(channel); // the selector is closing: that releases the port
        }
    }

    private static String peerOf(SocketChannel ch) {
        try {
            return ch.getRemoteAddress() instanceof InetSocketAddress a
                ? a.getAddress().getHostAddress() + ":" + a.getPort() : "";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static void closeQuietly(java.nio.channels.Channel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public String toString() {
        return "NioServer(" + address + ")";
    }
}
