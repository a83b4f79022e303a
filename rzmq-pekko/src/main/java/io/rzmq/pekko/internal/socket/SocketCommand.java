package io.rzmq.pekko.internal.socket;

import io.rzmq.pekko.internal.session.TransportCommand;
import io.rzmq.pekko.internal.transport.TransportEvent;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The messages a SocketCore actor (the socket's control plane) understands; no message here is per ZeroMQ
 * message (sends and receives are the {@link SocketDataPlane}'s). Replies travel as promises completed by the actor
 * (the Java handle hands them out as CompletionStages), so no ask and no temporary actor is needed.
 */
public sealed interface SocketCommand {

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

    /** A transport child (listener or session) stopped. */
    record TransportStopped(ActorRef<TransportCommand> child) implements SocketCommand {
    }

    /** Internal self-messages. */
    enum Internal implements SocketCommand {
        /** The data plane applied the close: every pipe is let go; the transports can be closed now. */
        PLANE_CLOSED,
        /** The LINGER time of a closing socket is over. */
        LINGER_EXPIRED,
        /**
         * Closing is done: stop once what is already in the mailbox (pipe wake-ups, pumps) is read, so none
         * of it is dead-lettered; the pipes are closed by then, so nothing new is sent here.
         */
        STOP
    }
}
