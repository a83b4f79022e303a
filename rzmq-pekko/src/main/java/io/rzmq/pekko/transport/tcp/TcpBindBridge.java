package io.rzmq.pekko.transport.tcp;

import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.Props;
import org.apache.pekko.io.Tcp;
import org.apache.pekko.io.TcpMessage;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * The classic half of a {@link TcpListener}: Pekko IO tells the bind handler about a new connection with
 * {@code Connected} whose <em>sender</em> is the connection actor, which a typed actor cannot see. This
 * actor binds, and forwards each event to its typed parent with that sender attached. Off the data path
 * (one message per bind, accept and unbind).
 */
final class TcpBindBridge extends AbstractActor {

    /** Bound to {@code local}. */
    record Bound(InetSocketAddress local) {
    }

    /** The bind was refused. */
    record BindFailed(String reason) {
    }

    /** A connection was accepted; {@code connection} is the Pekko IO connection actor to register with. */
    record Accepted(ActorRef connection, InetSocketAddress remote, InetSocketAddress local) {
    }

    /** Tells the bridge to stop listening; it stops once the port is released. */
    enum Unbind { INSTANCE }

    private final ActorRef listener;
    private final ActorRef manager;
    private final InetSocketAddress address;
    private final int backlog;
    private ActorRef tcpListener;
    private boolean unbindRequested;

    /** {@code manager}: Pekko IO's TCP manager, or another that speaks its protocol (ipc://). */
    static Props props(ActorRef listener, ActorRef manager, InetSocketAddress address, int backlog) {
        return Props.create(TcpBindBridge.class, () -> new TcpBindBridge(listener, manager, address, backlog));
    }

    private TcpBindBridge(ActorRef listener, ActorRef manager, InetSocketAddress address, int backlog) {
        this.listener = listener;
        this.manager = manager;
        this.address = address;
        this.backlog = backlog;
    }

    @Override
    public void preStart() {
        manager.tell(TcpMessage.bind(getSelf(), address, backlog, List.of(), false), getSelf());
    }

    @Override
    public Receive createReceive() {
        return receiveBuilder()
            .match(Tcp.Bound.class, b -> {
                tcpListener = getSender();
                if (unbindRequested) {
                    tcpListener.tell(TcpMessage.unbind(), getSelf());
                } else {
                    listener.tell(new Bound(b.localAddress()), getSelf());
                }
            })
            .match(Tcp.CommandFailed.class, f -> {
                String cause = f.cause().isDefined() ? f.cause().get().getMessage() : f.causedByString();
                listener.tell(new BindFailed(cause == null || cause.isEmpty() ? "bind refused" : cause), getSelf());
                getContext().stop(getSelf());
            })
            .match(Tcp.Connected.class, c -> {
                if (unbindRequested) {
                    getSender().tell(TcpMessage.abort(), getSelf());
                } else {
                    listener.tell(new Accepted(getSender(), c.remoteAddress(), c.localAddress()), getSelf());
                }
            })
            .matchEquals(Unbind.INSTANCE, u -> {
                if (!unbindRequested) {
                    unbindRequested = true;
                    if (tcpListener != null) {
                        tcpListener.tell(TcpMessage.unbind(), getSelf());
                    }
                }
            })
            .match(Tcp.Unbound.class, u -> getContext().stop(getSelf()))
            .build();
    }
}
