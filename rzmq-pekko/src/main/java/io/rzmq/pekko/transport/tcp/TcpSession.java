package io.rzmq.pekko.transport.tcp;

import io.rzmq.pekko.engine.EngineEvent;
import io.rzmq.pekko.engine.EngineSettings;
import io.rzmq.pekko.engine.MechanismFactory;
import io.rzmq.pekko.engine.MonitorEvents;
import io.rzmq.pekko.engine.ZmtpEngine;
import io.rzmq.pekko.pipe.Pipe;
import io.rzmq.pekko.transport.Endpoint;
import io.rzmq.pekko.transport.PipeId;
import io.rzmq.pekko.transport.SocketSetup;
import io.rzmq.pekko.transport.StreamFamily;
import io.rzmq.pekko.transport.TransportCommand;
import io.rzmq.pekko.transport.TransportEvent;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
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
    private final ZmtpEngine.Params engineParams;
    private final PipeId id = PipeId.next();
    private final Pipe toPeer;
    private final Pipe fromPeer;

    private org.apache.pekko.actor.ActorRef engine;
    private boolean engineReady;
    private Duration currentIvl;
    private long attempts;
    private boolean closing;
    private Duration linger;

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
        this.toPeer = new Pipe(setup.options().sndHwm());
        this.fromPeer = new Pipe(setup.options().rcvHwm());
        this.currentIvl = setup.options().reconnectIvl();
        this.engineParams = new ZmtpEngine.Params(this.endpoint, setup, mechanisms, settings, toPeer, fromPeer,
            Adapter.toClassic(ctx.getSelf()), events);
        events.tell(new TransportEvent.PipeAttached(id, toPeer, fromPeer, null, this.endpoint));
        startAttempt();
    }

    @Override
    public Receive<Object> createReceive() {
        return newReceiveBuilder()
            .onMessage(EngineEvent.Handshaken.class, this::onHandshaken)
            .onMessage(EngineEvent.Closed.class, c -> onEngineGone(c.engine(), c.reason()))
            .onMessage(EngineTerminated.class, t -> onEngineGone(t.engine(), "connection ended"))
            .onMessageEquals(Timer.RECONNECT, this::onReconnect)
            .onMessageEquals(Timer.LINGER, this::stopSession)
            .onMessage(TransportCommand.Close.class, this::onClose)
            .build();
    }

    private void startAttempt() {
        attempts++;
        engine = Adapter.actorOf(getContext(), ZmtpEngine.connecting(engineParams, remote, family), "engine-" + attempts);
        getContext().watchWith(Adapter.toTyped(engine), new EngineTerminated(engine));
        monitor(MonitorEvents.CONNECT_DELAYED, "connecting to " + family.peerAddress(remote));
        if (closing) {
            engine.tell(new ZmtpEngine.Flush(linger), org.apache.pekko.actor.ActorRef.noSender());
        }
    }

    private Behavior<Object> onHandshaken(EngineEvent.Handshaken h) {
        if (h.engine().equals(engine)) {
            engineReady = true;
            currentIvl = setup.options().reconnectIvl();
            events.tell(new TransportEvent.PeerReady(id, h.peer()));
        }
        return this;
    }

    private Behavior<Object> onEngineGone(org.apache.pekko.actor.ActorRef gone, String reason) {
        if (!gone.equals(engine)) {
            return this; // already handled (Closed, then its Terminated) or a stale attempt
        }
        engine = null;
        if (engineReady) {
            engineReady = false;
            events.tell(new TransportEvent.PeerLost(id, reason));
        }
        if (closing && (toPeer.isEmpty() || linger.isZero())) {
            return stopSession();
        }
        Duration wait = currentIvl;
        Duration max = setup.options().reconnectIvlMax();
        if (!max.isZero()) {
            Duration doubled = currentIvl.multipliedBy(2);
            currentIvl = doubled.compareTo(max) > 0 ? max : doubled;
        }
        monitor(MonitorEvents.CONNECT_RETRIED, reason + "; retrying in " + wait.toMillis() + " ms");
        timers.startSingleTimer(Timer.RECONNECT, Timer.RECONNECT, wait);
        return this;
    }

    private Behavior<Object> onReconnect() {
        if (engine == null) {
            startAttempt();
        }
        return this;
    }

    private Behavior<Object> onClose(TransportCommand.Close close) {
        if (closing) {
            return this;
        }
        closing = true;
        linger = close.linger();
        if (linger.isZero() || (engine == null && toPeer.isEmpty())) {
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

    /** Stops for good: the engine (a child) stops with us, the socket drops the pipe pair. */
    private Behavior<Object> stopSession() {
        toPeer.closeRead();
        fromPeer.closeWrite();
        events.tell(new TransportEvent.PipeDetached(id));
        return Behaviors.stopped();
    }

    private void monitor(String event, String detail) {
        events.tell(new TransportEvent.Monitor(event, endpoint, detail));
    }
}
