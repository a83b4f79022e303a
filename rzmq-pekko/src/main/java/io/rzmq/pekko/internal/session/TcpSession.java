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

/**
 * The connect side of one {@code connect(tcp://host:port)}: owns the pipe pair for the whole life of the
 * connect (reported as PipeAttached at once, so messages queue while connecting, as libzmq does) and
 * runs one {@link ZmtpEngine} per connection attempt. When an attempt fails or a connection ends it
 * reports PeerLost (if the peer had been ready) and tries again after RECONNECT_IVL, doubling the wait
 * up to RECONNECT_IVL_MAX when that is set; a completed handshake resets the wait.
 *
 * <p>With IMMEDIATE the pipe pair is attached only when a connection completes its handshake (PipeAttached
 * with the peer, no PeerReady), and detached when that connection ends (what was queued to it is
 * dropped, as libzmq does); each later connection brings a fresh pair. So round-robin sockets never queue
 * messages to a peer that is not there.
 *
 * <p>Protocol: {@link TransportCommand.Close} stops reconnecting once nothing is queued, lets the
 * engine write what the socket queued within LINGER, sends PipeDetached, and stops.
 */
public final class TcpSession extends AbstractBehavior<Object> {

    private enum Timer { RECONNECT, LINGER }

    private record EngineTerminated(org.apache.pekko.actor.ActorRef engine) {
    }

    private final SocketSetup setup;
    private final ActorRef<TransportEvent> events;
    private final TimerScheduler<Object> timers;
    private final String endpoint;
    private final InetSocketAddress remote;
    private final StreamFamily family;
    private final EngineSettings settings;
    private final MechanismFactory mechanisms;
    private final boolean immediate;
    // The current pipe pair (without IMMEDIATE: the only one); attached once the socket was told about it.
    private ZmtpEngine.Params engineParams;
    private PipeId id;
    private Pipe toPeer;
    private Pipe fromPeer;
    private boolean attached;

    private org.apache.pekko.actor.ActorRef engine;
    private boolean engineReady;
    private Duration currentIvl;
    private long attempts;
    private boolean closing;
    private Duration linger;
    /** Engines that said Closed and were told to stop; we stop only after them (see stopSession). */
    private final java.util.Set<org.apache.pekko.actor.ActorRef> ending = new java.util.HashSet<>();
    private boolean stopping;

    static Behavior<Object> create(Endpoint endpoint, SocketSetup setup, EngineSettings settings,
                                   MechanismFactory mechanisms, ActorRef<TransportEvent> events) {
        return create(endpoint, setup, settings, mechanisms, events, TcpFamily.INSTANCE);
    }

    /** A session on another connection manager that speaks Pekko IO's TCP protocol (ipc://). */
    public static Behavior<Object> create(Endpoint endpoint, SocketSetup setup, EngineSettings settings,
                                          MechanismFactory mechanisms, ActorRef<TransportEvent> events,
                                          StreamFamily family) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
            new TcpSession(ctx, timers, endpoint, setup, settings, mechanisms, events, family)));
    }

    private TcpSession(ActorContext<Object> ctx, TimerScheduler<Object> timers, Endpoint endpoint, SocketSetup setup,
                       EngineSettings settings, MechanismFactory mechanisms, ActorRef<TransportEvent> events,
                       StreamFamily family) {
        super(ctx);
        this.family = family;
        this.setup = setup;
        this.events = events;
        this.timers = timers;
        this.endpoint = endpoint.toString();
        this.remote = family.connectAddress(endpoint);
        this.settings = settings;
        this.mechanisms = mechanisms;
        this.immediate = setup.options().immediate();
        this.currentIvl = setup.options().reconnectIvl();
        if (!immediate) {
            newPipePair();
            attached = true;
            events.tell(new TransportEvent.PipeAttached(id, toPeer, fromPeer, null, this.endpoint));
        }
        startAttempt();
    }

    private void newPipePair() {
        id = PipeId.next();
        toPeer = Pipe.of(setup.options().sndHwm(), setup.options().conflate());
        fromPeer = Pipe.of(setup.options().rcvHwm(), setup.options().conflate());
        engineParams = new ZmtpEngine.Params(endpoint, setup, mechanisms, settings, toPeer, fromPeer,
            Adapter.toClassic(getContext().getSelf()), events);
    }

    private boolean nothingQueued() {
        return toPeer == null || toPeer.isEmpty();
    }

    @Override
    public Receive<Object> createReceive() {
        return newReceiveBuilder()
            .onMessage(EngineEvent.Handshaken.class, this::onHandshaken)
            .onMessage(EngineEvent.Closed.class, c -> onEngineClosed(c.engine(), c.reason()))
            .onMessage(EngineTerminated.class, t -> onEngineTerminated(t.engine()))
            .onMessageEquals(Timer.RECONNECT, this::onReconnect)
            .onMessageEquals(Timer.LINGER, this::onLingerExpired)
            .onMessage(TransportCommand.Close.class, this::onClose)
            .build();
    }

    private void startAttempt() {
        attempts++;
        if (toPeer == null) {
            newPipePair(); // IMMEDIATE: a fresh pair for each connection, attached at its handshake
        }
        // Before the engine exists: its own events (CONNECTED, HANDSHAKE_*) must reach the socket after this one.
        monitor(MonitorEventKind.CONNECT_DELAYED, "connecting", 0);
        engine = Adapter.actorOf(getContext(), ZmtpEngine.connecting(engineParams, remote, family)
            .withDispatcher(RzmqDispatcher.id(getContext().getSystem())), "engine-" + attempts);
        getContext().watchWith(Adapter.toTyped(engine), new EngineTerminated(engine));
        if (closing) {
            engine.tell(new ZmtpEngine.Flush(linger), org.apache.pekko.actor.ActorRef.noSender());
        }
    }

    private Behavior<Object> onHandshaken(EngineEvent.Handshaken h) {
        if (h.engine().equals(engine)) {
            engineReady = true;
            currentIvl = setup.options().reconnectIvl();
            if (attached) {
                events.tell(new TransportEvent.PeerReady(id, h.peer()));
            } else {
                attached = true;
                events.tell(new TransportEvent.PipeAttached(id, toPeer, fromPeer, h.peer(), endpoint));
            }
        }
        return this;
    }

    /** The engine ended its connection: it stops when told, after anything we sent it before. */
    private Behavior<Object> onEngineClosed(org.apache.pekko.actor.ActorRef gone, String reason) {
        if (gone.equals(engine)) {
            ending.add(gone);
            gone.tell(ZmtpEngine.Release.INSTANCE, org.apache.pekko.actor.ActorRef.noSender());
        }
        return onEngineGone(gone, reason);
    }

    private Behavior<Object> onEngineTerminated(org.apache.pekko.actor.ActorRef gone) {
        if (ending.remove(gone) && stopping && ending.isEmpty()) {
            return Behaviors.stopped();
        }
        return onEngineGone(gone, "connection ended");
    }

    private Behavior<Object> onEngineGone(org.apache.pekko.actor.ActorRef gone, String reason) {
        if (!gone.equals(engine) || stopping) {
            return this; // already handled (Closed, then its Terminated) or a stale attempt
        }
        engine = null;
        if (engineReady) {
            engineReady = false;
            if (immediate) {
                detachPipePair();
            } else {
                events.tell(new TransportEvent.PeerLost(id, reason));
            }
        }
        if (closing && (nothingQueued() || linger.isZero())) {
            return stopSession();
        }
        Duration wait = currentIvl;
        Duration max = setup.options().reconnectIvlMax();
        if (!max.isZero()) {
            Duration doubled = currentIvl.multipliedBy(2);
            currentIvl = doubled.compareTo(max) > 0 ? max : doubled;
        }
        monitor(MonitorEventKind.CONNECT_RETRIED, reason + "; retrying in " + wait.toMillis() + " ms", wait.toMillis());
        timers.startSingleTimer(Timer.RECONNECT, Timer.RECONNECT, wait);
        return this;
    }

    private Behavior<Object> onReconnect() {
        if (engine == null && !stopping) {
            startAttempt();
        }
        return this;
    }

    private Behavior<Object> onClose(TransportCommand.Close close) {
        if (closing || stopping) {
            return this;
        }
        closing = true;
        linger = close.linger();
        if (engine == null && (linger.isZero() || nothingQueued())) {
            return stopSession();
        }
        if (!linger.isNegative()) {
            timers.startSingleTimer(Timer.LINGER, Timer.LINGER, linger);
        }
        if (engine != null) {
            engine.tell(new ZmtpEngine.Flush(linger), org.apache.pekko.actor.ActorRef.noSender());
        }
        return this;
    }

    /**
     * LINGER ran out: a live engine is told to reset its connection now and we stop once it says it
     * ended (so nothing its connection sends dead-letters); with no engine we stop at once.
     */
    private Behavior<Object> onLingerExpired() {
        if (stopping) {
            return this;
        }
        // Nothing of LINGER is left: the engine that ends now (or an attempt that fails) stops the session
        // instead of scheduling another attempt, which would wait for a timer that already fired.
        linger = Duration.ZERO;
        if (engine != null) {
            engine.tell(new ZmtpEngine.Flush(Duration.ZERO), org.apache.pekko.actor.ActorRef.noSender());
            return this;
        }
        return stopSession();
    }

    /**
     * Stops for good: the socket drops the pipe pair. An engine that already ended is waited for: stopping
     * it with us would turn what is still on its way to it into dead letters.
     */
    private Behavior<Object> stopSession() {
        detachPipePair();
        timers.cancelAll();
        stopping = true;
        return ending.isEmpty() ? Behaviors.stopped() : this;
    }

    /** Lets go of the current pair: what is queued to the peer is dropped, what came from it is still read. */
    private void detachPipePair() {
        if (toPeer == null) {
            return;
        }
        toPeer.closeRead();
        fromPeer.closeWrite();
        if (attached) {
            events.tell(new TransportEvent.PipeDetached(id));
        }
        attached = false;
        toPeer = null;
        fromPeer = null;
    }

    private void monitor(MonitorEventKind event, String detail, long value) {
        events.tell(new TransportEvent.Monitor(event, endpoint, family.peerAddress(remote), detail, value));
    }
}
