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
import org.jctools.queues.MpscArrayQueue;
import org.jctools.queues.SpmcArrayQueue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One ZeroMQ socket as an actor: owns its pipes, its transports (a listener per tcp/ipc bind, a session
 * per connect) and its lifecycle, and moves messages between the application's queues (the
 * {@link SocketBridge}) and the pipes through its {@link SocketPattern}. Everything here runs on the
 * actor's thread; the application reaches it only through the bridge and {@link SocketCommand}s.
 */
public final class SocketCore extends AbstractBehavior<SocketCommand> implements SocketPattern.Host {


    private final SocketBridge bridge;
    private final SocketType type;
    private final SocketOptions options;
    private final ContextLink context;
    private final Map<Endpoint.Scheme, Transport> transports;
    private final TimerScheduler<SocketCommand> timers;
    private final int batch;
    private final ZapGate zap;
    private final SocketPattern pattern;
    private final ActorRef<TransportEvent> transportEvents;
    private final MpscArrayQueue<Msg> outbox;
    private final SpmcArrayQueue<Msg> inbox;

    private final Map<PipeId, PipeEntry> pipes = new HashMap<>();
    private final List<PipeEntry> finished = new ArrayList<>();
    private final ArrayDeque<SocketCommand.SendParked> parkedSends = new ArrayDeque<>();
    private final ArrayDeque<SocketCommand.ReceiveParked> parkedReceives = new ArrayDeque<>();
    private final Map<ActorRef<TransportCommand>, Child> children = new LinkedHashMap<>();

    private final LinkedHashSet<ActorRef<MonitorEvent>> monitors = new LinkedHashSet<>();
    private ActorRef<Msg> deliverTarget;
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
     * @param batch      how many messages one pump moves before yielding to other actor messages
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
        this.batch = Math.max(1, batch);
        this.zap = zap;
        this.pattern = SocketPattern.create(type, this, options, bridge.guard());
        this.transportEvents = ctx.messageAdapter(TransportEvent.class, SocketCommand.FromTransport::new);
        this.outbox = bridge.outbox();
        this.inbox = bridge.inbox();
    }

    @Override
    public Receive<SocketCommand> createReceive() {
        return newReceiveBuilder()
            .onMessageEquals(SocketCommand.Wake.OUTBOX, this::onPumpOut)
            .onMessageEquals(SocketCommand.Internal.PUMP_OUT, this::onPumpOut)
            .onMessageEquals(SocketCommand.Wake.INBOX_ROOM, this::onPumpIn)
            .onMessageEquals(SocketCommand.Wake.CREDIT, this::onPumpIn)
            .onMessageEquals(SocketCommand.Internal.PUMP_IN, this::onPumpIn)
            .onMessage(SocketCommand.PipeReadable.class, this::onReadable)
            .onMessage(SocketCommand.PipeWritable.class, this::onWritable)
            .onMessage(SocketCommand.SendParked.class, this::onSendParked)
            .onMessage(SocketCommand.SendTimedOut.class, this::onSendTimedOut)
            .onMessage(SocketCommand.ReceiveParked.class, this::onReceiveParked)
            .onMessage(SocketCommand.ReceiveTimedOut.class, this::onReceiveTimedOut)
            .onMessage(SocketCommand.FromTransport.class, this::onTransportEvent)
            .onMessage(SocketCommand.Bind.class, this::onBind)
            .onMessage(SocketCommand.Connect.class, this::onConnect)
            .onMessage(SocketCommand.InprocAnswer.class, this::onInprocAnswer)
            .onMessage(SocketCommand.Unbind.class, this::onUnbind)
            .onMessage(SocketCommand.Disconnect.class, this::onDisconnect)
            .onMessage(SocketCommand.Subscription.class, this::onSubscription)
            .onMessage(SocketCommand.DeliverTo.class, this::onDeliverTo)
            .onMessage(SocketCommand.Close.class, this::onClose)
            .onMessage(SocketCommand.Status.class, this::onStatus)
            .onMessage(SocketCommand.Monitor.class, this::onMonitor)
            .onMessage(SocketCommand.StopMonitor.class, this::onStopMonitor)
            .onMessage(SocketCommand.MonitorGone.class, g -> {
                monitors.remove(g.target());
                return this;
            })
            .onMessageEquals(SocketCommand.Internal.LINGER_EXPIRED, this::onLingerExpired)
            .onMessageEquals(SocketCommand.Internal.STOP, Behaviors::stopped)
            .onMessage(SocketCommand.TransportStopped.class, this::onTransportStopped)
            .onSignal(PostStop.class, s -> onPostStop())
            .build();
    }

    // ================================================================== data path

    private Behavior<SocketCommand> onPumpOut() {
        pumpOut();
        return afterWork();
    }

    private Behavior<SocketCommand> onPumpIn() {
        pumpIn();
        return afterWork();
    }

    private Behavior<SocketCommand> onReadable(SocketCommand.PipeReadable r) {
        PipeEntry p = pipes.get(r.id());
        if (p != null) {
            pattern.readable(p);
            pumpIn();
        }
        return afterWork();
    }

    private Behavior<SocketCommand> onWritable(SocketCommand.PipeWritable w) {
        PipeEntry p = pipes.get(w.id());
        if (p != null) {
            pattern.writable(p);
            pumpOut();
        }
        return afterWork();
    }

    /**
     * Moves messages from the outbox into the pattern until the outbox is empty (then goes idle, see
     * {@link SocketBridge}) or the pattern has no room (then stays "scheduled" and waits for a pipe's
     * writable wake-up), yielding after a batch.
     */
    private void pumpOut() {
        if (finishing) {
            return;
        }
        int moved = 0;
        while (true) {
            admitParkedSends();
            Msg m = outbox.peek();
            if (m == null) {
                bridge.outboxScheduled.set(false);
                // A sender may have queued after our peek but before it saw the flag cleared.
                if (outbox.isEmpty() || !bridge.outboxScheduled.compareAndSet(false, true)) {
                    break;
                }
                continue;
            }
            if (!pattern.send(m)) {
                if (options.conflate()) {
                    // CONFLATE: of what waits for room, only the newest message is kept.
                    while (outbox.size() > 1) {
                        outbox.poll();
                    }
                }
                return;
            }
            outbox.poll();
            if (++moved >= batch) {
                admitParkedSends();
                getContext().getSelf().tell(SocketCommand.Internal.PUMP_OUT);
                return;
            }
        }
    }

    /** Parked sends enter the outbox, in order, as room appears; that is when their send completes. */
    private void admitParkedSends() {
        while (!parkedSends.isEmpty()) {
            SocketCommand.SendParked s = parkedSends.peekFirst();
            if (!outbox.offer(s.msg())) {
                return;
            }
            parkedSends.pollFirst();
            bridge.parkedSends.decrementAndGet();
            bridge.outboxScheduled.set(true);
            if (s.timeout() != null) {
                timers.cancel(s.result());
            }
            s.result().complete(Done.getInstance());
        }
    }

    private Behavior<SocketCommand> onSendParked(SocketCommand.SendParked s) {
        if (closing) {
            bridge.parkedSends.decrementAndGet();
            s.result().completeExceptionally(closedError());
            return this;
        }
        parkedSends.addLast(s);
        if (s.timeout() != null) {
            timers.startSingleTimer(s.result(), new SocketCommand.SendTimedOut(s.result()), s.timeout());
        }
        pumpOut();
        return afterWork();
    }

    private Behavior<SocketCommand> onSendTimedOut(SocketCommand.SendTimedOut t) {
        for (Iterator<SocketCommand.SendParked> it = parkedSends.iterator(); it.hasNext(); ) {
            SocketCommand.SendParked s = it.next();
            if (s.result() == t.result()) {
                it.remove();
                bridge.parkedSends.decrementAndGet();
                s.result().completeExceptionally(new RzmqException(Code.EAGAIN,
                    "no room to send within " + s.timeout().toMillis() + " ms (SNDTIMEO)"));
                break;
            }
        }
        return this;
    }

    /**
     * Serves parked receives first, then fills the inbox (or, in delivery mode, the target actor) from the
     * pattern until it is full or the pattern has nothing, yielding after a batch.
     */
    private void pumpIn() {
        if (!pattern.canReceive() || closing) {
            return;
        }
        if (deliverTarget != null) {
            pumpDeliver();
            return;
        }
        while (!parkedReceives.isEmpty()) {
            Msg m = inbox.poll();
            if (m == null) {
                m = pattern.receive();
                if (m == null) {
                    return;
                }
            }
            SocketCommand.ReceiveParked r = parkedReceives.pollFirst();
            bridge.parkedReceives.decrementAndGet();
            if (r.timeout() != null) {
                timers.cancel(r.result());
            }
            r.result().complete(m);
        }
        if (options.conflate()) {
            pumpInConflating();
            return;
        }
        int moved = 0;
        while (true) {
            if (bridge.inboxFull()) {
                bridge.inboxWanted.set(true);
                // The reader may have made room before it saw the flag.
                if (inbox.size() > bridge.inboxLowWater() || !bridge.inboxWanted.compareAndSet(true, false)) {
                    return;
                }
                continue;
            }
            Msg m = pattern.receive();
            if (m == null) {
                return;
            }
            inbox.offer(m);
            if (++moved >= batch) {
                getContext().getSelf().tell(SocketCommand.Internal.PUMP_IN);
                return;
            }
        }
    }

    /**
     * CONFLATE: takes everything the pipes hold and leaves only the newest message in the inbox (the
     * inbox is also read by application threads; the core may poll it too, it is multi-consumer).
     */
    private void pumpInConflating() {
        Msg newest = null;
        int moved = 0;
        Msg m;
        while ((m = pattern.receive()) != null) {
            newest = m;
            if (++moved >= batch) {
                getContext().getSelf().tell(SocketCommand.Internal.PUMP_IN);
                break;
            }
        }
        if (newest != null) {
            while (inbox.poll() != null) {
                // superseded by the newest
            }
            inbox.offer(newest);
        }
    }

    private void pumpDeliver() {
        int moved = 0;
        while (true) {
            if (bridge.credits.get() <= 0) {
                bridge.creditsWanted.set(true);
                if (bridge.credits.get() <= 0 || !bridge.creditsWanted.compareAndSet(true, false)) {
                    return;
                }
                continue;
            }
            Msg m = inbox.poll();
            if (m == null) {
                m = pattern.receive();
                if (m == null) {
                    return;
                }
            }
            bridge.credits.decrementAndGet();
            deliverTarget.tell(m);
            if (++moved >= batch) {
                getContext().getSelf().tell(SocketCommand.Internal.PUMP_IN);
                return;
            }
        }
    }

    private Behavior<SocketCommand> onReceiveParked(SocketCommand.ReceiveParked r) {
        if (closing) {
            bridge.parkedReceives.decrementAndGet();
            r.result().completeExceptionally(closedError());
            return this;
        }
        if (deliverTarget != null) {
            bridge.parkedReceives.decrementAndGet();
            r.result().completeExceptionally(new RzmqException(Code.EINVAL,
                "this socket delivers its messages to an actor; receive() is not available"));
            return this;
        }
        parkedReceives.addLast(r);
        if (r.timeout() != null) {
            timers.startSingleTimer(r.result(), new SocketCommand.ReceiveTimedOut(r.result()), r.timeout());
        }
        pumpIn();
        return afterWork();
    }

    private Behavior<SocketCommand> onReceiveTimedOut(SocketCommand.ReceiveTimedOut t) {
        for (Iterator<SocketCommand.ReceiveParked> it = parkedReceives.iterator(); it.hasNext(); ) {
            SocketCommand.ReceiveParked r = it.next();
            if (r.result() == t.result()) {
                it.remove();
                bridge.parkedReceives.decrementAndGet();
                r.result().completeExceptionally(new RzmqException(Code.EAGAIN,
                    "no message within " + r.timeout().toMillis() + " ms"));
                break;
            }
        }
        // Receives parked behind the expired one may now be served from the inbox.
        pumpIn();
        return this;
    }

    private Behavior<SocketCommand> onDeliverTo(SocketCommand.DeliverTo d) {
        if (closing) {
            d.result().completeExceptionally(closedError());
            return this;
        }
        if (!pattern.canReceive()) {
            d.result().completeExceptionally(new RzmqException(Code.ENOTSUP, type + " sockets do not receive"));
            return this;
        }
        if (d.credits() < 1) {
            d.result().completeExceptionally(new RzmqException(Code.EINVAL, "credits must be at least 1"));
            return this;
        }
        deliverTarget = d.target();
        bridge.markDelivering();
        RzmqException moved = new RzmqException(Code.EINVAL,
            "this socket now delivers its messages to an actor; receive() is not available");
        while (!parkedReceives.isEmpty()) {
            SocketCommand.ReceiveParked r = parkedReceives.pollFirst();
            bridge.parkedReceives.decrementAndGet();
            r.result().completeExceptionally(moved);
        }
        bridge.addCreditsFromCore(d.credits());
        d.result().complete(Done.getInstance());
        pumpIn();
        return afterWork();
    }

    private Behavior<SocketCommand> onSubscription(SocketCommand.Subscription s) {
        if (closing) {
            s.result().completeExceptionally(closedError());
            return this;
        }
        try {
            if (s.add()) {
                pattern.subscribe(s.topic(), s.subscriber());
            } else {
                pattern.unsubscribe(s.topic(), s.subscriber());
            }
            s.result().complete(Done.getInstance());
        } catch (RzmqException e) {
            s.result().completeExceptionally(e);
        }
        return afterWork();
    }

    // ================================================================== pipes and transports

    @Override
    public void pipeFinished(PipeEntry p) {
        finished.add(p);
    }

    @Override
    public void sendable() {
        getContext().getSelf().tell(SocketCommand.Internal.PUMP_OUT);
    }

    @Override
    public void receivable() {
        getContext().getSelf().tell(SocketCommand.Internal.PUMP_IN);
    }

    @Override
    public void discardReceived() {
        while (inbox.poll() != null) {
            // REQ: replies to an abandoned request
        }
    }

    /** Common tail of every handler: detach pipes whose peers went away; stop when closing is done. */
    private Behavior<SocketCommand> afterWork() {
        while (!finished.isEmpty()) {
            PipeEntry p = finished.remove(finished.size() - 1);
            detach(p);
        }
        if (closing && !finishing && outbox.isEmpty()) {
            finishClose(false);
        }
        if (stopNow && !stopQueued) {
            stopQueued = true;
            getContext().getSelf().tell(SocketCommand.Internal.STOP);
        }
        return this;
    }

    private void detach(PipeEntry p) {
        if (p.detached) {
            return;
        }
        pipes.remove(p.id());
        pattern.detached(p);
        p.detached = true;
        p.in().closeRead();
        p.out().closeWrite();
    }

    private Behavior<SocketCommand> onTransportEvent(SocketCommand.FromTransport f) {
        TransportEvent e = f.event();
        if (e instanceof TransportEvent.PipeAttached a) {
            onAttached(a);
        } else if (e instanceof TransportEvent.PeerReady r) {
            PipeEntry p = pipes.get(r.id());
            if (p != null) {
                p.markReady(r.peer());
                pattern.peerReady(p);
                pumpOut();
            }
        } else if (e instanceof TransportEvent.PeerLost l) {
            PipeEntry p = pipes.get(l.id());
            if (p != null) {
                p.markLost();
                pattern.peerLost(p);
            }
        } else if (e instanceof TransportEvent.PipeDetached d) {
            PipeEntry p = pipes.get(d.id());
            if (p != null) {
                onPipeDetached(p);
            }
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

    /**
     * The transport let go of a pipe pair. Messages the peer sent before it went are still in the in
     * pipe (the transport closed it for writing): deliver them first, the pattern reports the pipe
     * finished once it is drained. A transport that did not close the in pipe gets it dropped at once.
     */
    private void onPipeDetached(PipeEntry p) {
        p.out().closeWrite();
        if (!p.in().isWriteClosed() || p.in().isFinished()) {
            detach(p);
            return;
        }
        p.markLost();
        pattern.peerLost(p);
        pattern.readable(p);
        pumpIn();
    }

    private void onAttached(TransportEvent.PipeAttached a) {
        if (finishing || pipes.containsKey(a.id())) {
            a.fromPeer().closeRead();
            a.toPeer().closeWrite();
            return;
        }
        PipeEntry p = new PipeEntry(a.id(), a.toPeer(), a.fromPeer(), a.endpoint(), a.peer());
        pipes.put(a.id(), p);
        ActorRef<SocketCommand> self = getContext().getSelf();
        SocketCommand.PipeReadable readable = new SocketCommand.PipeReadable(a.id());
        SocketCommand.PipeWritable writable = new SocketCommand.PipeWritable(a.id());
        a.fromPeer().onReadable(() -> self.tell(readable));
        a.toPeer().onWritable(() -> self.tell(writable));
        pattern.attached(p);
        // Route queued sends from the back of the mailbox, not from here: other peers' attach messages
        // may already be waiting there, and an application that sent after they were enqueued expects
        // its messages to be spread over all of them.
        self.tell(SocketCommand.Internal.PUMP_OUT);
        pumpIn();
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
        children.put(child, new Child(false, c.endpoint(), ep.toString(), null));
        c.result().complete(Done.getInstance());
        return this;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Behavior<SocketCommand> onInprocAnswer(SocketCommand.InprocAnswer a) {
        // The pipes and the answer in one step: a status() after the bind/connect sees them, and no stop
        // can come in between and fail an operation that already carries traffic.
        for (Object pipe : a.pipes()) {
            onAttached((TransportEvent.PipeAttached) pipe);
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
            detachEndpoint(ep.toString());
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
            if (detachEndpoint(ep.toString()) == 0) {
                d.result().completeExceptionally(new RzmqException(Code.ENOENT, "not connected to " + ep));
            } else {
                d.result().complete(Done.getInstance());
            }
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

    /** Detaches the pipes that came from {@code endpoint} (inproc unbind/disconnect); returns how many. */
    private int detachEndpoint(String endpoint) {
        List<PipeEntry> matching = new ArrayList<>();
        for (PipeEntry p : pipes.values()) {
            if (endpoint.equals(p.endpoint())) {
                matching.add(p);
            }
        }
        for (PipeEntry p : matching) {
            detach(p);
        }
        return matching.size();
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
        if (finishing && children.isEmpty()) {
            stopNow = true;
        }
        return afterWork();
    }

    private Behavior<SocketCommand> onStatus(SocketCommand.Status s) {
        int ready = 0;
        for (PipeEntry p : pipes.values()) {
            if (p.isReady()) {
                ready++;
            }
        }
        s.result().complete(new SocketStatus(type, pipes.size(), ready, outbox.size(), inbox.size(), closing));
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
        failParked();
        deliverTarget = null;
        if (linger.isZero()) {
            outbox.clear();
            finishClose(true);
            return afterWork();
        }
        if (!linger.isNegative()) {
            lingerDeadlineNanos = System.nanoTime() + linger.toNanos();
            timers.startSingleTimer(SocketCommand.Internal.LINGER_EXPIRED, SocketCommand.Internal.LINGER_EXPIRED, linger);
        }
        // afterWork lets go of the pipes once everything the application queued is in them.
        pumpOut();
        return afterWork();
    }

    private Behavior<SocketCommand> onLingerExpired() {
        if (!finishing) {
            outbox.clear();
            finishClose(true);
            return afterWork();
        }
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
        for (PipeEntry p : new ArrayList<>(pipes.values())) {
            pipes.remove(p.id());
            pattern.detached(p);
            p.detached = true;
            p.in().closeRead();
            if (discard) {
                p.out().abortWrite();
            } else {
                p.out().closeWrite();
            }
        }
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

    private void failParked() {
        while (!parkedSends.isEmpty()) {
            SocketCommand.SendParked s = parkedSends.pollFirst();
            bridge.parkedSends.decrementAndGet();
            s.result().completeExceptionally(closedError());
        }
        while (!parkedReceives.isEmpty()) {
            SocketCommand.ReceiveParked r = parkedReceives.pollFirst();
            bridge.parkedReceives.decrementAndGet();
            r.result().completeExceptionally(closedError());
        }
    }

    private Behavior<SocketCommand> onPostStop() {
        // Before anyone hears we are closed: the context then sends nothing more here (a context closed
        // right after this socket would otherwise tell it Close too, a dead letter).
        context.socketStopped(getContext().getSelf());
        bridge.markClosed();
        failParked();
        for (Child c : children.values()) {
            if (c.pendingBind != null) {
                c.pendingBind.completeExceptionally(closedError());
            }
            if (c.stopped != null) {
                c.stopped.complete(Done.getInstance());
            }
        }
        for (PipeEntry p : pipes.values()) {
            p.in().closeRead();
            p.out().closeWrite();
        }
        pipes.clear();
        for (ActorRef<MonitorEvent> target : monitors) {
            target.tell(monitorStopped("the socket is closed"));
        }
        monitors.clear();
        // Last: fails what is still on its way to this actor, then completes close().
        bridge.terminate(closedError());
        return this;
    }
}
