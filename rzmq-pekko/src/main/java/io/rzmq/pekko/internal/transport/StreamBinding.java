package io.rzmq.pekko.internal.transport;

import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.Terminated;
import org.apache.pekko.io.Tcp;
import org.apache.pekko.io.TcpMessage;

import java.time.Duration;

/**
 * The listener actor of one bind on a non-blocking I/O thread, as Pekko IO's TCP listener is: answers the
 * Bind with Bound (the real address) or CommandFailed, and Unbind with Unbound once the listening socket
 * is closed; pauses accepting after a failed accept(); stops, closing the listener, when the bind handler
 * stops. The listening socket itself lives on the I/O thread and is touched only there. It exists so that
 * tcp:// ({@code nio.NioBinding}) and ipc:// ({@code ipc.IpcBinding}) write this protocol once; they say
 * how to open their server and run work on their thread.
 *
 * @param <S> the transport's listening socket
 */
public abstract class StreamBinding<S extends StreamBinding.Server> extends AbstractActor {

    /** A transport's listening socket, as the binding drives it (always on the I/O thread). */
    public interface Server {
        void startAccepting();

        void close();
    }

    private record BindSucceeded(Server server) {
    }

    private record BindRefused(Exception cause) {
    }

    private enum ServerClosed { INSTANCE }

    /** From the server: accept() failed and accepting is paused; resume it after {@link #ACCEPT_PAUSE}. */
    public enum AcceptPaused { INSTANCE }

    private enum ResumeAccepting { INSTANCE }

    /**
     * How long accepting pauses after accept() failed (out of file descriptors, say): the pending connection
     * keeps the listening socket ready, so retrying at once would spin the I/O thread.
     */
    public static final Duration ACCEPT_PAUSE = Duration.ofMillis(100);

    /** What the I/O thread created; touched only there. */
    private static final class Slot<S> {
        S server;
    }

    protected final Tcp.Bind bind;
    private final ActorRef commander;
    private final Slot<S> slot = new Slot<>();
    private boolean bound;
    private ActorRef unbindCommander;

    protected StreamBinding(Tcp.Bind bind, ActorRef commander) {
        this.bind = bind;
        this.commander = commander;
    }

    /** Runs {@code task} on the transport's I/O thread, in order. */
    protected abstract void runOnIo(Runnable task);

    /** Checks the bind before anything is opened (throws to refuse it). */
    protected void check() {
    }

    /** Opens the listening socket; runs on the I/O thread. */
    protected abstract S openServer(ActorRef binding, ActorRef manager, ActorRef handler, int backlog)
        throws java.io.IOException;

    /** The address Bound reports. */
    protected abstract java.net.InetSocketAddress boundAddress(S server);

    /** Just before accepting starts, on the I/O thread. */
    protected void beforeAccepting(S server, ActorRef binding) {
    }

    @Override
    public void preStart() {
        getContext().watch(bind.handler());
        try {
            check();
        } catch (IllegalArgumentException e) {
            refuse(e);
            return;
        }
        ActorRef self = getSelf();
        ActorRef manager = getContext().getParent();
        ActorRef handler = bind.handler();
        int backlog = Math.max(1, bind.backlog());
        runOnIo(() -> {
            try {
                slot.server = openServer(self, manager, handler, backlog);
                self.tell(new BindSucceeded(slot.server), ActorRef.noSender());
            } catch (java.io.IOException | RuntimeException e) {
                self.tell(new BindRefused(e), ActorRef.noSender());
            }
        });
    }

    @Override
    public void postStop() {
        // Runs after the bind task (the I/O thread's queue is FIFO), so the slot is filled if the bind worked.
        runOnIo(() -> {
            if (slot.server != null) {
                slot.server.close();
            }
        });
    }

    @Override
    @SuppressWarnings("unchecked")
    public Receive createReceive() {
        return receiveBuilder()
            .match(BindSucceeded.class, b -> {
                bound = true;
                if (unbindCommander != null) {
                    closeServer();
                    return;
                }
                S server = (S) b.server();
                commander.tell(new Tcp.Bound(boundAddress(server)), getSelf());
                // Only now: every Connected reaches the handler after Bound.
                ActorRef self = getSelf();
                runOnIo(() -> {
                    beforeAccepting(server, self);
                    server.startAccepting();
                });
            })
            .match(BindRefused.class, r -> refuse(r.cause()))
            // A pull-mode Bind is taken for its connections' sake (they read in pull mode); accepting itself
            // is not pulled: the server accepts in small batches per readiness, and the listener's bound on
            // connections in their handshake limits what accepting can cost.
            .match(Tcp.ResumeAccepting.class, r -> { })
            .matchEquals(AcceptPaused.INSTANCE, p -> getContext().getSystem().scheduler().scheduleOnce(ACCEPT_PAUSE,
                getSelf(), ResumeAccepting.INSTANCE, getContext().getDispatcher(), ActorRef.noSender()))
            .matchEquals(ResumeAccepting.INSTANCE, r -> {
                if (unbindCommander == null) {
                    runOnIo(() -> {
                        if (slot.server != null) {
                            slot.server.startAccepting();
                        }
                    });
                }
            })
            .matchEquals(TcpMessage.unbind(), u -> {
                if (unbindCommander == null) {
                    unbindCommander = getSender();
                    if (bound) {
                        closeServer();
                    }
                }
            })
            .matchEquals(ServerClosed.INSTANCE, c -> {
                unbindCommander.tell(Tcp.Unbound$.MODULE$, getSelf());
                getContext().stop(getSelf());
            })
            .match(Terminated.class, t -> getContext().stop(getSelf()))
            .build();
    }

    private void closeServer() {
        ActorRef self = getSelf();
        runOnIo(() -> {
            if (slot.server != null) {
                slot.server.close();
            }
            self.tell(ServerClosed.INSTANCE, ActorRef.noSender());
        });
    }

    private void refuse(Exception cause) {
        commander.tell(new Tcp.CommandFailed(bind).withCause(cause), getSelf());
        getContext().stop(getSelf());
    }
}
