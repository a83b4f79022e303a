package io.rzmq.pekko.internal.transport.pekkoio;

import io.rzmq.pekko.internal.transport.PeerAddress;
import io.rzmq.pekko.internal.transport.StreamListener;
import io.rzmq.pekko.internal.transport.StreamListenerHandler;
import io.rzmq.pekko.internal.transport.StreamOptions;
import io.rzmq.pekko.internal.transport.loop.LoopHandle;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.Props;
import org.apache.pekko.io.Inet;
import org.apache.pekko.io.Tcp;
import org.apache.pekko.io.TcpMessage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A Pekko IO listener in pull mode: accepting is asked for in batches ({@code ResumeAccepting}); pausing asks
 * for none. Its actor runs on Pekko's default dispatcher, not on a loop, so that {@code bind}, which waits
 * for {@code Bound}, may be called from a loop thread; handler calls hop to loop 0. Each accepted connection
 * is registered with a new stream actor on the loop {@code IoLoops.pick()} chose before the user hears of it.
 */
final class PekkoIoListener implements StreamListener {
    /** Accepts per ResumeAccepting; asked again when used up (Pekko IO's push-mode batch is 10). */
    static final int ACCEPT_BATCH = 10;

    private enum Cmd { PAUSE, RESUME, CLOSE }

    private final PekkoIoTransport transport;
    private final StreamListenerHandler handler;
    private final LoopHandle home;
    private final CompletableFuture<InetSocketAddress> bound = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile ActorRef actor;
    private volatile InetSocketAddress boundAddress;

    PekkoIoListener(PekkoIoTransport transport, StreamListenerHandler handler) {
        this.transport = transport;
        this.handler = handler;
        this.home = transport.loops().get(0);
    }

    static Props props(PekkoIoListener l, InetSocketAddress address, StreamOptions options, Inet.SocketOption tuning) {
        return Props.create(ListenerActor.class, () -> new ListenerActor(l, address, options, tuning));
    }

    void awaitBound(ActorRef a, Duration timeout) throws IOException {
        this.actor = a;
        try {
            boundAddress = bound.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            throw c instanceof IOException io ? io : new IOException(String.valueOf(c), c);
        } catch (TimeoutException e) {
            a.tell(Cmd.CLOSE, ActorRef.noSender());
            throw new IOException("Pekko IO did not bind within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            a.tell(Cmd.CLOSE, ActorRef.noSender());
            throw new IOException("interrupted while binding", e);
        }
    }

    @Override
    public String boundEndpoint() {
        InetSocketAddress a = boundAddress;
        String host = a.getAddress().getHostAddress();
        if (a.getAddress() instanceof java.net.Inet6Address) {
            host = "[" + host + "]";
        }
        return "tcp://" + host + ":" + a.getPort();
    }

    @Override
    public SocketAddress boundAddress() {
        return boundAddress;
    }

    @Override
    public void pauseAccepting() {
        actor.tell(Cmd.PAUSE, ActorRef.noSender());
    }

    @Override
    public void resumeAccepting() {
        actor.tell(Cmd.RESUME, ActorRef.noSender());
    }

    @Override
    public CompletionStage<Void> close() {
        if (!closed.isDone()) {
            actor.tell(Cmd.CLOSE, ActorRef.noSender());
        }
        return closed;
    }

    /** Completes once the listener's actor has acted on every pause/resume told before (tests). */
    CompletionStage<Void> commandsDone() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        actor.tell(done, ActorRef.noSender());
        return done;
    }

    @Override
    public String toString() {
        return "PekkoIoListener(" + boundAddress + ")";
    }

    static final class ListenerActor extends AbstractActor {
        private final PekkoIoListener l;
        private final InetSocketAddress address;
        private final StreamOptions options;
        private final Inet.SocketOption tuning;
        private ActorRef tcpListener;
        private int budget;
        private boolean paused;
        private boolean closing;

        ListenerActor(PekkoIoListener l, InetSocketAddress address, StreamOptions options, Inet.SocketOption tuning) {
            this.l = l;
            this.address = address;
            this.options = options;
            this.tuning = tuning;
        }

        @Override
        public void preStart() {
            l.transport.manager().tell(TcpMessage.bind(getSelf(), address, options.backlog(), List.of(tuning), true),
                getSelf());
        }

        @Override
        public void postStop() {
            l.transport.actorStopped();
            l.bound.completeExceptionally(new IOException("listener stopped before binding"));
            l.closed.complete(null);
        }

        @Override
        public Receive createReceive() {
            return receiveBuilder()
                .match(Tcp.Bound.class, b -> {
                    tcpListener = getSender();
                    if (closing) {
                        tcpListener.tell(TcpMessage.unbind(), getSelf());
                        return;
                    }
                    l.bound.complete(b.localAddress());
                    ask();
                })
                .match(Tcp.CommandFailed.class, f -> {
                    Throwable cause = f.cause().isDefined() ? f.cause().get()
                        : new IOException("cannot bind " + address);
                    l.bound.completeExceptionally(cause);
                    getContext().stop(getSelf());
                })
                .match(Tcp.Connected.class, this::accepted)
                .match(CompletableFuture.class, f -> f.complete(null))
                .match(Tcp.Unbound.class, u -> getContext().stop(getSelf()))
                .match(Tcp.ConnectionClosed.class, c -> { }) // an aborted connection's last word
                .matchEquals(Cmd.PAUSE, c -> {
                    paused = true;
                    if (tcpListener != null && !closing) {
                        tcpListener.tell(TcpMessage.resumeAccepting(0), getSelf()); // accept none for now
                        budget = 0;
                    }
                })
                .matchEquals(Cmd.RESUME, c -> {
                    paused = false;
                    ask();
                })
                .matchEquals(Cmd.CLOSE, c -> {
                    if (closing) {
                        return;
                    }
                    closing = true;
                    if (tcpListener != null) {
                        tcpListener.tell(TcpMessage.unbind(), getSelf()); // Unbound once the port is free
                    } else if (l.bound.isDone()) {
                        getContext().stop(getSelf()); // binding failed already
                    } // else: Bound or CommandFailed still to come
                })
                .build();
        }

        private void ask() {
            if (tcpListener != null && !paused && !closing && budget == 0) {
                budget = ACCEPT_BATCH;
                tcpListener.tell(TcpMessage.resumeAccepting(ACCEPT_BATCH), getSelf());
            }
        }

        private void accepted(Tcp.Connected c) {
            ActorRef connection = getSender();
            if (budget > 0) {
                budget--;
            }
            ask();
            PeerAddress peer = PeerAddress.tcp(c.remoteAddress(), c.localAddress());
            IOException setup = l.transport.setupFailure(c.remoteAddress(), c.localAddress());
            if (closing || setup != null) {
                connection.tell(TcpMessage.abort(), getSelf()); // a reset; its Aborted comes back here
                if (setup != null) {
                    l.home.execute(() -> l.handler.onSetupFailed(peer, setup));
                }
                return;
            }
            LoopHandle target = l.transport.loops().pick();
            target.acquire();
            PekkoIoStream stream = new PekkoIoStream(target, peer, connection);
            l.transport.actorStarted();
            ActorRef streamActor = l.transport.system().systemActorOf(
                PekkoIoStreamActor.accepted(l.transport, target, stream, connection), l.transport.name("accepted"));
            stream.attach(streamActor);
            // Registered before the user hears of the stream, so that its first command finds it registered.
            connection.tell(TcpMessage.register(streamActor, true, false), getSelf());
            l.home.execute(() -> l.handler.onAccepted(stream));
        }
    }
}
