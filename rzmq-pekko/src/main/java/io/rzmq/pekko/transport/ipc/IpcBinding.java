package io.rzmq.pekko.transport.ipc;

import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.Props;
import org.apache.pekko.actor.Terminated;
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
        selector.execute(() -> {
            try {
                slot.server = IpcServer.bind(selector, address, backlog, manager, handler);
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
