package io.rzmq.pekko.api;

import io.rzmq.pekko.model.RzmqException;
import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.pekko.internal.context.ContextCommand;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A ZeroMQ context: a group of sockets with one inproc namespace. Get one from {@code Rzmq.get(system)}
 * ({@code defaultContext()} or {@code newContext()}); create sockets with
 * {@link ZSocket#create(ZContext, io.rzmq.protocol.SocketType)}. Safe to use from any thread.
 */
public final class ZContext {
    private final ActorSystem<?> system;
    private final SocketOptions defaultOptions;
    private final Duration socketCreateTimeout;
    private final String name;
    private final ActorRef<ContextCommand> actor;
    private final Consumer<ZContext> onClose;
    private final CompletableFuture<Done> closed = new CompletableFuture<>();
    private volatile boolean closeRequested;
    /** The close in progress, completed by the context actor or, if the actor system ends first, by the extension. */
    private volatile CompletableFuture<Done> closing;

    private ZContext(ActorSystem<?> system, SocketOptions defaultOptions, Duration socketCreateTimeout, String name,
                     ActorRef<ContextCommand> actor, Consumer<ZContext> onClose) {
        this.system = system;
        this.defaultOptions = defaultOptions;
        this.socketCreateTimeout = socketCreateTimeout;
        this.name = name;
        this.actor = actor;
        this.onClose = onClose;
    }

    /**
     * Used by the extension (applications get contexts from {@code Rzmq}), which passes what the
     * context needs of it rather than itself: the api package does not import the root package.
     */
    public static ZContext create(ActorSystem<?> system, SocketOptions defaultOptions, Duration socketCreateTimeout,
                                  String name, ActorRef<ContextCommand> actor, Consumer<ZContext> onClose) {
        return new ZContext(system, defaultOptions, socketCreateTimeout, name, actor, onClose);
    }

    public String name() {
        return name;
    }

    /** The options sockets of this context start with ({@code rzmq.socket-defaults}). */
    public SocketOptions defaultOptions() {
        return defaultOptions;
    }

    /** The actor system of this context's extension. */
    public ActorSystem<?> system() {
        return system;
    }

    /** How long creating a socket may take ({@code rzmq.context.socket-create-timeout}). */
    public Duration socketCreateTimeout() {
        return socketCreateTimeout;
    }

    /** The context's actor (advanced use: the parent of the sockets' actors). */
    public ActorRef<ContextCommand> actor() {
        return actor;
    }

    public boolean isClosed() {
        return closeRequested;
    }

    /**
     * Closes every socket of this context, each honouring its LINGER (so this may wait for ever when
     * a socket with LINGER -1 has messages nobody takes, as zmq_ctx_term does), then stops the context.
     */
    public CompletionStage<Done> close() {
        return close(null);
    }

    /** Like {@link #close()}, with every socket's LINGER shortened to {@code lingerCap}. */
    public CompletionStage<Done> close(Duration lingerCap) {
        synchronized (this) {
            if (!closeRequested) {
                closeRequested = true;
                CompletableFuture<Done> result = new CompletableFuture<>();
                closing = result;
                actor.tell(new ContextCommand.Close(lingerCap, result));
                // If the actor system is already gone, so is the context. Checked after publishing
                // `closing`: either this sees the end or the extension's one termination hook sees
                // `closing` (no per-close callback on the system's future, which would pile up).
                if (system.whenTerminated().isCompleted()) {
                    result.complete(Done.getInstance());
                }
                result.whenComplete((d, e) -> {
                    onClose.accept(this);
                    closed.complete(Done.getInstance());
                });
            }
        }
        return closed.minimalCompletionStage();
    }

    /** Internal, called once by the extension when the actor system has terminated: a pending close is done. */
    public void systemTerminated() {
        CompletableFuture<Done> c = closing;
        if (c != null) {
            c.complete(Done.getInstance());
        }
    }

    void checkOpen() {
        if (closeRequested) {
            throw new RzmqException(RzmqException.Code.ETERM, "context '" + name + "' is closed");
        }
    }

    @Override
    public String toString() {
        return "ZContext(" + name + ")";
    }
}
