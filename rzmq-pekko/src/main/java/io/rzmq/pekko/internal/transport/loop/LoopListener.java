package io.rzmq.pekko.internal.transport.loop;

import io.rzmq.pekko.internal.transport.PeerAddress;
import io.rzmq.pekko.internal.transport.StreamListener;
import io.rzmq.pekko.internal.transport.StreamListenerHandler;
import io.rzmq.pekko.internal.transport.StreamOptions;
import io.rzmq.pekko.internal.transport.nio.IoLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A listening channel on its home loop (loop 0). Each accepted connection is tuned and placed on the loop
 * {@link IoLoops#pick()} chooses; accept() failing pauses accepting until the user resumes it.
 */
final class LoopListener implements StreamListener, IoLoop.Ready {
    private static final Logger log = LoggerFactory.getLogger(LoopListener.class);

    private final IoLoops loops;
    private final LoopHandle home;
    private final ServerSocketChannel channel;
    private final boolean tcp;
    private final StreamOptions options;
    private final StreamListenerHandler handler;
    private final SocketAddress bound;
    private final String endpoint;
    /** ipc: the socket file and its identity when bound, removed on close only if still ours. */
    private final Path file;
    private final Object fileKey;
    private final CompletableFuture<Void> closedFuture = new CompletableFuture<>();
    private SelectionKey key;
    private boolean paused;
    private boolean closed;

    LoopListener(IoLoops loops, ServerSocketChannel channel, boolean tcp, StreamOptions options,
                 StreamListenerHandler handler, SocketAddress bound, String endpoint, Path file) {
        this.loops = loops;
        this.home = loops.get(0);
        this.channel = channel;
        this.tcp = tcp;
        this.options = options;
        this.handler = handler;
        this.bound = bound;
        this.endpoint = endpoint;
        this.file = file;
        this.fileKey = file == null ? null : IpcFiles.fileKey(file);
    }

    void start() {
        home.execute(() -> {
            if (closed) {
                return;
            }
            try {
                key = home.io().register(channel, SelectionKey.OP_ACCEPT, this);
            } catch (IOException e) {
                log.warn("{}: cannot register the listener: {}", endpoint, e.getMessage());
                handler.onAcceptFailed(e);
            }
        });
    }

    @Override
    public String boundEndpoint() {
        return endpoint;
    }

    @Override
    public SocketAddress boundAddress() {
        return bound;
    }

    @Override
    public void pauseAccepting() {
        onHome(() -> {
            paused = true;
            updateInterest();
        });
    }

    @Override
    public void resumeAccepting() {
        onHome(() -> {
            paused = false;
            updateInterest();
        });
    }

    @Override
    public CompletionStage<Void> close() {
        onHome(() -> {
            closeNow();
            home.io().releaseCancelledKeys(); // the port is really free after the selector drops the key
            closedFuture.complete(null);
        });
        return closedFuture;
    }

    private void onHome(Runnable task) {
        if (home.inLoop()) {
            task.run();
        } else {
            home.execute(task);
        }
    }

    private void updateInterest() {
        if (!closed && key != null && key.isValid()) {
            key.interestOps(paused ? 0 : SelectionKey.OP_ACCEPT);
        }
    }

    @Override
    public void onReady(SelectionKey k) {
        while (!closed && !paused && k.isValid()) {
            SocketChannel accepted;
            try {
                accepted = channel.accept();
            } catch (IOException e) {
                // e.g. out of descriptors: the connection stays in the backlog and the socket ready, so pause
                // instead of spinning; the user resumes.
                paused = true;
                updateInterest();
                handler.onAcceptFailed(e);
                return;
            }
            if (accepted == null) {
                return;
            }
            setUp(accepted);
        }
    }

    private void setUp(SocketChannel accepted) {
        PeerAddress peer = LoopTransport.peerOf(accepted, tcp);
        try {
            accepted.configureBlocking(false);
            Tuning.afterAccept(accepted, options, tcp);
        } catch (IOException | RuntimeException e) {
            if (tcp) {
                try {
                    accepted.setOption(StandardSocketOptions.SO_LINGER, 0); // a reset, not an orderly end
                } catch (IOException | RuntimeException ignored) {
                    // closing anyway
                }
            }
            try {
                accepted.close();
            } catch (IOException ignored) {
                // closed anyway
            }
            handler.onSetupFailed(peer, e instanceof IOException io ? io : new IOException(e.toString(), e));
            return;
        }
        LoopHandle target = loops.pick();
        target.acquire();
        LoopStream stream = new LoopStream(target, accepted, tcp, peer, null);
        target.execute(stream::register); // so that the loop's shutdown closes it even if never started
        handler.onAccepted(stream);
    }

    private void closeNow() {
        if (closed) {
            return;
        }
        closed = true;
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closed anyway
        }
        if (file != null) {
            IpcFiles.removeIfOurs(file, fileKey);
        }
    }

    @Override
    public void onShutdown() {
        closeNow();
        closedFuture.complete(null);
    }

    @Override
    public String toString() {
        return "LoopListener(" + endpoint + ")";
    }
}
