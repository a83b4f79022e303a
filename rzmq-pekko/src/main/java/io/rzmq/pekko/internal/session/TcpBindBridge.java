package io.rzmq.pekko.internal.session;

import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.Props;
import org.apache.pekko.io.Inet;
import org.apache.pekko.io.Tcp;
import org.apache.pekko.io.TcpMessage;
import io.rzmq.pekko.internal.transport.AcceptTuning;

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

    /**
     * A connection could not be accepted or set up ({@code remote} null when unknown); it is gone, the
     * listener goes on.
     */
    record AcceptFailed(InetSocketAddress remote, String peer, String reason) {
    }

    /** A connection was accepted; {@code connection} is the Pekko IO connection actor to register with. */
    record Accepted(ActorRef connection, InetSocketAddress remote, InetSocketAddress local) {
    }

    /** Tells the bridge to stop listening; it stops once the port is released. */
    enum Unbind { INSTANCE }

    /**
     * How many connections the listener may accept before it hears from us again. The Bind is in pull mode
     * (so that every accepted connection is in pull mode too: the engine asks for each chunk it reads),
     * which makes accepting pulled as well; we ask again on every Connected, so accepting never stalls.
     * Pekko IO's own push-mode batch is 10.
     */
    private static final int ACCEPT_BATCH = 10;

    private final ActorRef listener;
    private final ActorRef manager;
    private final InetSocketAddress address;
    private final int backlog;
    private final AcceptTuning tuning;
    private ActorRef tcpListener;
    private boolean unbindRequested;

    /**
     * {@code manager}: Pekko IO's TCP manager, or another that speaks its protocol (ipc://); {@code options}:
     * socket options for every accepted connection (TCP keepalive).
     */
    static Props props(ActorRef listener, ActorRef manager, InetSocketAddress address, int backlog,
                       List<Inet.SocketOption> options) {
        return Props.create(TcpBindBridge.class, () -> new TcpBindBridge(listener, manager, address, backlog, options));
    }

    private TcpBindBridge(ActorRef listener, ActorRef manager, InetSocketAddress address, int backlog,
                          List<Inet.SocketOption> options) {
        this.listener = listener;
        this.manager = manager;
        this.address = address;
        this.backlog = backlog;
        this.tuning = new AcceptTuning(options);
    }

    @Override
    public void preStart() {
        manager.tell(TcpMessage.bind(getSelf(), address, backlog, List.of(tuning), true), getSelf());
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
                    tcpListener.tell(TcpMessage.resumeAccepting(ACCEPT_BATCH), getSelf());
                }
            })
            .match(Tcp.CommandFailed.class, f -> {
                String cause = f.cause().isDefined() ? f.cause().get().getMessage() : f.causedByString();
                listener.tell(new BindFailed(cause == null || cause.isEmpty() ? "bind refused" : cause), getSelf());
                getContext().stop(getSelf());
            })
            .match(Tcp.Connected.class, c -> {
                String tuningFailed = tuning.takeFailure(c.remoteAddress());
                if (!unbindRequested && tcpListener != null) {
                    tcpListener.tell(TcpMessage.resumeAccepting(ACCEPT_BATCH), getSelf());
                }
                if (unbindRequested) {
                    getSender().tell(TcpMessage.abort(), getSelf());
                } else if (tuningFailed != null) {
                    getSender().tell(TcpMessage.abort(), getSelf());
                    listener.tell(new AcceptFailed(c.remoteAddress(), null,
                        "cannot set up the accepted connection: " + tuningFailed), getSelf());
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
            // From the ipc manager: accept() or setting up an accepted channel failed.
            .match(io.rzmq.pekko.internal.transport.AcceptFailed.class, f -> {
                if (!unbindRequested) {
                    listener.tell(new AcceptFailed(null, f.peer(), f.reason()), getSelf());
                }
            })
            .match(Tcp.Unbound.class, u -> getContext().stop(getSelf()))
            .build();
    }
}
