package io.rzmq.pekko.stream;

import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.pekko.api.ZContext;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.protocol.SocketType;
import org.apache.pekko.actor.typed.DispatcherSelector;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * What socket a stream stage should open: type, options, endpoints to bind and connect, SUB topics.
 * Immutable; {@code withX} returns a changed copy. Lets a stage own its socket from materialization
 * to completion: {@code ZmqStreams.source(ctx, ZmqSocketSpec.of(SocketType.SUB).withConnect(ep).withSubscribe("a"))}.
 */
public final class ZmqSocketSpec {
    private final SocketType type;
    private final SocketOptions options;
    private final List<String> binds;
    private final List<String> connects;
    private final List<String> subscriptions;

    private ZmqSocketSpec(SocketType type, SocketOptions options, List<String> binds, List<String> connects,
                          List<String> subscriptions) {
        this.type = type;
        this.options = options;
        this.binds = List.copyOf(binds);
        this.connects = List.copyOf(connects);
        this.subscriptions = List.copyOf(subscriptions);
    }

    /** A socket of {@code type} with the context's default options and no endpoints yet. */
    public static ZmqSocketSpec of(SocketType type) {
        return new ZmqSocketSpec(Objects.requireNonNull(type, "type"), null, List.of(), List.of(), List.of());
    }

    public SocketType type() {
        return type;
    }

    /** The options, or null for the context's defaults. */
    public SocketOptions options() {
        return options;
    }

    public List<String> binds() {
        return binds;
    }

    public List<String> connects() {
        return connects;
    }

    public List<String> subscriptions() {
        return subscriptions;
    }

    public ZmqSocketSpec withOptions(SocketOptions v) {
        return new ZmqSocketSpec(type, Objects.requireNonNull(v, "options"), binds, connects, subscriptions);
    }

    /** Adds an endpoint to bind (in order, before any connect). */
    public ZmqSocketSpec withBind(String endpoint) {
        return new ZmqSocketSpec(type, options, plus(binds, endpoint), connects, subscriptions);
    }

    /** Adds an endpoint to connect to. */
    public ZmqSocketSpec withConnect(String endpoint) {
        return new ZmqSocketSpec(type, options, binds, plus(connects, endpoint), subscriptions);
    }

    /** Adds a SUB topic (prefix; "" for everything), subscribed before any bind or connect. */
    public ZmqSocketSpec withSubscribe(String topic) {
        return new ZmqSocketSpec(type, options, binds, connects, plus(subscriptions, topic));
    }

    private static List<String> plus(List<String> list, String item) {
        List<String> l = new ArrayList<>(list);
        l.add(Objects.requireNonNull(item));
        return l;
    }

    /**
     * Creates the socket, subscribes, binds and connects. Socket creation waits briefly for the
     * context, so it runs on the actor system's blocking dispatcher, never on the caller's thread.
     * On a failure the socket is closed and the stage fails with the cause.
     */
    public CompletionStage<OpenedSocket> open(ZContext ctx) {
        Objects.requireNonNull(ctx, "ctx");
        Executor blocking = ctx.system().dispatchers().lookup(DispatcherSelector.blocking());
        return CompletableFuture.supplyAsync(
            () -> options == null ? ZSocket.create(ctx, type) : ZSocket.create(ctx, type, options), blocking)
            .thenCompose(socket -> setUp(socket).handle((opened, err) -> {
                if (err != null) {
                    socket.close();
                    throw err instanceof RuntimeException re ? re : new java.util.concurrent.CompletionException(err);
                }
                return opened;
            }));
    }

    private CompletionStage<OpenedSocket> setUp(ZSocket socket) {
        CompletionStage<List<String>> chain = CompletableFuture.completedStage(new ArrayList<>());
        for (String topic : subscriptions) {
            chain = chain.thenCompose(bound -> socket.subscribe(topic).thenApply(d -> bound));
        }
        for (String ep : binds) {
            chain = chain.thenCompose(bound -> socket.bind(ep).thenApply(resolved -> {
                bound.add(resolved);
                return bound;
            }));
        }
        for (String ep : connects) {
            chain = chain.thenCompose(bound -> socket.connect(ep).thenApply(d -> bound));
        }
        return chain.thenApply(bound -> new OpenedSocket(socket, List.copyOf(bound)));
    }

    /** A socket opened from a spec, with the endpoints its binds resolved to (real ports for port 0). */
    public record OpenedSocket(ZSocket socket, List<String> boundEndpoints) {
    }

    @Override
    public String toString() {
        return "ZmqSocketSpec(" + type + ", bind=" + binds + ", connect=" + connects + ", subscribe=" + subscriptions + ")";
    }
}
