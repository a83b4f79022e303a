package io.rzmq.pekko.internal.transport.nio;

import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.Props;
import org.apache.pekko.actor.SupervisorStrategy;
import org.apache.pekko.io.Tcp;

/**
 * rzmq's tcp:// connection manager: takes the same classic commands as Pekko IO's TCP manager
 * ({@code IO(Tcp)}), so the TCP listener, session and engine work on it unchanged, but serves them from an
 * {@link IoLoop} (see {@link NioTcp}).
 *
 * <ul>
 *   <li>{@code Bind} -> {@code Bound(real address)} or {@code CommandFailed} (with the reason as cause),
 *   from a listener actor that answers {@code Unbind} with {@code Unbound}; each accepted connection is
 *   announced to the bind handler with {@code Connected}, sent by its connection actor;</li>
 *   <li>{@code Connect} -> {@code Connected} from the connection actor, or {@code CommandFailed};</li>
 *   <li>connection actors take {@code Register}, {@code Write} (one at a time, acked unless NoAck),
 *   {@code SuspendReading}/{@code ResumeReading} (push or pull mode, as the Bind/Connect says),
 *   {@code Close}, {@code ConfirmedClose}, {@code Abort}, {@code ResumeWriting}, and send {@code Received}, {@code Closed}, {@code ConfirmedClosed},
 *   {@code Aborted}, {@code PeerClosed}, {@code ErrorClosed}.</li>
 * </ul>
 * Not supported: pulled accepting (ResumeAccepting is taken and ignored), WriteFile/CompoundWrite,
 * connect timeouts. TCP_NODELAY is on, as in Pekko IO and libzmq; the Bind/Connect socket options are applied.
 */
final class NioManager extends AbstractActor {

    /** From the loop thread: a listener accepted {@code channel}; tell {@code bindHandler}. */
    record Accepted(NioChannel channel, ActorRef bindHandler) {
    }

    private final IoLoop loop;
    private final String dispatcher;
    private long counter;

    static Props props(IoLoop loop, String dispatcher) {
        return Props.create(NioManager.class, () -> new NioManager(loop, dispatcher)).withDispatcher(dispatcher);
    }

    private NioManager(IoLoop loop, String dispatcher) {
        this.loop = loop;
        this.dispatcher = dispatcher;
    }

    /** A failing listener or connection ends itself only (its channel is closed in postStop). */
    @Override
    public SupervisorStrategy supervisorStrategy() {
        return SupervisorStrategy.stoppingStrategy();
    }

    @Override
    public Receive createReceive() {
        return receiveBuilder()
            .match(Tcp.Bind.class, b -> {
                getContext().actorOf(NioBinding.props(loop, b, getSender(), dispatcher), "listener-" + (++counter));
            })
            .match(Tcp.Connect.class, c -> {
                getContext().actorOf(NioConnection.connecting(loop, c, getSender(), dispatcher), "out-" + (++counter));
            })
            .match(Accepted.class, a -> getContext().actorOf(
                NioConnection.accepted(loop, a.channel(), a.bindHandler(), dispatcher), "in-" + (++counter)))
            .match(Tcp.Command.class, c -> unsupported(c, c.getClass().getSimpleName()))
            .build();
    }

    private void unsupported(Tcp.Command c, String what) {
        getSender().tell(new Tcp.CommandFailed(c).withCause(
            new UnsupportedOperationException(what + " is not supported by rzmq's tcp manager")), getSelf());
    }
}
