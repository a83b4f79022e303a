package io.rzmq.pekko.internal.context;

import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.pekko.internal.socket.SocketBridge;
import io.rzmq.pekko.internal.socket.SocketCommand;
import io.rzmq.protocol.SocketType;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** The messages a ContextActor understands. */
public sealed interface ContextCommand {

    /** Spawn a SocketCore for {@code bridge}; completes with its ref (already attached to the bridge). */
    record CreateSocket(SocketType type, SocketOptions options, SocketBridge bridge,
                        CompletableFuture<ActorRef<SocketCommand>> result) implements ContextCommand {
    }

    /** Register {@code inproc://name}; completes with the endpoint, or fails when it is taken. */
    record InprocBind(String name, ActorRef<SocketCommand> socket, SocketType type, SocketOptions options,
                      CompletableFuture<String> result) implements ContextCommand {
    }

    record InprocUnbind(String name, ActorRef<SocketCommand> socket, CompletableFuture<Done> result)
        implements ContextCommand {
    }

    /** Connect to {@code inproc://name}, now or (connect-before-bind) when it is bound. */
    record InprocConnect(String name, ActorRef<SocketCommand> socket, SocketType type, SocketOptions options,
                         CompletableFuture<Done> result) implements ContextCommand {
    }

    /** The socket is closing: drop its binds so nobody new attaches to it. */
    record SocketClosing(ActorRef<SocketCommand> socket) implements ContextCommand {
    }

    /** Close every socket (each with its LINGER, capped by {@code lingerCap} when not null), then stop. */
    record Close(Duration lingerCap, CompletableFuture<Done> result) implements ContextCommand {
    }

    /** Watch notification: a socket actor stopped. */
    record SocketStopped(ActorRef<SocketCommand> socket) implements ContextCommand {
    }

    /** Watch notification: the context's ZAP client stopped (after everything the context sent it). */
    record ZapClientStopped() implements ContextCommand {
    }
}
