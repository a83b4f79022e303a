package io.rzmq.pekko.internal.socket;

import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.protocol.SocketType;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;

import java.util.concurrent.CompletableFuture;

/**
 * What a socket asks of its context (inproc names, its own closing and stopping), as a callback the
 * context hands over when it spawns the socket: the socket layer sits below the context and does not
 * know the context's protocol. Each call only sends a message to the context; none blocks.
 */
public interface ContextLink {

    /** Register {@code inproc://name}; {@code result} completes with the endpoint, or fails when it is taken. */
    void inprocBind(String name, ActorRef<SocketCommand> socket, SocketType type, SocketOptions options,
                    CompletableFuture<String> result);

    void inprocUnbind(String name, ActorRef<SocketCommand> socket, CompletableFuture<Done> result);

    /** Connect to {@code inproc://name}, now or (connect-before-bind) when it is bound. */
    void inprocConnect(String name, ActorRef<SocketCommand> socket, SocketType type, SocketOptions options,
                       CompletableFuture<Done> result);

    /** The socket is closing: its binds go, so nobody new attaches to it. */
    void socketClosing(ActorRef<SocketCommand> socket);

    /** The socket has stopped. */
    void socketStopped(ActorRef<SocketCommand> socket);
}
