package io.rzmq.pekko.internal.session;

import io.rzmq.pekko.internal.transport.nio.TcpFamily;

import io.rzmq.pekko.internal.engine.EngineEvent;
import io.rzmq.pekko.internal.engine.EngineSettings;
import io.rzmq.pekko.internal.engine.MechanismFactory;
import io.rzmq.pekko.model.MonitorEventKind;
import io.rzmq.pekko.internal.engine.ZmtpEngine;
import io.rzmq.pekko.internal.pipe.Pipe;
import io.rzmq.pekko.model.Endpoint;
import io.rzmq.pekko.internal.pipe.PipeId;
import io.rzmq.pekko.internal.engine.SocketSetup;
import io.rzmq.pekko.internal.transport.StreamFamily;
import io.rzmq.pekko.internal.transport.TransportEvent;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import io.rzmq.pekko.internal.support.RzmqDispatcher;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The accept side of one {@code bind(tcp://host:port)}: listens (reporting Bound with the real endpoint,
 * or BindFailed), and runs one {@link ZmtpEngine} per accepted connection. Each connection's pipe pair
 * is attached to the socket once its handshake completes (PipeAttached with the peer) and detached when
 * the connection ends; a connection that fails touches no other.
 *
 * <p>Bound on handshakes: at most {@link EngineSettings#maxHandshaking()} accepted connections may be in
 * their handshake at once (rzmq.listener.max-handshaking). A connection accepted beyond it is aborted at
 * once, before any of its bytes is read, and reported as ACCEPT_FAILED; one INFO line says when the
 * listener starts refusing and one how many it refused once it accepts again, so a flood logs two lines.
 *
 * <p>Protocol: {@link TransportCommand.Close} stops accepting (the port is released), lets every
 * connection write what the socket queued within LINGER, reports CLOSED and stops.
 */
public final class TcpListener extends AbstractBehavior<Object> {

    private enum Timer { LINGER }

    private record EngineTerminated(org.apache.pekko.actor.ActorRef engine) {
    }

    private record BridgeTerminated() {
    }

    /** One accepted connection. */
    private static final class Conn {
        final PipeId id = PipeId.next();
        final Pipe toPeer;
        final Pipe fromPeer;
        final String remote;
        boolean attached;
        /** The handshake completed (counted out of {@code handshaking}). */
        boolean handshaken;

        Conn(Pipe toPeer, Pipe fromPeer, String remote) {
            this.toPeer = toPeer;
            this.fromPeer = fromPeer;
            this.remote = remote;
        }
    }

    private final SocketSetup setup;
    private final EngineSettings settings;
    private final MechanismFactory mechanisms;
    private final ActorRef<TransportEvent> events;
    private final TimerScheduler<Object> timers;
    private final String requested;
    private final StreamFamily family;
    private final Endpoint endpoint;
    private final Map<org.apache.pekko.actor.ActorRef, Conn> conns = new HashMap<>();
    /** Engines that said Closed and were told to stop; we stop only after them (see maybeDone). */
    private final java.util.Set<org.apache.pekko.actor.ActorRef> ending = new java.util.HashSet<>();
    private org.apache.pekko.actor.ActorRef bridge;
    private String resolved;
    private long accepted;
    /** Connections whose engine runs and has not completed its handshake. */
    private int handshaking;
    /** Connections refused since the bound was last reached (0: not refusing). */
    private long refused;
    private boolean closing;
    private Duration linger;

    static Behavior<Object> create(Endpoint endpoint, SocketSetup setup, EngineSettings settings,
                                   MechanismFactory mechanisms, ActorRef<TransportEvent> events) {
        return create(endpoint, setup, settings, mechanisms, events, TcpFamily.INSTANCE);
    }

    /** A listener on another connection manager that speaks Pekko IO's TCP protocol (ipc://). */
    public static Behavior<Object> create(Endpoint endpoint, SocketSetup setup, EngineSettings settings,
                                          MechanismFactory mechanisms, ActorRef<TransportEvent> events,
                                          StreamFamily family) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            InetSocketAddress address;
            try {
                address = family.bindAddress(endpoint);
            } catch (IllegalArgumentException e) {
                String reason = e.getMessage();
                events.tell(new TransportEvent.BindFailed(endpoint.toString(), reason));
                events.tell(new TransportEvent.Monitor(MonitorEventKind.BIND_FAILED, endpoint.toString(), null, reason, 0));
                return Behaviors.stopped();
            }
            return new TcpListener(ctx, timers, endpoint, address, setup, settings, mechanisms, events, family);
        }));
    }

    private TcpListener(ActorContext<Object> ctx, TimerScheduler<Object> timers, Endpoint endpoint,
                        InetSocketAddress address, SocketSetup setup, EngineSettings settings,
                        MechanismFactory mechanisms, ActorRef<TransportEvent> events, StreamFamily family) {
        super(ctx);
        this.setup = setup;
        this.settings = settings;
        this.mechanisms = mechanisms;
        this.events = events;
        this.timers = timers;
        this.family = family;
        this.endpoint = endpoint;
        this.requested = endpoint.toString();
        this.bridge = Adapter.actorOf(ctx, TcpBindBridge.props(Adapter.toClassic(ctx.getSelf()),
            family.manager(Adapter.toClassic(ctx.getSystem())), address, setup.options().backlog(),
            family.socketOptions(setup.options())).withDispatcher(RzmqDispatcher.id(ctx.getSystem())), "bind");
        ctx.watchWith(Adapter.toTyped(bridge), new BridgeTerminated());
    }

    @Override
    public Receive<Object> createReceive() {
        return newReceiveBuilder()
            .onMessage(TcpBindBridge.Bound.class, this::onBound)
            .onMessage(TcpBindBridge.BindFailed.class, this::onBindFailed)
            .onMessage(TcpBindBridge.Accepted.class, this::onAccepted)
            // The Aborted of a connection refused at the handshake bound: nothing to do.
            .onMessage(org.apache.pekko.io.Tcp.ConnectionClosed.class, c -> this)
            .onMessage(TcpBindBridge.AcceptFailed.class, this::onAcceptFailed)
            .onMessage(EngineEvent.Handshaken.class, this::onHandshaken)
            .onMessage(EngineEvent.Closed.class, c -> onEngineClosed(c.engine()))
            .onMessage(EngineTerminated.class, t -> {
                ending.remove(t.engine());
                return onEngineGone(t.engine());
            })
            .onMessage(BridgeTerminated.class, b -> onBridgeGone())
            .onMessage(TransportCommand.Close.class, this::onClose)
            .onMessageEquals(Timer.LINGER, this::onLingerExpired)
            .build();
    }

    private Behavior<Object> onBound(TcpBindBridge.Bound b) {
        resolved = family.boundEndpoint(endpoint, b.local());
        // LISTENING first: a monitor must have it by the time the bind's stage completes (as with zmq_bind).
        monitor(MonitorEventKind.LISTENING, null, "listening on " + resolved);
        events.tell(new TransportEvent.Bound(requested, resolved));
        return this;
    }

    private Behavior<Object> onBindFailed(TcpBindBridge.BindFailed f) {
        String reason = "cannot bind " + requested + ": " + f.reason();
        getContext().getLog().info(reason);
        events.tell(new TransportEvent.BindFailed(requested, reason));
        monitor(MonitorEventKind.BIND_FAILED, null, reason);
        return Behaviors.stopped();
    }

    private Behavior<Object> onAccepted(TcpBindBridge.Accepted a) {
        if (handshaking >= settings.maxHandshaking()) {
            return refuse(a);
        }
        if (refused > 0) {
            getContext().getLog().info("{}: accepting again; refused {} connections while {} were in their handshake",
                resolved, refused, settings.maxHandshaking());
            refused = 0;
        }
        handshaking++;
        Conn conn = new Conn(Pipe.of(setup.options().sndHwm(), setup.options().conflate()),
            Pipe.of(setup.options().rcvHwm(), setup.options().conflate()), family.peerAddress(a.remote()));
        // Before the engine exists: its own events (HANDSHAKE_*) must reach the socket after this one.
        monitor(MonitorEventKind.ACCEPTED, conn.remote, "accepted a connection from " + conn.remote);
        ZmtpEngine.Params params = new ZmtpEngine.Params(resolved, setup, mechanisms, settings, conn.toPeer,
            conn.fromPeer, Adapter.toClassic(getContext().getSelf()), events);
        org.apache.pekko.actor.ActorRef engine = Adapter.actorOf(getContext(),
            ZmtpEngine.accepted(params, a.connection(), a.remote(), family)
                .withDispatcher(RzmqDispatcher.id(getContext().getSystem())), "conn-" + (++accepted));
        getContext().watchWith(Adapter.toTyped(engine), new EngineTerminated(engine));
        conns.put(engine, conn);
        if (closing) {
            engine.tell(new ZmtpEngine.Flush(Duration.ZERO), org.apache.pekko.actor.ActorRef.noSender());
        }
        return this;
    }

    /** Too many connections in their handshake: this one is closed before it costs anything. */
    private Behavior<Object> refuse(TcpBindBridge.Accepted a) {
        a.connection().tell(org.apache.pekko.io.TcpMessage.abort(), Adapter.toClassic(getContext().getSelf()));
        String peer = family.peerAddress(a.remote());
        String reason = "refused: " + handshaking + " connections are in their handshake (rzmq.listener.max-handshaking)";
        if (refused++ == 0) {
            getContext().getLog().info("{}: {} connections are in their handshake (rzmq.listener.max-handshaking); "
                + "refusing new connections until some complete or fail", resolved, handshaking);
        }
        monitor(MonitorEventKind.ACCEPT_FAILED, peer, reason);
        return this;
    }

    /** As libzmq's ACCEPT_FAILED: that connection is gone, the listener goes on. */
    private Behavior<Object> onAcceptFailed(TcpBindBridge.AcceptFailed f) {
        String peer = f.remote() != null ? family.peerAddress(f.remote()) : f.peer();
        // A peer that resets at once, or descriptors running out: can repeat fast, so aggregated.
        io.rzmq.pekko.internal.support.PeerErrors.get(getContext().getSystem()).report(resolved != null ? resolved : requested,
            "accepting a connection" + (peer == null || peer.isEmpty() ? "" : " from " + peer) + " failed: "
                + f.reason());
        monitor(MonitorEventKind.ACCEPT_FAILED, peer == null || peer.isEmpty() ? null : peer, f.reason());
        return this;
    }

    private Behavior<Object> onHandshaken(EngineEvent.Handshaken h) {
        Conn conn = conns.get(h.engine());
        if (conn != null && !conn.handshaken) {
            conn.handshaken = true;
            handshaking--;
        }
        if (conn != null && !conn.attached && !closing) {
            conn.attached = true;
            events.tell(new TransportEvent.PipeAttached(conn.id, conn.toPeer, conn.fromPeer, h.peer(), resolved));
        }
        return this;
    }

    /** The engine ended its connection: it stops when told, after anything we sent it before. */
    private Behavior<Object> onEngineClosed(org.apache.pekko.actor.ActorRef engine) {
        if (conns.containsKey(engine)) {
            ending.add(engine);
            engine.tell(ZmtpEngine.Release.INSTANCE, org.apache.pekko.actor.ActorRef.noSender());
        }
        return onEngineGone(engine);
    }

    private Behavior<Object> onEngineGone(org.apache.pekko.actor.ActorRef engine) {
        Conn conn = conns.remove(engine);
        if (conn != null) {
            if (!conn.handshaken) {
                handshaking--;
            }
            detach(conn);
        }
        return maybeDone();
    }

    private void detach(Conn conn) {
        conn.toPeer.closeRead();
        conn.fromPeer.closeWrite();
        if (conn.attached) {
            events.tell(new TransportEvent.PipeDetached(conn.id));
        }
    }

    private Behavior<Object> onBridgeGone() {
        bridge = null;
        return maybeDone();
    }

    private Behavior<Object> onClose(TransportCommand.Close close) {
        if (closing) {
            return this;
        }
        closing = true;
        linger = close.linger();
        if (bridge != null) {
            bridge.tell(TcpBindBridge.Unbind.INSTANCE, org.apache.pekko.actor.ActorRef.noSender());
        }
        for (org.apache.pekko.actor.ActorRef engine : conns.keySet()) {
            engine.tell(new ZmtpEngine.Flush(linger), org.apache.pekko.actor.ActorRef.noSender());
        }
        if (!linger.isNegative() && !linger.isZero()) {
            timers.startSingleTimer(Timer.LINGER, Timer.LINGER, linger);
        }
        return maybeDone();
    }

    /** LINGER ran out: engines still flushing reset their connections now; we stop when they are gone. */
    private Behavior<Object> onLingerExpired() {
        for (org.apache.pekko.actor.ActorRef engine : conns.keySet()) {
            engine.tell(new ZmtpEngine.Flush(Duration.ZERO), org.apache.pekko.actor.ActorRef.noSender());
        }
        return maybeDone();
    }

    private Behavior<Object> maybeDone() {
        if (closing && bridge == null && conns.isEmpty() && ending.isEmpty()) {
            return stopListener();
        }
        return this;
    }

    /** Stops for good; engines still running (LINGER ran out) stop with us and their pipes are detached. */
    private Behavior<Object> stopListener() {
        for (Conn conn : conns.values()) {
            detach(conn);
        }
        conns.clear();
        monitor(MonitorEventKind.CLOSED, null, "stopped listening");
        return Behaviors.stopped();
    }

    private void monitor(MonitorEventKind event, String peer, String detail) {
        events.tell(new TransportEvent.Monitor(event, resolved != null ? resolved : requested, peer, detail, 0));
    }
}
