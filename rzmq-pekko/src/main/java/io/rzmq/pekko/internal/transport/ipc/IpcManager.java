package io.rzmq.pekko.internal.transport.ipc;

import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.Props;
import org.apache.pekko.actor.SupervisorStrategy;
import org.apache.pekko.io.Tcp;

/**
 * The ipc:// connection manager: takes the same classic commands as Pekko IO's TCP manager
 * ({@code IO(Tcp)}), so the TCP listener, session and engine work over Unix-domain sockets unchanged.
 * Addresses travel as unresolved {@code InetSocketAddress}es whose host string is the ipc address (a
 * path, {@code @name}, or {@code *} to bind a fresh path).
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
 * Beyond Pekko IO: a bind handler is told {@link io.rzmq.pekko.internal.transport.AcceptFailed} when accept() or
 * the set-up of an accepted channel fails (accepting then pauses briefly instead of spinning). Of the socket
 * options only {@link io.rzmq.pekko.internal.transport.BufferSizes} (SNDBUF/RCVBUF) is applied, to each channel.
 * Not supported: pulled accepting (ResumeAccepting is taken and ignored), other socket options,
 * WriteFile/CompoundWrite, connect timeouts (a Unix-domain connect completes or fails at once).
 */
final class IpcManager extends AbstractActor {

    /** From the selector thread: a listener accepted {@code channel}; tell {@code bindHandler}. */
    record Accepted(IpcChannel channel, ActorRef bindHandler) {
    }

    private final IpcSelector selector;
    private final String dispatcher;
    private long counter;

    /** @param dispatcher where the listener and connection actors run (rzmq's, beside the engines) */
    static Props props(IpcSelector selector, String dispatcher) {
        return Props.create(IpcManager.class, () -> new IpcManager(selector, dispatcher));
    }

    private IpcManager(IpcSelector selector, String dispatcher) {
        this.selector = selector;
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
                getContext().actorOf(IpcBinding.props(selector, b, getSender()).withDispatcher(dispatcher),
                    "listener-" + (++counter));
            })
            .match(Tcp.Connect.class, c -> {
                getContext().actorOf(IpcConnection.connecting(selector, c, getSender()).withDispatcher(dispatcher),
                    "out-" + (++counter));
            })
            .match(Accepted.class, a ->
                getContext().actorOf(IpcConnection.accepted(selector, a.channel(), a.bindHandler())
                .withDispatcher(dispatcher), "in-" + (++counter)))
            .match(Tcp.Command.class, c -> unsupported(c, c.getClass().getSimpleName()))
            .build();
    }

    private void unsupported(Tcp.Command c, String what) {
        getSender().tell(new Tcp.CommandFailed(c).withCause(
            new UnsupportedOperationException(what + " is not supported by the ipc manager")), getSelf());
    }
}
