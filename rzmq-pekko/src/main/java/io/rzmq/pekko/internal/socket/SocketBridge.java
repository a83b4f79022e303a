package io.rzmq.pekko.internal.socket;

import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.jctools.queues.MpscArrayQueue;
import org.jctools.queues.SpmcArrayQueue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The lock-free state a socket handle ({@code ZSocket}) shares with its SocketCore actor, so that a send
 * that finds room or a receive that finds a message costs no actor message.
 *
 * <ul>
 *   <li>outbox: bounded MPSC queue, written by any application thread, drained by the core. The core
 *       is told ({@link SocketCommand.Wake#OUTBOX}) only when it is idle: {@code outboxScheduled}
 *       stays true while the core has work pending, including while it waits for room in its pipes.</li>
 *   <li>inbox: bounded SPMC queue, filled by the core, read by any application thread. When the core
 *       finds it full it raises {@code inboxWanted}; the reader that brings it down to half tells the
 *       core once ({@link SocketCommand.Wake#INBOX_ROOM}).</li>
 *   <li>parked sends/receives: a send that finds the outbox full, or a receive that finds the inbox
 *       empty, goes to the core as a message with a promise. While any is parked, later calls park
 *       too, so one thread's calls keep their order.</li>
 *   <li>hand-over: every operation given to the core with a promise (parked sends and receives, bind,
 *       status, ...) is registered here until it completes. When the core stops it calls
 *       {@link #terminate}, which fails every registered promise with ETERM; a hand-over after that fails
 *       at once without telling the core. One lock orders the two, so an operation racing the core's stop
 *       is completed by exactly one of them, never left in the mailbox of a stopped actor.</li>
 * </ul>
 * Internal: the public API is {@code io.rzmq.pekko.api.ZSocket}.
 */
public final class SocketBridge {
    private final SocketType type;
    private final MpscArrayQueue<Msg> outbox;
    private final SpmcArrayQueue<Msg> inbox;
    private final int inboxCapacity;
    private final int inboxLowWater;
    private final SocketGuard guard;

    final AtomicBoolean outboxScheduled = new AtomicBoolean();
    final AtomicInteger parkedSends = new AtomicInteger();
    final AtomicInteger parkedReceives = new AtomicInteger();
    final AtomicBoolean inboxWanted = new AtomicBoolean();
    final AtomicLong credits = new AtomicLong();
    final AtomicBoolean creditsWanted = new AtomicBoolean();
    private final AtomicBoolean closeRequested = new AtomicBoolean();
    private final CompletableFuture<Done> terminated = new CompletableFuture<>();
    private volatile boolean closed;
    // The core stopped: nothing handed over now would ever be answered.
    private volatile boolean stopped;
    // Promises handed to the core and not completed yet; guarded by itself, as is the "stopped" decision.
    private final Set<CompletableFuture<?>> handedOver = Collections.newSetFromMap(new IdentityHashMap<>());
    private volatile boolean delivering;
    private volatile ActorRef<SocketCommand> core;

    /**
     * @param outboxCapacity messages the application may queue before sends wait (rounded up to a power of 2)
     * @param inboxCapacity  messages the core may queue for the application (rounded up to a power of 2)
     */
    public SocketBridge(SocketType type, int outboxCapacity, int inboxCapacity) {
        this(type, outboxCapacity, inboxCapacity, SocketGuard.NONE);
    }

    /** @param guard the socket type's caller-side checks (REQ/REP alternation, ROUTER_MANDATORY) */
    public SocketBridge(SocketType type, int outboxCapacity, int inboxCapacity, SocketGuard guard) {
        this.type = type;
        this.guard = guard;
        this.outbox = new MpscArrayQueue<>(Math.max(2, outboxCapacity));
        this.inbox = new SpmcArrayQueue<>(Math.max(2, inboxCapacity));
        this.inboxCapacity = inbox.capacity();
        this.inboxLowWater = this.inboxCapacity / 2;
    }

    public SocketType type() {
        return type;
    }

    /** The checks the handle makes before a send and around a receive. */
    public SocketGuard guard() {
        return guard;
    }

    /** Set once by whoever spawned the core, before the handle is used. */
    public void attachCore(ActorRef<SocketCommand> ref) {
        this.core = ref;
    }

    public ActorRef<SocketCommand> core() {
        return core;
    }

    // ------------------------------------------------------------------ application side

    /** Queues {@code msg} if the outbox has room and no send is parked; wakes the core if it was idle. */
    public boolean offerOutgoing(Msg msg) {
        if (parkedSends.get() != 0 || !outbox.offer(msg)) {
            return false;
        }
        if (!outboxScheduled.get() && outboxScheduled.compareAndSet(false, true) && !stopped) {
            core.tell(SocketCommand.Wake.OUTBOX);
        }
        return true;
    }

    /** Takes a received message if one is ready and no receive is parked; null otherwise. */
    public Msg pollIncoming() {
        if (parkedReceives.get() != 0) {
            return null;
        }
        Msg m = inbox.poll();
        if (m != null && inboxWanted.get() && inbox.size() <= inboxLowWater && inboxWanted.compareAndSet(true, false)
            && !stopped) {
            core.tell(SocketCommand.Wake.INBOX_ROOM);
        }
        return m;
    }

    /** Parks a send: the core takes it in order once the outbox has room. */
    public void parkSend(Msg msg, CompletableFuture<Done> promise) {
        parkSend(msg, promise, null);
    }

    /** Parks a send that fails with EAGAIN unless it is taken within {@code timeout} (null: no limit). */
    public void parkSend(Msg msg, CompletableFuture<Done> promise, java.time.Duration timeout) {
        parkedSends.incrementAndGet();
        handOver(new SocketCommand.SendParked(msg, promise, timeout), promise);
    }

    /** Parks a receive: the core completes it with the next message (or fails it at the deadline). */
    public void parkReceive(CompletableFuture<Msg> promise, java.time.Duration timeout) {
        parkedReceives.incrementAndGet();
        handOver(new SocketCommand.ReceiveParked(promise, timeout), promise);
    }

    /**
     * Tells the core {@code command}, whose outcome is {@code promise}: the core completes it, or, if the core
     * stops first (close, context close, actor-system shutdown), {@link #terminate} fails it with ETERM. Once
     * the core has stopped the promise fails here at once and the core is not told.
     */
    public void handOver(SocketCommand command, CompletableFuture<?> promise) {
        synchronized (handedOver) {
            if (!stopped) {
                handedOver.add(promise);
                // Registered before terminate drains: a live core answers it, or the drain fails it if it
                // ends up in a stopped core's mailbox. Told under the lock (tell never blocks) so that nothing
                // is told once the core is known to be gone.
                core.tell(command);
            }
        }
        if (stopped && !promise.isDone()) {
            promise.completeExceptionally(closedError());
            return;
        }
        // Slow path only (the operation costs an actor message anyway): forget it once it is answered.
        promise.whenComplete((r, e) -> {
            synchronized (handedOver) {
                handedOver.remove(promise);
            }
        });
    }

    /** Returns delivery credits (ActorRef delivery); wakes the core when it was waiting for them. */
    public void addCredits(long n) {
        credits.addAndGet(n);
        if (creditsWanted.get() && creditsWanted.compareAndSet(true, false) && !stopped) {
            core.tell(SocketCommand.Wake.CREDIT);
        }
    }

    /**
     * True exactly once, while the core runs: the caller should tell the core to close. False when the
     * core already stopped (its context closed it): telling it would only make a dead letter.
     */
    public boolean requestClose() {
        closed = true;
        return closeRequested.compareAndSet(false, true) && !stopped;
    }

    public boolean isClosed() {
        return closed;
    }

    public boolean isDelivering() {
        return delivering;
    }

    /** Completes when the core actor has stopped. */
    public CompletableFuture<Done> terminated() {
        return terminated;
    }

    // ------------------------------------------------------------------ core side

    void markClosed() {
        closed = true;
    }

    /**
     * The core has stopped (its last act): fails every operation handed over and not answered (those still
     * in its mailbox, whose timers died with it) with {@code error}, then completes {@link #terminated()}.
     */
    void terminate(RuntimeException error) {
        List<CompletableFuture<?>> left;
        synchronized (handedOver) {
            closed = true;
            stopped = true;
            left = new ArrayList<>(handedOver);
            handedOver.clear();
        }
        for (CompletableFuture<?> p : left) {
            p.completeExceptionally(error);
        }
        terminated.complete(Done.getInstance());
    }

    /** Operations handed over and not answered yet (tests). */
    int handedOverCount() {
        synchronized (handedOver) {
            return handedOver.size();
        }
    }

    /** Whether the core has stopped (after {@link #terminate}). */
    public boolean isStopped() {
        return stopped;
    }

    private io.rzmq.pekko.model.RzmqException closedError() {
        return new io.rzmq.pekko.model.RzmqException(io.rzmq.pekko.model.RzmqException.Code.ETERM, "the " + type + " socket is closed");
    }

    void addCreditsFromCore(long n) {
        credits.addAndGet(n);
    }

    void markDelivering() {
        delivering = true;
    }

    MpscArrayQueue<Msg> outbox() {
        return outbox;
    }

    SpmcArrayQueue<Msg> inbox() {
        return inbox;
    }

    boolean inboxFull() {
        return inbox.size() >= inboxCapacity;
    }

    int inboxLowWater() {
        return inboxLowWater;
    }

    public int outboxCapacity() {
        return outbox.capacity();
    }

    public int inboxCapacity() {
        return inboxCapacity;
    }
}
