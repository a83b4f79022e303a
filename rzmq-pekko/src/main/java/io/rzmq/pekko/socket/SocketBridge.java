package io.rzmq.pekko.socket;

import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.jctools.queues.MpscArrayQueue;
import org.jctools.queues.SpmcArrayQueue;

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
        if (!outboxScheduled.get() && outboxScheduled.compareAndSet(false, true)) {
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
        if (m != null && inboxWanted.get() && inbox.size() <= inboxLowWater && inboxWanted.compareAndSet(true, false)) {
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
        core.tell(new SocketCommand.SendParked(msg, promise, timeout));
    }

    /** Parks a receive: the core completes it with the next message (or fails it at the deadline). */
    public void parkReceive(CompletableFuture<Msg> promise, java.time.Duration timeout) {
        parkedReceives.incrementAndGet();
        core.tell(new SocketCommand.ReceiveParked(promise, timeout));
    }

    /** Returns delivery credits (ActorRef delivery); wakes the core when it was waiting for them. */
    public void addCredits(long n) {
        credits.addAndGet(n);
        if (creditsWanted.get() && creditsWanted.compareAndSet(true, false)) {
            core.tell(SocketCommand.Wake.CREDIT);
        }
    }

    /**
     * True exactly once: the caller should tell the core to close. False when the core already stopped
     * (its context closed it): telling it would only make a dead letter.
     */
    public boolean requestClose() {
        boolean coreStopped = terminated.isDone();
        closed = true;
        return closeRequested.compareAndSet(false, true) && !coreStopped;
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
