package io.rzmq.pekko.api;

import io.rzmq.pekko.model.MonitorEvent;

import io.rzmq.pekko.model.RzmqException;
import io.rzmq.pekko.model.RzmqException.Code;
import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.pekko.internal.context.ContextCommand;
import io.rzmq.pekko.internal.socket.SocketBridge;
import io.rzmq.pekko.internal.socket.SocketCommand;
import io.rzmq.pekko.internal.socket.SocketDataPlane;
import io.rzmq.pekko.internal.socket.SocketGuard;
import io.rzmq.pekko.internal.socket.SocketStatus;
import io.rzmq.pekko.model.Endpoint;
import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A ZeroMQ socket for Java code: every operation returns at once, with a {@link CompletionStage} where
 * the outcome may take time. Safe to use from any thread (one thread's sends keep their order, and so do
 * its receives).
 *
 * <p>Sending routes the message on the calling thread straight into a peer's pipe (SNDHWM messages per
 * peer); a send that finds room completes at once and costs no actor message. When no eligible pipe has room
 * (PUSH: every peer is at its HWM) the returned stage completes once one takes the message: back-pressure,
 * never a drop. {@link #trySend} never waits. Receiving takes straight from the peers' pipes (RCVHWM messages
 * per peer, fair-queued); {@link #receive()} completes when a message is there, {@link #tryReceive()} returns
 * null when none is.
 *
 * <p>Failures complete the stage exceptionally with an {@link RzmqException} whose {@link RzmqException#code()}
 * says what happened (ETERM after close, ENOTSUP for a send on PULL, EADDRINUSE, ...).
 */
public final class ZSocket {
    private static final Set<SocketType> SUPPORTED = EnumSet.allOf(SocketType.class);

    private final ZContext context;
    private final SocketType type;
    private final SocketOptions options;
    private final SocketBridge bridge;
    private final SocketDataPlane plane;
    private final ActorRef<SocketCommand> core;
    private final boolean canSend;
    private final boolean canReceive;
    private final SocketGuard guard;
    private volatile String lastEndpoint = "";

    private ZSocket(ZContext context, SocketType type, SocketOptions options, SocketBridge bridge,
                    ActorRef<SocketCommand> core) {
        this.context = context;
        this.type = type;
        this.options = options;
        this.bridge = bridge;
        this.core = core;
        this.canSend = type.canSend();
        this.canReceive = type.canReceive();
        this.guard = bridge.guard();
        this.plane = bridge.plane();
    }

    /** A socket of {@code type} with the context's default options. */
    public static ZSocket create(ZContext context, SocketType type) {
        return create(context, type, context.defaultOptions());
    }

    /**
     * A socket of {@code type} with {@code options}. Waits (briefly) for the context to start the
     * socket's actor.
     *
     * @throws RzmqException ETERM when the context is closed
     */
    public static ZSocket create(ZContext context, SocketType type, SocketOptions options) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(options, "options");
        if (!SUPPORTED.contains(type)) {
            throw new RzmqException(Code.ENOTSUP, type + " sockets are not implemented yet (supported: " + SUPPORTED + ")");
        }
        try {
            options.checkFor(type);
        } catch (IllegalArgumentException e) {
            throw new RzmqException(Code.EINVAL, e.getMessage());
        }
        context.checkOpen();
        SocketGuard guard = SocketGuard.of(type, options);
        org.apache.pekko.actor.typed.ActorSystem<?> system = context.system();
        SocketDataPlane plane = new SocketDataPlane(type, options, guard, system.scheduler(), system.executionContext());
        SocketBridge bridge = new SocketBridge(plane, guard);
        CompletableFuture<ActorRef<SocketCommand>> spawned = new CompletableFuture<>();
        context.actor().tell(new ContextCommand.CreateSocket(type, options, bridge, spawned));
        Duration timeout = context.socketCreateTimeout();
        try {
            ActorRef<SocketCommand> ref = spawned.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new ZSocket(context, type, options, bridge, ref);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RzmqException re) {
                throw re;
            }
            throw new RzmqException(Code.EFAULT, "could not create a " + type + " socket: " + cause, cause);
        } catch (TimeoutException e) {
            throw new RzmqException(Code.ETERM, "context '" + context.name() + "' did not create the socket within "
                + timeout.toMillis() + " ms (closed or shut down?)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RzmqException(Code.EFAULT, "interrupted while creating a " + type + " socket");
        }
    }

    public SocketType type() {
        return type;
    }

    public SocketOptions options() {
        return options;
    }

    public ZContext context() {
        return context;
    }

    /** The socket's actor (advanced use). */
    public ActorRef<SocketCommand> actor() {
        return core;
    }

    /** True once {@link #close()} was called on this socket or {@link ZContext#close()} on its context. */
    public boolean isClosed() {
        return bridge.isClosed() || context.isClosed();
    }

    // ------------------------------------------------------------------ endpoints

    /**
     * Binds to {@code endpoint} ({@code inproc://name}, {@code tcp://host:port}, {@code tcp://*:*} ...);
     * completes with the resolved endpoint (the real port for port 0 or {@code *}).
     */
    public CompletionStage<String> bind(String endpoint) {
        CompletableFuture<String> result = new CompletableFuture<>();
        if (failIfClosed(result)) {
            return result.minimalCompletionStage();
        }
        CompletableFuture<String> bound = new CompletableFuture<>();
        bridge.handOver(new SocketCommand.Bind(Objects.requireNonNull(endpoint, "endpoint"), bound), bound);
        // LAST_ENDPOINT is updated before anyone waiting on the bind hears of it.
        bound.whenComplete((resolved, error) -> {
            if (error == null) {
                lastEndpoint = resolved;
                result.complete(resolved);
            } else {
                result.completeExceptionally(error);
            }
        });
        return result.minimalCompletionStage();
    }

    /**
     * LAST_ENDPOINT: the resolved endpoint of the last bind that succeeded ({@code tcp://127.0.0.1:41234}
     * for {@code tcp://127.0.0.1:*}, the generated path for {@code ipc://*}), or "" before any, as libzmq
     * reports it. Set before the bind's stage completes.
     */
    public String lastEndpoint() {
        return lastEndpoint;
    }

    /**
     * Connects to {@code endpoint}; completes once the connection is set up to be made (like zmq_connect,
     * it does not wait for the peer: messages queue until it is there, and a broken connection is retried).
     */
    public CompletionStage<Done> connect(String endpoint) {
        CompletableFuture<Done> result = new CompletableFuture<>();
        if (failIfClosed(result)) {
            return result.minimalCompletionStage();
        }
        bridge.handOver(new SocketCommand.Connect(Objects.requireNonNull(endpoint, "endpoint"), result), result);
        return result.minimalCompletionStage();
    }

    /**
     * ROUTER only: connects like {@link #connect(String)}, and the peer behind this connection gets
     * {@code routingId} as its routing id, whatever it announces (libzmq's CONNECT_ROUTING_ID set just
     * before zmq_connect). Fails with EINVAL when the id is empty, longer than 255 bytes or already in use,
     * ENOTSUP on other socket types.
     */
    public CompletionStage<Done> connect(String endpoint, byte[] routingId) {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(routingId, "routingId");
        CompletableFuture<Done> result = new CompletableFuture<>();
        if (failIfClosed(result)) {
            return result.minimalCompletionStage();
        }
        if (!type.accepts(SocketType.Option.CONNECT_ROUTING_ID)) {
            result.completeExceptionally(new RzmqException(Code.ENOTSUP, "CONNECT_ROUTING_ID applies to ROUTER sockets only"));
            return result.minimalCompletionStage();
        }
        if (routingId.length == 0 || routingId.length > 255) {
            result.completeExceptionally(new RzmqException(Code.EINVAL,
                "CONNECT_ROUTING_ID must be 1..255 bytes, was " + routingId.length));
            return result.minimalCompletionStage();
        }
        String normalized;
        try {
            normalized = Endpoint.parse(endpoint).toString();
            guard.promiseConnectId(normalized, Frame.copyOf(routingId));
        } catch (IllegalArgumentException e) {
            result.completeExceptionally(new RzmqException(Code.EINVAL, e.getMessage()));
            return result.minimalCompletionStage();
        } catch (RzmqException e) {
            result.completeExceptionally(e);
            return result.minimalCompletionStage();
        }
        bridge.handOver(new SocketCommand.Connect(endpoint, result), result);
        return result.minimalCompletionStage();
    }

    /** Stops listening on {@code endpoint} (as given to bind, or as resolved) and drops its connections. */
    public CompletionStage<Done> unbind(String endpoint) {
        CompletableFuture<Done> result = new CompletableFuture<>();
        if (failIfClosed(result)) {
            return result.minimalCompletionStage();
        }
        bridge.handOver(new SocketCommand.Unbind(Objects.requireNonNull(endpoint, "endpoint"), result), result);
        return result.minimalCompletionStage();
    }

    /** Drops the connection made by {@link #connect} to {@code endpoint}. */
    public CompletionStage<Done> disconnect(String endpoint) {
        CompletableFuture<Done> result = new CompletableFuture<>();
        if (failIfClosed(result)) {
            return result.minimalCompletionStage();
        }
        bridge.handOver(new SocketCommand.Disconnect(Objects.requireNonNull(endpoint, "endpoint"), result), result);
        return result.minimalCompletionStage();
    }

    // ------------------------------------------------------------------ sending

    /**
     * Sends a (multipart) message. Completes at once when a peer's pipe took it; otherwise completes when
     * the socket takes the message (PUSH waits while every peer is full). Fails with ENOTSUP on PULL/SUB,
     * ETERM after close, EFSM when a REQ/REP socket is not in its sending turn, and EHOSTUNREACH on a
     * ROUTER_MANDATORY ROUTER when no peer has the message's routing id (its first frame).
     */
    public CompletionStage<Done> send(Msg msg) {
        return send(msg, orNull(options.sndTimeo()));
    }

    /**
     * As {@link #send(Msg)}, but fails with EAGAIN when the socket has no room for the message within
     * {@code timeout} (zero: at once; null: wait for ever); a failed send queued nothing. {@link #send(Msg)}
     * uses the SNDTIMEO option.
     */
    public CompletionStage<Done> send(Msg msg, Duration timeout) {
        Objects.requireNonNull(msg, "msg");
        if (!canSend) {
            return CompletableFuture.failedStage(notSupported("send"));
        }
        if (isClosed()) {
            return CompletableFuture.failedStage(closed());
        }
        if (options.conflate() && msg.frameCount() > 1) {
            return CompletableFuture.failedStage(conflateMultipart());
        }
        try {
            guard.beforeSend(msg);
        } catch (RzmqException e) {
            return CompletableFuture.failedStage(e);
        }
        CompletionStage<Done> sent = plane.send(msg, timeout == null || timeout.isNegative() ? null : timeout);
        if (sent == SocketDataPlane.SENT || guard == SocketGuard.NONE) {
            return sent;
        }
        // A send that failed (timed out, closed) did not happen: the guard hears of it before the caller's
        // continuations.
        return sent.whenComplete((r, e) -> {
            if (e != null) {
                guard.sendFailed();
            }
        });
    }

    /**
     * Sends a message only if that needs no waiting; false when no eligible pipe has room (or another send of
     * this socket is waiting). Throws ENOTSUP on PULL/SUB and ETERM after close.
     */
    public boolean trySend(Msg msg) {
        Objects.requireNonNull(msg, "msg");
        if (!canSend) {
            throw notSupported("send");
        }
        if (isClosed()) {
            throw closed();
        }
        if (options.conflate() && msg.frameCount() > 1) {
            throw conflateMultipart();
        }
        guard.beforeSend(msg);
        boolean sent;
        try {
            sent = plane.trySend(msg);
        } catch (RuntimeException e) {
            guard.sendFailed();
            throw e;
        }
        if (!sent) {
            guard.sendFailed();
        }
        return sent;
    }

    /** libzmq's CONFLATE keeps single frames only; a multipart message would be torn apart. */
    private RzmqException conflateMultipart() {
        return new RzmqException(Code.EINVAL, "a CONFLATE socket cannot send multipart messages");
    }

    // ------------------------------------------------------------------ receiving

    /**
     * The next message; completes when one arrives, or fails with EAGAIN when none arrives within the
     * RCVTIMEO option (by default it waits for ever). Fails with ENOTSUP on PUSH/PUB, ETERM on close.
     */
    public CompletionStage<Msg> receive() {
        return receive(orNull(options.rcvTimeo()));
    }

    /** A negative RCVTIMEO/SNDTIMEO means "for ever": no timeout. */
    private static Duration orNull(Duration optionTimeout) {
        return optionTimeout.isNegative() ? null : optionTimeout;
    }

    /**
     * The next message, or a failure with code EAGAIN if none arrives within {@code timeout}
     * (null or negative: wait for ever; zero: fail unless one is ready).
     */
    public CompletionStage<Msg> receive(Duration timeout) {
        if (!canReceive) {
            return CompletableFuture.failedStage(notSupported("receive"));
        }
        if (plane.isDelivering()) {
            return CompletableFuture.failedStage(delivering());
        }
        if (isClosed()) {
            return CompletableFuture.failedStage(closed());
        }
        try {
            guard.beforeReceive();
        } catch (RzmqException e) {
            return CompletableFuture.failedStage(e);
        }
        CompletionStage<Msg> result = plane.receive(timeout == null || timeout.isNegative() ? null : timeout);
        if (guard != SocketGuard.NONE) {
            // The guard learns the outcome before the caller's continuations run.
            return result.whenComplete((r, e) -> guard.afterReceive(e == null ? r : null));
        }
        return result;
    }

    /** The next message if one is ready, else null; never waits. Throws ENOTSUP on PUSH/PUB, ETERM after close. */
    public Msg tryReceive() {
        if (!canReceive) {
            throw notSupported("receive");
        }
        if (plane.isDelivering()) {
            throw delivering();
        }
        if (isClosed()) {
            throw closed();
        }
        guard.beforeReceive();
        Msg m = null;
        try {
            m = plane.tryReceive();
        } finally {
            guard.afterReceive(m);
        }
        return m;
    }

    /**
     * Pushes received messages to {@code target} instead of keeping them for {@link #receive()}: at most
     * {@code credits} messages are delivered ahead of {@link #ack(int)} calls (bounded in-flight), so a
     * slow actor back-pressures the socket (and its peers) instead of growing its mailbox.
     */
    public CompletionStage<Done> deliverTo(ActorRef<Msg> target, int credits) {
        Objects.requireNonNull(target, "target");
        CompletableFuture<Done> result = new CompletableFuture<>();
        if (!canReceive) {
            result.completeExceptionally(notSupported("receive"));
            return result.minimalCompletionStage();
        }
        if (!guard.allowsDelivery()) {
            result.completeExceptionally(new RzmqException(Code.ENOTSUP, type + (type == SocketType.XPUB
                ? " sockets with XPUB_MANUAL must know which message the application received"
                : " sockets alternate send and receive") + "; deliverTo is not available, use receive()"));
            return result.minimalCompletionStage();
        }
        if (failIfClosed(result)) {
            return result.minimalCompletionStage();
        }
        plane.deliverTo(target, credits, result);
        return result.minimalCompletionStage();
    }

    /** Tells a {@link #deliverTo} socket that the target processed {@code n} more messages. */
    public void ack(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("ack count must be at least 1, was " + n);
        }
        plane.addCredits(n);
    }

    // ------------------------------------------------------------------ subscriptions

    /**
     * SUB: receive messages whose first frame starts with {@code topic} (empty: everything).
     * XPUB with XPUB_MANUAL: send messages starting with {@code topic} to the subscriber whose (un)subscription
     * message this handle received last (libzmq's ZMQ_SUBSCRIBE on a manual XPUB); when there is none (nothing
     * received yet, or that subscriber has gone) nothing changes. Other types: ENOTSUP.
     */
    public CompletionStage<Done> subscribe(byte[] topic) {
        return subscription(Frame.copyOf(topic), true);
    }

    public CompletionStage<Done> subscribe(String topic) {
        return subscribe(topic.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * SUB: drops one reference to {@code topic} (a topic subscribed twice needs two unsubscribes). XPUB with
     * XPUB_MANUAL: stops sending {@code topic} to the subscriber whose subscription message was received last.
     */
    public CompletionStage<Done> unsubscribe(byte[] topic) {
        return subscription(Frame.copyOf(topic), false);
    }

    public CompletionStage<Done> unsubscribe(String topic) {
        return unsubscribe(topic.getBytes(StandardCharsets.UTF_8));
    }

    private CompletionStage<Done> subscription(Frame topic, boolean add) {
        CompletableFuture<Done> result = new CompletableFuture<>();
        boolean manualXpub = type == SocketType.XPUB && options.xpubManual();
        if (type != SocketType.SUB && !manualXpub) {
            result.completeExceptionally(new RzmqException(Code.ENOTSUP, type + " sockets do not subscribe"
                + (type == SocketType.XPUB ? " (an XPUB does with XPUB_MANUAL)" : "")));
            return result.minimalCompletionStage();
        }
        if (failIfClosed(result)) {
            return result.minimalCompletionStage();
        }
        // XPUB_MANUAL: the subscriber is the one known now, when the call is made, as with libzmq's setsockopt.
        plane.subscription(topic, add, manualXpub ? guard.lastSubscriber() : null, result);
        return result.minimalCompletionStage();
    }

    /**
     * A snapshot of the socket's state (pipes, ready peers, queue sizes). It is answered by the socket's
     * actor after everything sent to it before (binds, connects, peers attaching), so it doubles as
     * "wait until the socket has caught up".
     */
    public CompletionStage<SocketStatus> status() {
        CompletableFuture<SocketStatus> result = new CompletableFuture<>();
        if (failIfClosed(result)) {
            return result.minimalCompletionStage();
        }
        bridge.handOver(new SocketCommand.Status(result), result);
        return result.minimalCompletionStage();
    }

    // ------------------------------------------------------------------ monitoring

    /**
     * Sends this socket's lifecycle events ({@link MonitorEvent}: CONNECTED, LISTENING, ACCEPTED,
     * DISCONNECTED, HANDSHAKE_*, ...) to {@code target}, like libzmq's {@code zmq_socket_monitor} with
     * every event. Completes once the socket sends to it: events from then on are seen. Several monitors
     * may watch one socket; a monitor that stops is dropped. When the socket closes (or
     * {@link #stopMonitor} is called) the target gets MONITOR_STOPPED last. Inproc connections report no
     * events, as in libzmq. Fails with ETERM after close.
     */
    public CompletionStage<Done> monitor(ActorRef<MonitorEvent> target) {
        Objects.requireNonNull(target, "target");
        CompletableFuture<Done> result = new CompletableFuture<>();
        if (failIfClosed(result)) {
            return result.minimalCompletionStage();
        }
        bridge.handOver(new SocketCommand.Monitor(target, result), result);
        return result.minimalCompletionStage();
    }

    /**
     * Stops sending events to {@code target}, which gets MONITOR_STOPPED as its last event. Fails with
     * ENOENT when it was not monitoring this socket, ETERM after close (the target already got
     * MONITOR_STOPPED then).
     */
    public CompletionStage<Done> stopMonitor(ActorRef<MonitorEvent> target) {
        Objects.requireNonNull(target, "target");
        CompletableFuture<Done> result = new CompletableFuture<>();
        if (failIfClosed(result)) {
            return result.minimalCompletionStage();
        }
        bridge.handOver(new SocketCommand.StopMonitor(target, result), result);
        return result.minimalCompletionStage();
    }

    // ------------------------------------------------------------------ closing

    /**
     * Closes the socket: further operations fail with ETERM; messages already queued are delivered
     * within LINGER (-1: as long as it takes; 0: dropped at once). Completes when the socket's actor
     * and its transports have stopped. Idempotent.
     */
    public CompletionStage<Done> close() {
        if (bridge.requestClose()) {
            core.tell(new SocketCommand.Close(null));
        }
        return bridge.terminated().minimalCompletionStage();
    }

    private boolean failIfClosed(CompletableFuture<?> result) {
        if (isClosed()) {
            result.completeExceptionally(closed());
            return true;
        }
        return false;
    }

    private RzmqException closed() {
        return new RzmqException(Code.ETERM, "the " + type + " socket is closed");
    }

    private RzmqException notSupported(String op) {
        return new RzmqException(Code.ENOTSUP, type + " sockets cannot " + op);
    }

    private RzmqException delivering() {
        return new RzmqException(Code.EINVAL, "this " + type + " socket delivers its messages to an actor (deliverTo)");
    }

    @Override
    public String toString() {
        return "ZSocket(" + type + ", " + core.path().name() + ")";
    }
}
