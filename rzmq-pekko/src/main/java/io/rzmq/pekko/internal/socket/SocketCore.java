package io.rzmq.pekko.internal.socket;

import io.rzmq.pekko.model.MonitorEventKind;

import io.rzmq.pekko.model.RzmqException;
import io.rzmq.pekko.model.RzmqException.Code;
import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.pekko.model.MonitorEvent;
import io.rzmq.pekko.internal.security.ZapGate;
import io.rzmq.pekko.model.Endpoint;
import io.rzmq.pekko.internal.pipe.PipeId;
import io.rzmq.pekko.internal.engine.SocketSetup;
import io.rzmq.pekko.internal.session.Transport;
import io.rzmq.pekko.internal.session.TransportCommand;
import io.rzmq.pekko.internal.transport.TransportEvent;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One ZeroMQ socket's control plane as an actor: owns its transports (a listener per tcp/ipc bind, a session
 * per connect), its monitors and its lifecycle, and hands the pipes its transports and inproc peers attach to
 * the socket's {@link SocketDataPlane}, which routes and takes messages on the application's threads. No
 * message reaches this actor per ZeroMQ message.
 */
public final class SocketCore extends AbstractBehavior<SocketCommand> {

    private final SocketBridge bridge;
    private final SocketType type;
    private final SocketOptions options;
    private final ContextLink context;
    private final Map<Endpoint.Scheme, Transport> transports;
    private final TimerScheduler<SocketCommand> timers;
    private final ZapGate zap;
    private final ActorRef<TransportEvent> transportEvents;
    private final SocketDataPlane plane;

    private final Map<ActorRef<TransportCommand>, Child> children = new LinkedHashMap<>();

    private final LinkedHashSet<ActorRef<MonitorEvent>> monitors = new LinkedHashSet<>();
    private boolean closing;
    private boolean finishing;
    private Duration linger;
    private long lingerDeadlineNanos;
    private boolean stopNow;
    private boolean stopQueued;

    /** A transport actor of this socket: a listener (bind) or a session (connect). */
    private static final class Child {
        final boolean bind;
        final String requested;
        final String normalized;
        CompletableFuture<String> pendingBind;
        // A connect completes once its pipe is attached (unless IMMEDIATE): a send right after it queues.
        CompletableFuture<Done> pendingConnect;
        String resolved;
        // Set by unbind/disconnect: completed when the child has stopped (the port is free again).
        CompletableFuture<Done> stopped;

        Child(boolean bind, String requested, String normalized, CompletableFuture<String> pendingBind) {
            this.bind = bind;
            this.requested = requested;
            this.normalized = normalized;
            this.pendingBind = pendingBind;
        }

        boolean matches(String endpoint) {
            return endpoint.equals(requested) || endpoint.equals(normalized) || endpoint.equals(resolved);
        }
    }

    /**
     * @param transports how to bind/connect per scheme (inproc is handled here with the context)
     * @param batch      unused since the data plane moved the messages off this actor (kept for the caller)
     * @param zap        the context's ZAP entrance, for the mechanisms of this socket's connections
     */
    public static Behavior<SocketCommand> create(SocketBridge bridge, SocketOptions options,
                                                 ContextLink context,
                                                 Map<Endpoint.Scheme, Transport> transports, int batch, ZapGate zap) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
            new SocketCore(ctx, timers, bridge, options, context, transports, batch, zap)));
    }

    private SocketCore(ActorContext<SocketCommand> ctx, TimerScheduler<SocketCommand> timers, SocketBridge bridge,
                       SocketOptions options, ContextLink context,
                       Map<Endpoint.Scheme, Transport> transports, int batch, ZapGate zap) {
        super(ctx);
        this.bridge = bridge;
        this.type = bridge.type();
        this.options = options;
        this.context = context;
        this.transports = transports;
        this.timers = timers;
        this.zap = zap;
        this.plane = bridge.plane();
        this.transportEvents = ctx.messageAdapter(TransportEvent.class, SocketCommand.FromTransport::new);
    }

    @Override
    public Receive<SocketCommand> createReceive() {
        return newReceiveBuilder()
            .onMessage(SocketCommand.FromTransport.class, this::onTransportEvent)
            .onMessage(SocketCommand.Bind.class, this::onBind)
            .onMessage(SocketCommand.Connect.class, this::onConnect)
            .onMessage(SocketCommand.InprocAnswer.class, this::onInprocAnswer)
            .onMessage(SocketCommand.Unbind.class, this::onUnbind)
            .onMessage(SocketCommand.Disconnect.class, this::onDisconnect)
            .onMessage(SocketCommand.Close.class, this::onClose)
            .onMessage(SocketCommand.Status.class, this::onStatus)
            .onMessage(SocketCommand.Monitor.class, this::onMonitor)
            .onMessage(SocketCommand.StopMonitor.class, this::onStopMonitor)
            .onMessage(SocketCommand.MonitorGone.class, g -> {
                monitors.remove(g.target());
                return this;
            })
            .onMessageEquals(SocketCommand.Internal.PLANE_CLOSED, this::onPlaneClosed)
            .onMessageEquals(SocketCommand.Internal.LINGER_EXPIRED, this::onLingerExpired)
            .onMessageEquals(SocketCommand.Internal.STOP, Behaviors::stopped)
            .onMessage(SocketCommand.TransportStopped.class, this::onTransportStopped)
            .onSignal(PostStop.class, s -> onPostStop())
            .build();
    }

    // ================================================================== pipes and transports

    /** Common tail of every handler: stop when closing is done. */
    private Behavior<SocketCommand> afterWork() {
        if (stopNow && !stopQueued) {
            stopQueued = true;
            getContext().getSelf().tell(SocketCommand.Internal.STOP);
        }
        return this;
    }

    private Behavior<SocketCommand> onTransportEvent(SocketCommand.FromTransport f) {
        TransportEvent e = f.event();
        if (e instanceof TransportEvent.PipeAttached a) {
            attach(a);
        } else if (e instanceof TransportEvent.PeerReady r) {
            plane.submit(new SocketDataPlane.PeerReady(r.id(), r.peer()));
        } else if (e instanceof TransportEvent.PeerLost l) {
            plane.submit(new SocketDataPlane.PeerLost(l.id()));
        } else if (e instanceof TransportEvent.PipeDetached d) {
            plane.submit(new SocketDataPlane.PipeDetached(d.id()));
        } else if (e instanceof TransportEvent.Bound b) {
            onBound(b);
        } else if (e instanceof TransportEvent.BindFailed b) {
            onBindFailed(b);
        } else if (e instanceof TransportEvent.Monitor m) {
            getContext().getLog().debug("{} {} {} {}: {}", type, m.event(), m.endpoint(), m.peer(), m.detail());
            if (!monitors.isEmpty()) {
                MonitorEvent event = new MonitorEvent(m.event(), m.endpoint(), m.peer(),
                    m.detail(), m.value(), Instant.now());
                for (ActorRef<MonitorEvent> target : monitors) {
                    target.tell(event);
                }
            }
        }
        return afterWork();
    }

    /** Pipes from a transport or an inproc peer go to the data plane (closed at once while closing). */
    private void attach(TransportEvent.PipeAttached a) {
        if (finishing) {
            a.fromPeer().closeRead();
            a.toPeer().closeWrite();
            return;
        }
        plane.submit(new SocketDataPlane.Attach(a));
        for (Child c : children.values()) {
            if (!c.bind && c.pendingConnect != null && c.normalized.equals(a.endpoint())) {
                c.pendingConnect.complete(Done.getInstance());
                c.pendingConnect = null;
                break;
            }
        }
    }

    private void onBound(TransportEvent.Bound b) {
        for (Child c : children.values()) {
            if (c.bind && c.pendingBind != null && (c.matches(b.requested()) || normalize(b.requested()).equals(c.normalized))) {
                c.resolved = b.resolved();
                c.pendingBind.complete(b.resolved());
                c.pendingBind = null;
                return;
            }
        }
    }

    private void onBindFailed(TransportEvent.BindFailed b) {
        for (Iterator<Map.Entry<ActorRef<TransportCommand>, Child>> it = children.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<ActorRef<TransportCommand>, Child> e = it.next();
            Child c = e.getValue();
            if (c.bind && c.pendingBind != null && (c.matches(b.requested()) || normalize(b.requested()).equals(c.normalized))) {
                String reason = b.reason() == null ? "" : b.reason();
                Code code = reason.toLowerCase(java.util.Locale.ROOT).contains("in use") ? Code.EADDRINUSE : Code.EFAULT;
                c.pendingBind.completeExceptionally(new RzmqException(code, "bind " + b.requested() + " failed: " + reason));
                c.pendingBind = null;
                e.getKey().tell(new TransportCommand.Close(Duration.ZERO));
                return;
            }
        }
    }

    private static String normalize(String endpoint) {
        try {
            return Endpoint.parse(endpoint).toString();
        } catch (IllegalArgumentException e) {
            return endpoint;
        }
    }

    private Endpoint parse(String endpoint, CompletableFuture<?> result) {
        if (closing) {
            result.completeExceptionally(closedError());
            return null;
        }
        try {
            return Endpoint.parse(endpoint);
        } catch (Endpoint.UnsupportedTransportException e) {
            result.completeExceptionally(new RzmqException(Code.EPROTONOSUPPORT, e.getMessage()));
            return null;
        } catch (IllegalArgumentException e) {
            result.completeExceptionally(new RzmqException(Code.EINVAL, e.getMessage()));
            return null;
        }
    }

    private Transport transportFor(Endpoint ep, CompletableFuture<?> result) {
        Transport t = transports.get(ep.scheme());
        if (t == null) {
            result.completeExceptionally(new RzmqException(Code.EPROTONOSUPPORT,
                ep.scheme().name().toLowerCase(java.util.Locale.ROOT) + ":// is not available in this build: " + ep));
        }
        return t;
    }

    private Behavior<SocketCommand> onBind(SocketCommand.Bind b) {
        Endpoint ep = parse(b.endpoint(), b.result());
        if (ep == null) {
            return this;
        }
        if (ep.scheme() == Endpoint.Scheme.INPROC) {
            context.inprocBind(ep.address(), getContext().getSelf(), type, options, b.result());
            return this;
        }
        Transport t = transportFor(ep, b.result());
        if (t == null) {
            return this;
        }
        ActorRef<TransportCommand> child;
        try {
            child = t.bind(getContext(), ep, SocketSetup.of(type, options, zap), transportEvents);
        } catch (IllegalArgumentException e) {
            b.result().completeExceptionally(new RzmqException(Code.EINVAL, "bind " + ep + ": " + e.getMessage(), e));
            return this;
        } catch (RuntimeException e) {
            b.result().completeExceptionally(new RzmqException(Code.EFAULT, "bind " + ep + " failed: " + e.getMessage(), e));
            return this;
        }
        getContext().watchWith(child, new SocketCommand.TransportStopped(child));
        children.put(child, new Child(true, b.endpoint(), ep.toString(), b.result()));
        return this;
    }

    private Behavior<SocketCommand> onConnect(SocketCommand.Connect c) {
        Endpoint ep = parse(c.endpoint(), c.result());
        if (ep == null) {
            return this;
        }
        if (ep.scheme() == Endpoint.Scheme.INPROC) {
            context.inprocConnect(ep.address(), getContext().getSelf(), type, options, c.result());
            return this;
        }
        Transport t = transportFor(ep, c.result());
        if (t == null) {
            return this;
        }
        ActorRef<TransportCommand> child;
        try {
            child = t.connect(getContext(), ep, SocketSetup.of(type, options, zap), transportEvents);
        } catch (IllegalArgumentException e) {
            c.result().completeExceptionally(new RzmqException(Code.EINVAL, "connect " + ep + ": " + e.getMessage(), e));
            return this;
        } catch (RuntimeException e) {
            c.result().completeExceptionally(new RzmqException(Code.EFAULT, "connect " + ep + " failed: " + e.getMessage(), e));
            return this;
        }
        getContext().watchWith(child, new SocketCommand.TransportStopped(child));
        Child added = new Child(false, c.endpoint(), ep.toString(), null);
        children.put(child, added);
        if (options.immediate()) {
            c.result().complete(Done.getInstance());
        } else {
            // libzmq's zmq_connect creates the pipe before it returns: complete when the session's pipe is here.
            added.pendingConnect = c.result();
        }
        return this;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Behavior<SocketCommand> onInprocAnswer(SocketCommand.InprocAnswer a) {
        // The pipes and the answer in one step: a status() after the bind/connect sees them, and no stop
        // can come in between and fail an operation that already carries traffic.
        for (Object pipe : a.pipes()) {
            attach((TransportEvent.PipeAttached) pipe);
        }
        a.result().complete(a.value());
        return afterWork();
    }

    private Behavior<SocketCommand> onUnbind(SocketCommand.Unbind u) {
        Endpoint ep = parse(u.endpoint(), u.result());
        if (ep == null) {
            return this;
        }
        if (ep.scheme() == Endpoint.Scheme.INPROC) {
            plane.submit(new SocketDataPlane.DetachEndpoint(ep.toString(), new CompletableFuture<>()));
            context.inprocUnbind(ep.address(), getContext().getSelf(), u.result());
            return afterWork();
        }
        return closeChild(true, u.endpoint(), u.result());
    }

    private Behavior<SocketCommand> onDisconnect(SocketCommand.Disconnect d) {
        Endpoint ep = parse(d.endpoint(), d.result());
        if (ep == null) {
            return this;
        }
        if (ep.scheme() == Endpoint.Scheme.INPROC) {
            CompletableFuture<Integer> detached = new CompletableFuture<>();
            detached.thenAccept(n -> {
                if (n == 0) {
                    d.result().completeExceptionally(new RzmqException(Code.ENOENT, "not connected to " + ep));
                } else {
                    d.result().complete(Done.getInstance());
                }
            });
            plane.submit(new SocketDataPlane.DetachEndpoint(ep.toString(), detached));
            return afterWork();
        }
        return closeChild(false, d.endpoint(), d.result());
    }

    private Behavior<SocketCommand> closeChild(boolean bind, String endpoint, CompletableFuture<Done> result) {
        String normalized = normalize(endpoint);
        for (Map.Entry<ActorRef<TransportCommand>, Child> e : children.entrySet()) {
            Child c = e.getValue();
            if (c.bind == bind && c.stopped == null && (c.matches(endpoint) || c.matches(normalized))) {
                e.getKey().tell(new TransportCommand.Close(options.linger()));
                c.stopped = result;
                return this;
            }
        }
        result.completeExceptionally(new RzmqException(Code.ENOENT,
            (bind ? "not bound to " : "not connected to ") + endpoint));
        return this;
    }

    private Behavior<SocketCommand> onTransportStopped(SocketCommand.TransportStopped s) {
        Child c = children.remove(s.child());
        if (c != null && c.pendingBind != null) {
            // A bind that close took down is ETERM, as every operation close ends.
            c.pendingBind.completeExceptionally(closing ? closedError() : new RzmqException(Code.EFAULT,
                "bind " + c.requested + " failed: the listener stopped"));
        }
        if (c != null && c.stopped != null) {
            c.stopped.complete(Done.getInstance());
        }
        if (c != null && c.pendingConnect != null) {
            c.pendingConnect.complete(Done.getInstance()); // the session tried, as a connect promises
        }
        if (finishing && children.isEmpty()) {
            stopNow = true;
        }
        return afterWork();
    }

    private Behavior<SocketCommand> onStatus(SocketCommand.Status s) {
        plane.submit(new SocketDataPlane.Status(s.result(), closing));
        return this;
    }

    // ================================================================== monitoring

    private Behavior<SocketCommand> onMonitor(SocketCommand.Monitor m) {
        if (closing) {
            m.result().completeExceptionally(closedError());
            return this;
        }
        if (monitors.add(m.target())) {
            getContext().watchWith(m.target(), new SocketCommand.MonitorGone(m.target()));
        }
        m.result().complete(Done.getInstance());
        return this;
    }

    private Behavior<SocketCommand> onStopMonitor(SocketCommand.StopMonitor m) {
        if (monitors.remove(m.target())) {
            getContext().unwatch(m.target());
            m.target().tell(monitorStopped("monitoring stopped"));
            m.result().complete(Done.getInstance());
        } else {
            m.result().completeExceptionally(new RzmqException(Code.ENOENT, "that actor does not monitor this socket"));
        }
        return this;
    }

    private static MonitorEvent monitorStopped(String why) {
        return new MonitorEvent(MonitorEventKind.MONITOR_STOPPED, "", null, why, 0, Instant.now());
    }

    // ================================================================== closing

    private Behavior<SocketCommand> onClose(SocketCommand.Close c) {
        if (closing) {
            return this;
        }
        closing = true;
        bridge.markClosed();
        linger = capLinger(options.linger(), c.lingerCap());
        context.socketClosing(getContext().getSelf());
        if (!linger.isNegative()) {
            lingerDeadlineNanos = System.nanoTime() + linger.toNanos();
        }
        // The data plane fails what waits and lets go of the pipes (what they hold still flows within the
        // linger, or is dropped with LINGER 0); then the transports are told.
        ActorRef<SocketCommand> self = getContext().getSelf();
        plane.submit(new SocketDataPlane.Close(linger.isZero(), () -> self.tell(SocketCommand.Internal.PLANE_CLOSED)));
        return afterWork();
    }

    private Behavior<SocketCommand> onPlaneClosed() {
        finishClose(linger.isZero());
        return afterWork();
    }

    private Behavior<SocketCommand> onLingerExpired() {
        // Transports had their share of the linger time: stop now (they stop with us).
        return Behaviors.stopped();
    }

    /**
     * Hands every pipe over to its peer or transport: closed for writing (what is queued still flows,
     * bounded by the transports' linger) or aborted when discarding; then waits for the transports.
     */
    private void finishClose(boolean discard) {
        if (finishing) {
            return;
        }
        finishing = true;
        Duration remaining;
        if (discard) {
            remaining = Duration.ZERO;
        } else if (linger.isNegative()) {
            remaining = linger;
        } else {
            remaining = Duration.ofNanos(Math.max(0, lingerDeadlineNanos - System.nanoTime()));
        }
        for (ActorRef<TransportCommand> child : children.keySet()) {
            child.tell(new TransportCommand.Close(remaining));
        }
        if (children.isEmpty()) {
            stopNow = true;
        } else if (!remaining.isNegative()) {
            // Give the transports their remaining linger plus a moment to say they stopped.
            timers.startSingleTimer(SocketCommand.Internal.LINGER_EXPIRED, SocketCommand.Internal.LINGER_EXPIRED,
                remaining.plusSeconds(1));
        }
    }

    private RzmqException closedError() {
        return new RzmqException(Code.ETERM, "the " + type + " socket is closed");
    }

    /** {@code own} shortened to {@code cap} (null: no cap); a negative LINGER means for ever. */
    static Duration capLinger(Duration own, Duration cap) {
        if (cap == null) {
            return own;
        }
        return own.isNegative() || own.compareTo(cap) > 0 ? cap : own;
    }

    private Behavior<SocketCommand> onPostStop() {
        // Before anyone hears we are closed: the context then sends nothing more here (a context closed
        // right after this socket would otherwise tell it Close too, a dead letter).
        context.socketStopped(getContext().getSelf());
        bridge.markClosed();
        for (Child c : children.values()) {
            if (c.pendingBind != null) {
                c.pendingBind.completeExceptionally(closedError());
            }
            if (c.stopped != null) {
                c.stopped.complete(Done.getInstance());
            }
            if (c.pendingConnect != null) {
                c.pendingConnect.completeExceptionally(closedError());
            }
        }
        for (ActorRef<MonitorEvent> target : monitors) {
            target.tell(monitorStopped("the socket is closed"));
        }
        monitors.clear();
        // Last: the data plane fails what waits in it (if close did not already) and lets go of the pipes; then
        // the bridge fails what is still on its way to this actor and completes close().
        RzmqException eterm = closedError();
        plane.submit(new SocketDataPlane.Close(false, () -> bridge.terminate(eterm)));
        return this;
    }
}
