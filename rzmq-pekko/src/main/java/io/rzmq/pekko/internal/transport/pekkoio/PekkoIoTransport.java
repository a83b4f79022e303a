package io.rzmq.pekko.internal.transport.pekkoio;

import io.rzmq.pekko.internal.transport.ConnectHandler;
import io.rzmq.pekko.internal.transport.Loop;
import io.rzmq.pekko.internal.transport.PendingConnect;
import io.rzmq.pekko.internal.transport.StreamListener;
import io.rzmq.pekko.internal.transport.StreamListenerHandler;
import io.rzmq.pekko.internal.transport.StreamOptions;
import io.rzmq.pekko.internal.transport.StreamTransport;
import io.rzmq.pekko.internal.transport.loop.IoLoops;
import io.rzmq.pekko.internal.transport.loop.LoopHandle;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.io.Inet;
import org.apache.pekko.io.Tcp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The seam on Pekko IO's TCP ({@code rzmq.tcp-io = "pekko"}): tcp only. Connections are spread over the same
 * {@link IoLoops} as the selector transport's (their dispatchers must be registered on {@code system}): each
 * connection's actor runs on its loop, so the user of the stream (an engine pinned to that loop) and the
 * actor share the thread. Listener callbacks come on loop 0, as {@code LoopTransport}'s do.
 *
 * <p>Actors: one system actor per connection and per listener ({@code /system/rzmq-pekkoio-*}), stopping by
 * themselves once Pekko IO's connection (or listener) actor has stopped, so a clean close leaves none behind.
 *
 * <p>What Pekko IO cannot do: ipc (no Unix-domain sockets); report a failing accept() (it logs it and tries
 * again, so {@link StreamListenerHandler#onAcceptFailed} never comes from here); say that a write was taken
 * at once ({@code write} returns false and the ack brings onFlushed).
 */
public final class PekkoIoTransport implements StreamTransport {
    /** How long {@link #bind} waits for Pekko IO's answer. */
    static final Duration BIND_TIMEOUT = Duration.ofSeconds(30);

    private final ExtendedActorSystem system;
    private final IoLoops loops;
    private final ActorRef manager;
    private final AtomicLong names = new AtomicLong();
    /** Actors of ours alive (listeners, connects, connections): 0 once everything closed. */
    private final AtomicInteger actors = new AtomicInteger();
    /** Connections whose tuning failed inside Pekko IO's hook, by (remote, local), until their Connected comes. */
    private final Map<List<InetSocketAddress>, IOException> setupFailures = new ConcurrentHashMap<>();

    public PekkoIoTransport(ActorSystem system, IoLoops loops) {
        this.system = (ExtendedActorSystem) system;
        this.loops = loops;
        this.manager = Tcp.get(system).manager();
    }

    @Override
    public boolean serves(SocketAddress address) {
        return address instanceof InetSocketAddress;
    }

    @Override
    public StreamListener bind(SocketAddress local, StreamOptions options, StreamListenerHandler handler)
        throws IOException {
        InetSocketAddress a = tcp(local);
        PekkoIoListener listener = new PekkoIoListener(this, handler);
        ActorRef actor = system.systemActorOf(PekkoIoListener.props(listener, a, options, new Tuning(options)),
            name("listener"));
        actorStarted(); // counted from creation, so a test never sees 0 before the actor ran
        listener.awaitBound(actor, BIND_TIMEOUT);
        return listener;
    }

    @Override
    public PendingConnect connect(SocketAddress remote, StreamOptions options, Loop loop, ConnectHandler handler) {
        InetSocketAddress r = tcp(remote);
        if (!(loop instanceof LoopHandle h) || h != loops.get(h.index())) {
            throw new IllegalArgumentException("not a loop of this transport: " + loop);
        }
        h.acquire(); // counts from now, as LoopConnect does; the actor releases it when it stops
        PendingConnectImpl pending = new PendingConnectImpl();
        actorStarted();
        pending.actor = system.systemActorOf(
            PekkoIoStreamActor.connecting(this, h, r, new Tuning(options), handler, pending), name("connect"));
        return pending;
    }

    /** A connect's outcome or its cancel, whichever comes first, settles it; the cancel tells the actor only then. */
    static final class PendingConnectImpl implements PendingConnect {
        private final AtomicBoolean settled = new AtomicBoolean();
        volatile ActorRef actor;

        boolean settle() {
            return settled.compareAndSet(false, true);
        }

        @Override
        public void cancel() {
            if (settle()) {
                actor.tell(PekkoIoStreamActor.CANCEL, ActorRef.noSender());
            }
        }
    }

    // ------------------------------------------------------------------ for the actors

    ActorRef manager() {
        return manager;
    }

    ExtendedActorSystem system() {
        return system;
    }

    IoLoops loops() {
        return loops;
    }

    String name(String kind) {
        return "rzmq-pekkoio-" + kind + "-" + names.incrementAndGet();
    }

    void released(LoopHandle loop) {
        loop.release();
    }

    void actorStarted() {
        actors.incrementAndGet();
    }

    void actorStopped() {
        actors.decrementAndGet();
    }

    /** How many of this transport's actors are alive (for tests and diagnostics). */
    public int liveActors() {
        return actors.get();
    }

    /** The setup failure recorded for this connection, if any (and forgets it). */
    IOException setupFailure(InetSocketAddress remote, InetSocketAddress local) {
        return setupFailures.isEmpty() ? null : setupFailures.remove(List.of(remote, local));
    }

    private static InetSocketAddress tcp(SocketAddress a) {
        if (a instanceof InetSocketAddress i) {
            return i;
        }
        throw new IllegalArgumentException("Pekko IO serves tcp only: " + a);
    }

    /**
     * {@link StreamOptions} through Pekko IO's socket-option hooks, with the selector transport's
     * {@link io.rzmq.pekko.internal.transport.loop.Tuning}. A failure after connect cannot be reported from
     * the hook (Pekko IO would just stop the connection): it is recorded, and the Connected that follows is
     * aborted and reported (onSetupFailed, onConnectFailed).
     */
    final class Tuning implements Inet.SocketOptionV2 {
        private final StreamOptions options;

        Tuning(StreamOptions options) {
            this.options = options;
        }

        @Override
        public void beforeServerSocketBind(ServerSocket ss) {
            try {
                io.rzmq.pekko.internal.transport.loop.Tuning.beforeBind(ss.getChannel(), options, true);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void beforeConnect(Socket s) {
            try {
                io.rzmq.pekko.internal.transport.loop.Tuning.beforeConnect(s.getChannel(), options, true);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void afterConnect(Socket s) {
            try {
                io.rzmq.pekko.internal.transport.loop.Tuning.afterConnect(s.getChannel(), options, true);
            } catch (IOException | RuntimeException e) {
                InetSocketAddress remote = (InetSocketAddress) s.getRemoteSocketAddress();
                InetSocketAddress local = (InetSocketAddress) s.getLocalSocketAddress();
                setupFailures.put(List.of(remote, local),
                    e instanceof IOException io ? io : new IOException(e.toString(), e));
            }
        }

        StreamOptions options() {
            return options;
        }
    }
}
