package io.rzmq.pekko.transport.ipc;

import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.Props;
import org.apache.pekko.actor.Terminated;
import io.rzmq.pekko.transport.BufferSizes;
import org.apache.pekko.io.Tcp;
import org.apache.pekko.io.TcpMessage;

import java.io.IOException;

/**
 * The listener actor of one ipc:// bind, as Pekko IO's TCP listener is for TCP: answers the Bind with
 * Bound (the real address) or CommandFailed, and Unbind with Unbound once the socket file is gone. The
 * listening itself happens in an {@link IpcServer} on the selector thread; accepted connections go to
 * the manager, which starts their connection actors (they outlive an unbind, as in Pekko IO).
 * Stops, closing the listener, when the bind handler stops.
 */
final class IpcBinding extends AbstractActor {

    private record BindSucceeded(IpcServer server) {
    }

    private record BindRefused(Exception cause) {
    }

    private enum ServerClosed { INSTANCE }

    /** From the server: accept() failed and accepting is paused; resume it after {@link #ACCEPT_PAUSE}. */
    enum AcceptPaused { INSTANCE }

    private enum ResumeAccepting { INSTANCE }

    /**
     * How long accepting pauses after accept() failed (out of file descriptors, say): the pending connection
     * keeps the listening socket ready, so retrying at once would spin the selector thread.
     */
    static final java.time.Duration ACCEPT_PAUSE = java.time.Duration.ofMillis(100);

    /** What the selector thread created; touched only there. */
    private static final class Slot {
        IpcServer server;
    }

    private final IpcSelector selector;
    private final Tcp.Bind bind;
    private final ActorRef commander;
    private final Slot slot = new Slot();
    private boolean bound;
    private ActorRef unbindCommander;

    static Props props(IpcSelector selector, Tcp.Bind bind, ActorRef commander) {
        return Props.create(IpcBinding.class, () -> new IpcBinding(selector, bind, commander));
    }

    private IpcBinding(IpcSelector selector, Tcp.Bind bind, ActorRef commander) {
        this.selector = selector;
        this.bind = bind;
        this.commander = commander;
    }

    @Override
    public void preStart() {
        getContext().watch(bind.handler());
        String address = IpcAddresses.address(bind.localAddress());
        try {
            IpcAddresses.validate(address, true);
        } catch (IllegalArgumentException e) {
            refuse(e);
            return;
        }
        ActorRef self = getSelf();
        ActorRef manager = getContext().getParent();
        ActorRef handler = bind.handler();
        int backlog = Math.max(1, bind.backlog());
        BufferSizes sizes = BufferSizes.among(scala.jdk.javaapi.CollectionConverters.asJava(bind.options()))
            .orElse(null);
        selector.execute(() -> {
            try {
                slot.server = IpcServer.bind(selector, address, backlog, manager, handler, self, sizes);
                self.tell(new BindSucceeded(slot.server), ActorRef.noSender());
            } catch (IOException | RuntimeException e) {
                self.tell(new BindRefused(e), ActorRef.noSender());
            }
        });
    }

    @Override
    public void postStop() {
        // Runs after the bind task (the selector's queue is FIFO), so the slot is filled if the bind worked.
        selector.execute(() -> {
            if (slot.server != null) {
                slot.server.close();
            }
        });
    }

    @Override
    public Receive createReceive() {
        return receiveBuilder()
            .match(BindSucceeded.class, b -> {
                bound = true;
                if (unbindCommander != null) {
                    closeServer();
                    return;
                }
                commander.tell(new Tcp.Bound(IpcAddresses.carrier(b.server().address())), getSelf());
                // Only now: every Connected reaches the handler after Bound.
                selector.execute(b.server()::startAccepting);
            })
            .match(BindRefused.class, r -> refuse(r.cause()))
            .matchEquals(AcceptPaused.INSTANCE, p -> getContext().getSystem().scheduler().scheduleOnce(ACCEPT_PAUSE,
                getSelf(), ResumeAccepting.INSTANCE, getContext().getDispatcher(), ActorRef.noSender()))
            .matchEquals(ResumeAccepting.INSTANCE, r -> {
                if (unbindCommander == null) {
                    selector.execute(() -> {
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
        selector.execute(() -> {
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
