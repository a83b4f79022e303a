package io.rzmq.pekko.internal.socket;

import io.rzmq.pekko.internal.pipe.PipeId;
import io.rzmq.pekko.internal.session.TransportCommand;
import io.rzmq.pekko.internal.transport.TransportEvent;
import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Msg;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The messages a SocketCore actor understands. Replies travel as promises completed by the actor
 * (the Java handle hands them out as CompletionStages), so no ask and no temporary actor is needed.
 */
public sealed interface SocketCommand {

    /** Edge wake-ups from the handle (see {@link SocketBridge}); spurious ones are harmless. */
    enum Wake implements SocketCommand {
        /** The outbox got a message while the core was idle. */
        OUTBOX,
        /** The application drained the inbox to half after the core had found it full. */
        INBOX_ROOM,
        /** Delivery credits came back after the core had run out. */
        CREDIT
    }

    /**
     * A send that found the outbox full; completed once the message is in the outbox, or failed with
     * EAGAIN when {@code timeout} (null: none) passes first (SNDTIMEO).
     */
    record SendParked(Msg msg, CompletableFuture<Done> result, Duration timeout) implements SocketCommand {
    }

    /** A parked send's deadline passed. */
    record SendTimedOut(CompletableFuture<Done> result) implements SocketCommand {
    }

    /** A receive that found the inbox empty; {@code timeout} null waits for ever. */
    record ReceiveParked(CompletableFuture<Msg> result, Duration timeout) implements SocketCommand {
    }

    /** Bind; completes with the resolved endpoint (port and wildcards filled in). */
    record Bind(String endpoint, CompletableFuture<String> result) implements SocketCommand {
    }

    record Connect(String endpoint, CompletableFuture<Done> result) implements SocketCommand {
    }

    record Unbind(String endpoint, CompletableFuture<Done> result) implements SocketCommand {
    }

    record Disconnect(String endpoint, CompletableFuture<Done> result) implements SocketCommand {
    }

    /**
     * Subscribe ({@code add} true) or unsubscribe a topic: SUB, or an XPUB_MANUAL XPUB for {@code subscriber}
     * (the sender of the subscription message its application received last; null: nobody, ignored).
     */
    record Subscription(Frame topic, boolean add, CompletableFuture<Done> result, PipeEntry subscriber)
        implements SocketCommand {
        public Subscription(Frame topic, boolean add, CompletableFuture<Done> result) {
            this(topic, add, result, null);
        }
    }

    /** From now on push received messages to {@code target}, at most {@code credits} ahead of its acks. */
    record DeliverTo(ActorRef<Msg> target, int credits, CompletableFuture<Done> result) implements SocketCommand {
    }

    /**
     * Close the socket with its LINGER option, shortened to {@code lingerCap} when that is not null
     * (a context closing on actor-system shutdown must not wait for ever).
     */
    record Close(Duration lingerCap) implements SocketCommand {
    }

    /** Send this socket's monitor events to {@code target} (as well as to any monitor already there). */
    record Monitor(ActorRef<io.rzmq.pekko.model.MonitorEvent> target, CompletableFuture<Done> result) implements SocketCommand {
    }

    /** Stop sending monitor events to {@code target}; it gets MONITOR_STOPPED last. */
    record StopMonitor(ActorRef<io.rzmq.pekko.model.MonitorEvent> target, CompletableFuture<Done> result)
        implements SocketCommand {
    }

    /** A monitor actor stopped. */
    record MonitorGone(ActorRef<io.rzmq.pekko.model.MonitorEvent> target) implements SocketCommand {
    }

    /** Report the socket's state; also a barrier: everything sent to the actor before it is processed. */
    record Status(CompletableFuture<SocketStatus> result) implements SocketCommand {
    }

    /**
     * The context's answer to an inproc bind or connect, with the pipes it attached for it: the socket
     * attaches them and then completes {@code result}, in one step. Answered apart from the pipes, the
     * promise could still be open when traffic on them let the socket close and stop, and the stop drain
     * failed a bind or connect that worked with ETERM.
     */
    record InprocAnswer<T>(List<TransportEvent.PipeAttached> pipes, CompletableFuture<T> result, T value)
        implements SocketCommand {
    }

    /** An event from one of the socket's transports (or from the context, for inproc). */
    record FromTransport(TransportEvent event) implements SocketCommand {
    }

    /** Reader wake-up of an in pipe. */
    record PipeReadable(PipeId id) implements SocketCommand {
    }

    /** Writer wake-up of an out pipe. */
    record PipeWritable(PipeId id) implements SocketCommand {
    }

    /** A parked receive's deadline passed. */
    record ReceiveTimedOut(CompletableFuture<Msg> result) implements SocketCommand {
    }

    /** A transport child (listener or session) stopped. */
    record TransportStopped(ActorRef<TransportCommand> child) implements SocketCommand {
    }

    /** Internal self-messages. */
    enum Internal implements SocketCommand {
        /** Continue draining the outbox (after a batch, to let other messages in). */
        PUMP_OUT,
        /** Continue filling the inbox. */
        PUMP_IN,
        /** The LINGER time of a closing socket is over. */
        LINGER_EXPIRED,
        /**
         * Closing is done: stop once what is already in the mailbox (pipe wake-ups, pumps) is read, so none
         * of it is dead-lettered; the pipes are closed by then, so nothing new is sent here.
         */
        STOP
    }
}
