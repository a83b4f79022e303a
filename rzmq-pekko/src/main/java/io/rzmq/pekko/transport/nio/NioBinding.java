package io.rzmq.pekko.transport.nio;

import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.Props;
import org.apache.pekko.actor.Terminated;
import org.apache.pekko.io.Inet;
import org.apache.pekko.io.Tcp;
import org.apache.pekko.io.TcpMessage;

import java.io.IOException;
import java.util.List;

/**
 * The listener actor of one tcp:// bind on an {@link IoLoop}, as Pekko IO's TCP listener is: answers the
 * Bind with Bound (the real address) or CommandFailed, and Unbind with Unbound once the port is closed.
 * Accepted connections go to the manager, which starts their connection actors (they outlive an unbind,
 * as in Pekko IO). Stops, closing the listener, when the bind handler stops.
 */
final class NioBinding extends AbstractActor {

    private record BindSucceeded(NioServer server) {
    }

    private record BindRefused(Exception cause) {
    }

    private enum ServerClosed { INSTANCE }

    /** From the server: accept() failed and accepting is paused; resume it after {@link #ACCEPT_PAUSE}. */
    enum AcceptPaused { INSTANCE }

    private enum ResumeAccepting { INSTANCE }

    static final java.time.Duration ACCEPT_PAUSE = java.time.Duration.ofMillis(100);

    /** What the loop thread created; touched only there. */
    private static final class Slot {
        NioServer server;
    }

    private final IoLoop loop;
    private final Tcp.Bind bind;
    private final ActorRef commander;
    private final Slot slot = new Slot();
    private boolean bound;
    private ActorRef unbindCommander;

    static Props props(IoLoop loop, Tcp.Bind bind, ActorRef commander, String dispatcher) {
        return Props.create(NioBinding.class, () -> new NioBinding(loop, bind, commander)).withDispatcher(dispatcher);
    }

    private NioBinding(IoLoop loop, Tcp.Bind bind, ActorRef commander) {
        this.loop = loop;
        this.bind = bind;
        this.commander = commander;
    }

    @Override
    public void preStart() {
        getContext().watch(bind.handler());
        ActorRef self = getSelf();
        ActorRef manager = getContext().getParent();
        ActorRef handler = bind.handler();
        int backlog = Math.max(1, bind.backlog());
        List<Inet.SocketOption> options = scala.jdk.javaapi.CollectionConverters.asJava(bind.options().toList());
        loop.runOnLoop(() -> {
            try {
                slot.server = NioServer.bind(loop, bind.localAddress(), backlog, options, manager, handler);
                self.tell(new BindSucceeded(slot.server), ActorRef.noSender());
            } catch (IOException | RuntimeException e) {
                self.tell(new BindRefused(e), ActorRef.noSender());
            }
        });
    }

    @Override
    public void postStop() {
        // Runs after the bind task (the loop's queue is FIFO), so the slot is filled if the bind worked.
        loop.runOnLoop(() -> {
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
                commander.tell(new Tcp.Bound(b.server().address()), getSelf());
                // Only now: every Connected reaches the handler after Bound.
                ActorRef self = getSelf();
                loop.runOnLoop(() -> {
                    b.server().setBinding(self);
                    b.server().startAccepting();
                });
            })
            .matchEquals(AcceptPaused.INSTANCE, p -> getContext().getSystem().scheduler().scheduleOnce(ACCEPT_PAUSE,
                getSelf(), ResumeAccepting.INSTANCE, getContext().getDispatcher(), ActorRef.noSender()))
            .matchEquals(ResumeAccepting.INSTANCE, r -> {
                if (unbindCommander == null) {
                    loop.runOnLoop(() -> {
                        if (slot.server != null) {
                            slot.server.startAccepting();
                        }
                    });
                }
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
        loop.runOnLoop(() -> {
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
