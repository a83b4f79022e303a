package io.rzmq.pekko.internal.socket;

import io.rzmq.pekko.model.RzmqException;
import io.rzmq.pekko.model.RzmqException.Code;
import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.pekko.internal.pipe.PipeId;
import io.rzmq.pekko.internal.transport.TransportEvent;
import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import io.rzmq.protocol.connection.PeerInfo;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.jctools.queues.MpscChunkedArrayQueue;
import scala.concurrent.ExecutionContextExecutor;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The socket's data path on the caller's thread (runtime v2, issue 14): a send runs the socket type's
 * routing ({@link SocketPattern}) and writes straight into the chosen {@code Pipe}; a receive takes straight
 * from the pipes (fair queue). No outbox or inbox in front of the pipes, so a message is counted once against
 * the high-water marks: SNDHWM in the out pipe, RCVHWM in the in pipe.
 *
 * <p><b>The data lock.</b> The pattern, the pipe table and the pending operations are touched only by the thread
 * holding the data lock, a flag taken with one CAS (ZeroMQ sockets are single-threaded by contract; the lock
 * makes accidental sharing safe). Callers spin for it (whoever holds it does a bounded amount of work).
 * Everybody else only <em>tries</em> it: the SocketCore (control plane: pipes attached and detached, peers
 * ready or lost, subscriptions, delivery, close) and the pipes' edge wake-ups put a command on a bounded queue
 * and try the lock; if it is held, the holder applies the queue before it lets go (libzmq's
 * {@code process_commands} inside {@code zmq_send}/{@code zmq_recv}).
 *
 * <p><b>Waiting without blocking.</b> A send that finds every eligible pipe full, or a receive that finds
 * nothing, returns a pending future; the wake-ups that bring room or data complete it. Futures are completed
 * after the lock is released: inline on a caller's or the SocketCore's thread, through the actor system's
 * executor when a pipe's wake-up or a timer did the work (a wake-up runs on an engine's I/O loop, where user
 * continuations must not run, or on an inproc peer's caller thread inside that peer's own data lock, where a
 * continuation re-entering the peer would spin on its own lock). Completing on the loop itself would save a
 * thread wake-up on the latency path; it made a JeroMQ interop test's handshake stall under load, not yet
 * understood, so it is not done. Later operations queue behind pending ones, so one thread's calls keep their
 * order.
 *
 * <p><b>Close.</b> Whoever applies the close (under the lock) fails every pending operation with ETERM; an
 * operation that takes the lock afterwards fails at once. The SocketCore's stop applies the close as its last
 * act, then completes the socket's termination (see {@link SocketBridge#terminate}).
 */
public final class SocketDataPlane implements SocketPattern.Host {
    /** What a send that a pipe took at once returns (no allocation). */
    public static final CompletionStage<Done> SENT = CompletableFuture.completedStage(Done.getInstance());
    private static final int SPINS_BEFORE_YIELD = 64;
    // Wake-ups are at most two per pipe between two applications; control commands come from one actor.
    private static final int COMMAND_QUEUE_LIMIT = 1 << 16;

    private final SocketType type;
    private final SocketOptions options;
    private final SocketGuard guard;
    private final SocketPattern pattern;
    private final Scheduler scheduler;
    private final ExecutionContextExecutor executor;
    private final boolean conflate;

    private final AtomicBoolean lock = new AtomicBoolean();
    private final MpscChunkedArrayQueue<Object> commands = new MpscChunkedArrayQueue<>(64, COMMAND_QUEUE_LIMIT);

    // ---- guarded by the data lock
    private final Map<PipeId, PipeEntry> pipes = new HashMap<>();
    private final ArrayList<PipeEntry> finished = new ArrayList<>();
    private final ArrayDeque<PendingSend> pendingSends = new ArrayDeque<>();
    private final ArrayDeque<PendingReceive> pendingReceives = new ArrayDeque<>();
    private final ArrayList<Runnable> completions = new ArrayList<>();
    private Msg conflateHeld;
    private boolean closedUnderLock;
    private boolean serveAgain;
    private ActorRef<Msg> deliverTarget;

    // ---- read by any thread
    private volatile boolean closed;
    private volatile boolean delivering;
    private volatile int pendingSendCount;
    private volatile int pendingReceiveCount;
    private final AtomicLong credits = new AtomicLong();
    private final AtomicBoolean creditsWanted = new AtomicBoolean();

    private static final class PendingSend {
        final Msg msg;
        final CompletableFuture<Done> result = new CompletableFuture<>();
        Cancellable timer;

        PendingSend(Msg msg) {
            this.msg = msg;
        }
    }

    private static final class PendingReceive {
        final CompletableFuture<Msg> result = new CompletableFuture<>();
        Cancellable timer;
    }

    /** A pending operation's deadline passed (queued like any command: applied under the lock). */
    private record TimedOut(Object op, Duration timeout) {
    }

    /** A pipe's wake-up: room appeared in its out pipe ({@code writable}) or items in its in pipe. */
    record PipeSignal(PipeEntry pipe, boolean writable) {
    }

    /** Control commands from the SocketCore. */
    sealed interface Control {
    }

    /** Pipes attached by a transport or inproc peer. */
    record Attach(TransportEvent.PipeAttached pipe) implements Control {
    }

    /** A (re)connection behind a pipe completed its handshake. */
    record PeerReady(PipeId id, PeerInfo peer) implements Control {
    }

    /** The connection behind a pipe broke; the pipe stays. */
    record PeerLost(PipeId id) implements Control {
    }

    /** The transport let go of a pipe pair. */
    record PipeDetached(PipeId id) implements Control {
    }

    /** Detaches the pipes of an inproc endpoint; completes with how many there were. */
    record DetachEndpoint(String endpoint, CompletableFuture<Integer> result) implements Control {
    }

    record Subscription(Frame topic, boolean add, PipeEntry subscriber, CompletableFuture<Done> result)
        implements Control {
    }

    record Status(CompletableFuture<SocketStatus> result, boolean closing) implements Control {
    }

    record DeliverTo(ActorRef<Msg> target, int credits, CompletableFuture<Done> result) implements Control {
    }

    /**
     * Close: pending operations fail with ETERM, later ones at once; every pipe is let go (closed for writing,
     * so what it holds still flows, or aborted when {@code discard}); then {@code then} runs (after the lock).
     */
    record Close(boolean discard, Runnable then) implements Control {
    }

    public SocketDataPlane(SocketType type, SocketOptions options, SocketGuard guard, Scheduler scheduler,
                           ExecutionContextExecutor executor) {
        this.type = type;
        this.options = options;
        this.guard = guard;
        this.scheduler = scheduler;
        this.executor = executor;
        this.conflate = options.conflate();
        this.pattern = SocketPattern.create(type, this, options, guard);
    }

    public SocketType type() {
        return type;
    }

    SocketPattern pattern() {
        return pattern;
    }

    public boolean isClosed() {
        return closed;
    }

    public boolean isDelivering() {
        return delivering;
    }

    // ================================================================== the lock

    private void acquire() {
        if (lock.compareAndSet(false, true)) {
            return;
        }
        int spins = 0;
        while (lock.get() || !lock.compareAndSet(false, true)) {
            if (++spins < SPINS_BEFORE_YIELD) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    /**
     * Lets the lock go; commands queued meanwhile (their senders found it held) are applied first, by
     * re-taking it if nobody else did. Completions collected under the lock run after it is free: inline on
     * a caller's thread, on the executor when {@code inline} is false (a wake-up on somebody else's thread).
     */
    private void release(boolean inline) {
        while (true) {
            Runnable[] done = null;
            if (!completions.isEmpty()) {
                done = completions.toArray(new Runnable[0]);
                completions.clear();
            }
            lock.set(false);
            if (done != null) {
                runCompletions(done, inline);
            }
            // A command offered while we held the lock: its sender's tryLock failed, so it is ours to apply.
            if (commands.isEmpty() || !lock.compareAndSet(false, true)) {
                return;
            }
            applyCommands();
            afterWork();
        }
    }

    private void runCompletions(Runnable[] done, boolean inline) {
        if (inline) {
            for (Runnable r : done) {
                r.run();
            }
        } else {
            try {
                executor.execute(() -> {
                    for (Runnable r : done) {
                        r.run();
                    }
                });
            } catch (RuntimeException rejected) {
                // The actor system is shutting down: its executor takes nothing more; complete them here.
                for (Runnable r : done) {
                    r.run();
                }
            }
        }
    }

    /** Queues {@code command} and applies it now if the lock is free; never waits (but see the queue limit). */
    private void post(Object command, boolean inline) {
        if (!commands.offer(command)) {
            // 65,536 commands behind one holder: wait for it rather than drop a pipe event.
            acquire();
            applyCommands();
            apply(command);
            afterWork();
            release(inline);
            return;
        }
        if (!lock.get() && lock.compareAndSet(false, true)) {
            applyCommands();
            afterWork();
            release(inline);
        }
    }

    /** From the SocketCore (control plane): applied now when the lock is free, else by its holder. */
    void submit(Control command) {
        post(command, true);
    }

    private void applyCommands() {
        Object c;
        while ((c = commands.poll()) != null) {
            apply(c);
        }
    }

    // ================================================================== application side

    /**
     * Routes {@code msg} (the guard's checks already passed): completed at once when a pipe took it, else
     * pending until one has room (or fails with EAGAIN at {@code timeout}; zero: at once; null: no limit).
     */
    public CompletionStage<Done> send(Msg msg, Duration timeout) {
        CompletionStage<Done> r;
        acquire();
        try {
            applyCommands();
            if (closedUnderLock) {
                r = CompletableFuture.failedStage(closedError());
            } else if (pendingSends.isEmpty() && routeOut(msg)) {
                r = SENT;
            } else if (timeout != null && timeout.isZero()) {
                r = CompletableFuture.failedStage(new RzmqException(Code.EAGAIN,
                    "the " + type + " socket has no room for the message (SNDTIMEO 0)"));
            } else {
                PendingSend ps = new PendingSend(msg);
                pendingSends.addLast(ps);
                pendingSendCount = pendingSends.size();
                if (timeout != null) {
                    ps.timer = schedule(ps, timeout);
                }
                r = ps.result.minimalCompletionStage();
            }
            afterWork();
        } catch (RuntimeException e) {
            r = CompletableFuture.failedStage(e);
        } finally {
            release(true);
        }
        return r;
    }

    /** Routes {@code msg} if that needs no waiting; false when no eligible pipe has room (or sends are pending). */
    public boolean trySend(Msg msg) {
        boolean sent;
        boolean wasClosed;
        acquire();
        try {
            applyCommands();
            wasClosed = closedUnderLock;
            sent = !wasClosed && pendingSends.isEmpty() && routeOut(msg);
            afterWork();
        } finally {
            release(true);
        }
        if (wasClosed) {
            throw closedError();
        }
        return sent;
    }

    /** The next message: completed at once when one is there, else pending (EAGAIN at {@code timeout}). */
    public CompletionStage<Msg> receive(Duration timeout) {
        CompletionStage<Msg> r;
        acquire();
        try {
            applyCommands();
            Msg m;
            if (closedUnderLock) {
                r = CompletableFuture.failedStage(closedError());
            } else if (deliverTarget != null) {
                r = CompletableFuture.failedStage(deliveringError());
            } else if (pendingReceives.isEmpty() && (m = takeIn()) != null) {
                r = CompletableFuture.completedStage(m);
            } else if (timeout != null && timeout.isZero()) {
                r = CompletableFuture.failedStage(new RzmqException(Code.EAGAIN, "no message ready (RCVTIMEO 0)"));
            } else {
                PendingReceive pr = new PendingReceive();
                pendingReceives.addLast(pr);
                pendingReceiveCount = pendingReceives.size();
                if (timeout != null) {
                    pr.timer = schedule(pr, timeout);
                }
                r = pr.result.minimalCompletionStage();
            }
            afterWork();
        } catch (RuntimeException e) {
            r = CompletableFuture.failedStage(e);
        } finally {
            release(true);
        }
        return r;
    }

    /** The next message if one is ready (and no receive is pending), else null. */
    public Msg tryReceive() {
        Msg m = null;
        boolean wasClosed;
        boolean wasDelivering;
        acquire();
        try {
            applyCommands();
            wasClosed = closedUnderLock;
            wasDelivering = deliverTarget != null;
            if (!wasClosed && !wasDelivering && pendingReceives.isEmpty()) {
                m = takeIn();
            }
            afterWork();
        } finally {
            release(true);
        }
        if (wasClosed) {
            throw closedError();
        }
        if (wasDelivering) {
            throw deliveringError();
        }
        return m;
    }

    /** Delivery credits back from the target actor (deliverTo); wakes the delivery when it had run out. */
    public void addCredits(long n) {
        credits.addAndGet(n);
        if (creditsWanted.get() && creditsWanted.compareAndSet(true, false)) {
            post(Kick.INSTANCE, false);
        }
    }

    /** From now on push received messages to {@code target}, at most {@code credits} ahead of its acks. */
    public void deliverTo(ActorRef<Msg> target, int credits, CompletableFuture<Done> result) {
        submit(new DeliverTo(target, credits, result));
    }

    /**
     * Subscribe ({@code add}) or unsubscribe {@code topic}: SUB, or an XPUB_MANUAL XPUB for {@code subscriber}
     * (the sender of the subscription message its application received last; null: nobody, ignored).
     */
    public void subscription(Frame topic, boolean add, PipeEntry subscriber, CompletableFuture<Done> result) {
        submit(new Subscription(topic, add, subscriber, result));
    }

    /** Sends waiting for room (status). */
    public int pendingSends() {
        return pendingSendCount;
    }

    /** Receives waiting for a message (status). */
    public int pendingReceives() {
        return pendingReceiveCount;
    }

    private enum Kick {
        INSTANCE
    }

    // ================================================================== under the lock

    private boolean routeOut(Msg msg) {
        if (pattern.send(msg)) {
            return true;
        }
        if (conflate) {
            // CONFLATE with no pipe to take it: keep only the newest, it goes out when a pipe attaches.
            conflateHeld = msg;
            return true;
        }
        return false;
    }

    private Msg takeIn() {
        if (!conflate) {
            return pattern.receive();
        }
        // CONFLATE: of what the pipes hold, only the newest.
        Msg newest = null;
        Msg m;
        while ((m = pattern.receive()) != null) {
            newest = m;
        }
        return newest;
    }

    private void apply(Object c) {
        if (c instanceof PipeSignal s) {
            PipeEntry p = s.pipe();
            if (!p.detached) {
                if (s.writable()) {
                    pattern.writable(p);
                } else {
                    pattern.readable(p);
                    noticeFinished(p);
                }
            }
        } else if (c instanceof Kick) {
            serveAgain = true;
        } else if (c instanceof TimedOut t) {
            timedOut(t);
        } else if (c instanceof Control control) {
            applyControl(control);
        }
    }

    private void applyControl(Control c) {
        if (c instanceof Attach a) {
            attach(a.pipe());
        } else if (c instanceof PeerReady r) {
            PipeEntry p = pipes.get(r.id());
            if (p != null) {
                p.markReady(r.peer());
                pattern.peerReady(p);
            }
        } else if (c instanceof PeerLost l) {
            PipeEntry p = pipes.get(l.id());
            if (p != null) {
                p.markLost();
                pattern.peerLost(p);
            }
        } else if (c instanceof PipeDetached d) {
            PipeEntry p = pipes.get(d.id());
            if (p != null) {
                pipeDetached(p);
            }
        } else if (c instanceof DetachEndpoint d) {
            List<PipeEntry> matching = new ArrayList<>();
            for (PipeEntry p : pipes.values()) {
                if (d.endpoint().equals(p.endpoint())) {
                    matching.add(p);
                }
            }
            for (PipeEntry p : matching) {
                detach(p);
            }
            int n = matching.size();
            completions.add(() -> d.result().complete(n));
        } else if (c instanceof Subscription s) {
            if (closedUnderLock) {
                completions.add(() -> s.result().completeExceptionally(closedError()));
                return;
            }
            RzmqException failure = null;
            try {
                if (s.add()) {
                    pattern.subscribe(s.topic(), s.subscriber());
                } else {
                    pattern.unsubscribe(s.topic(), s.subscriber());
                }
            } catch (RzmqException e) {
                failure = e;
            }
            RzmqException f = failure;
            completions.add(() -> {
                if (f == null) {
                    s.result().complete(Done.getInstance());
                } else {
                    s.result().completeExceptionally(f);
                }
            });
        } else if (c instanceof Status s) {
            int ready = 0;
            int queuedIn = 0;
            for (PipeEntry p : pipes.values()) {
                if (p.isReady()) {
                    ready++;
                }
                queuedIn += p.in().size();
            }
            SocketStatus status = new SocketStatus(type, pipes.size(), ready,
                pendingSends.size() + (conflateHeld != null ? 1 : 0), queuedIn, s.closing() || closedUnderLock);
            completions.add(() -> s.result().complete(status));
        } else if (c instanceof DeliverTo d) {
            deliverTo(d);
        } else if (c instanceof Close close) {
            close(close);
        }
    }

    private void attach(TransportEvent.PipeAttached a) {
        if (closedUnderLock || pipes.containsKey(a.id())) {
            a.fromPeer().closeRead();
            a.toPeer().closeWrite();
            return;
        }
        PipeEntry p = new PipeEntry(a.id(), a.toPeer(), a.fromPeer(), a.endpoint(), a.peer());
        pipes.put(a.id(), p);
        PipeSignal readable = new PipeSignal(p, false);
        PipeSignal writable = new PipeSignal(p, true);
        // A wake-up runs on an engine's I/O loop or on an inproc peer's caller thread (inside the peer's own data
        // lock): futures it completes are completed through the executor, never there (see the class comment).
        a.fromPeer().onReadable(() -> post(readable, false));
        a.toPeer().onWritable(() -> post(writable, false));
        pattern.attached(p);
        // Nothing polls this pipe until the application receives: a peer that closes (or sends) must still
        // wake us, so that it is detached (or served) without a receive.
        p.in().armReadable();
        noticeFinished(p);
        if (conflateHeld != null) {
            Msg held = conflateHeld;
            conflateHeld = null;
            if (!pattern.send(held)) {
                conflateHeld = held;
            }
        }
    }

    /**
     * The transport let go of a pipe pair. Messages the peer sent before it went are still in the in
     * pipe (the transport closed it for writing): deliver them first, the pattern reports the pipe
     * finished once it is drained. A transport that did not close the in pipe gets it dropped at once.
     */
    private void pipeDetached(PipeEntry p) {
        p.out().closeWrite();
        if (!p.in().isWriteClosed() || p.in().isFinished()) {
            detach(p);
            return;
        }
        p.markLost();
        pattern.peerLost(p);
        pattern.readable(p);
        noticeFinished(p);
    }

    /**
     * A peer that closed with nothing left unread is gone now, even when nobody receives (no inbox drains the
     * pipe for the pattern any more); with messages left the pattern notices when the application drains it.
     */
    private void noticeFinished(PipeEntry p) {
        if (!p.detached && p.in().isFinished()) {
            pipeFinished(p);
        }
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

    private void deliverTo(DeliverTo d) {
        if (closedUnderLock) {
            completions.add(() -> d.result().completeExceptionally(closedError()));
            return;
        }
        if (!pattern.canReceive()) {
            completions.add(() -> d.result().completeExceptionally(
                new RzmqException(Code.ENOTSUP, type + " sockets do not receive")));
            return;
        }
        if (d.credits() < 1) {
            completions.add(() -> d.result().completeExceptionally(
                new RzmqException(Code.EINVAL, "credits must be at least 1")));
            return;
        }
        deliverTarget = d.target();
        delivering = true;
        RzmqException moved = new RzmqException(Code.EINVAL,
            "this socket now delivers its messages to an actor; receive() is not available");
        failPendingReceives(moved);
        credits.addAndGet(d.credits());
        completions.add(() -> d.result().complete(Done.getInstance()));
    }

    private void close(Close c) {
        if (!closedUnderLock) {
            closedUnderLock = true;
            closed = true;
            deliverTarget = null;
            conflateHeld = null;
            RzmqException eterm = closedError();
            while (!pendingSends.isEmpty()) {
                PendingSend ps = pendingSends.pollFirst();
                cancel(ps.timer);
                completions.add(() -> ps.result.completeExceptionally(eterm));
            }
            pendingSendCount = 0;
            failPendingReceives(eterm);
            for (PipeEntry p : new ArrayList<>(pipes.values())) {
                pipes.remove(p.id());
                pattern.detached(p);
                p.detached = true;
                p.in().closeRead();
                if (c.discard()) {
                    p.out().abortWrite();
                } else {
                    p.out().closeWrite();
                }
            }
            finished.clear();
        }
        if (c.then() != null) {
            completions.add(c.then());
        }
    }

    private void failPendingReceives(RzmqException error) {
        while (!pendingReceives.isEmpty()) {
            PendingReceive pr = pendingReceives.pollFirst();
            cancel(pr.timer);
            completions.add(() -> pr.result.completeExceptionally(error));
        }
        pendingReceiveCount = 0;
    }

    private void timedOut(TimedOut t) {
        if (t.op() instanceof PendingSend ps) {
            if (pendingSends.remove(ps)) {
                pendingSendCount = pendingSends.size();
                completions.add(() -> ps.result.completeExceptionally(new RzmqException(Code.EAGAIN,
                    "no room to send within " + t.timeout().toMillis() + " ms (SNDTIMEO)")));
                // Sends queued behind it may fit now.
                serveAgain = true;
            }
        } else if (t.op() instanceof PendingReceive pr) {
            if (pendingReceives.remove(pr)) {
                pendingReceiveCount = pendingReceives.size();
                completions.add(() -> pr.result.completeExceptionally(new RzmqException(Code.EAGAIN,
                    "no message within " + t.timeout().toMillis() + " ms")));
                serveAgain = true;
            }
        }
    }

    private Cancellable schedule(Object op, Duration timeout) {
        TimedOut t = new TimedOut(op, timeout);
        return scheduler.scheduleOnce(timeout, () -> post(t, false), executor);
    }

    private static void cancel(Cancellable timer) {
        if (timer != null) {
            timer.cancel();
        }
    }

    /** The common tail: detach finished pipes, serve pending operations and the delivery target. */
    private void afterWork() {
        do {
            serveAgain = false;
            detachFinished();
            if (closedUnderLock) {
                return;
            }
            if (!pendingSends.isEmpty()) {
                servePendingSends();
            }
            if (!pendingReceives.isEmpty()) {
                servePendingReceives();
            } else if (deliverTarget != null) {
                pumpDelivery();
            }
            if (conflateHeld != null && pattern.send(conflateHeld)) {
                conflateHeld = null;
            }
            detachFinished();
        } while (serveAgain);
    }

    private void detachFinished() {
        while (!finished.isEmpty()) {
            detach(finished.remove(finished.size() - 1));
        }
    }

    private void servePendingSends() {
        PendingSend ps;
        while ((ps = pendingSends.peekFirst()) != null) {
            boolean taken;
            RuntimeException failure = null;
            try {
                taken = pattern.send(ps.msg);
            } catch (RuntimeException e) {
                taken = true;
                failure = e;
            }
            if (!taken) {
                break;
            }
            pendingSends.pollFirst();
            cancel(ps.timer);
            PendingSend done = ps;
            RuntimeException f = failure;
            completions.add(f == null
                ? () -> done.result.complete(Done.getInstance())
                : () -> done.result.completeExceptionally(f));
        }
        pendingSendCount = pendingSends.size();
    }

    private void servePendingReceives() {
        PendingReceive pr;
        while ((pr = pendingReceives.peekFirst()) != null) {
            Msg m = takeIn();
            if (m == null) {
                break;
            }
            pendingReceives.pollFirst();
            cancel(pr.timer);
            PendingReceive done = pr;
            completions.add(() -> done.result.complete(m));
        }
        pendingReceiveCount = pendingReceives.size();
    }

    private void pumpDelivery() {
        while (true) {
            if (credits.get() <= 0) {
                creditsWanted.set(true);
                // Credits may have come back before the flag was seen.
                if (credits.get() <= 0 || !creditsWanted.compareAndSet(true, false)) {
                    return;
                }
                continue;
            }
            Msg m = takeIn();
            if (m == null) {
                return;
            }
            credits.decrementAndGet();
            deliverTarget.tell(m);
        }
    }

    // ================================================================== SocketPattern.Host

    @Override
    public void pipeFinished(PipeEntry p) {
        finished.add(p);
    }

    @Override
    public void receivable() {
        serveAgain = true;
    }

    @Override
    public void sendable() {
        serveAgain = true;
    }

    @Override
    public void discardReceived() {
        // Nothing is queued in front of the pipes: the pattern drops stale replies itself.
    }

    // ================================================================== errors

    private RzmqException closedError() {
        return new RzmqException(Code.ETERM, "the " + type + " socket is closed");
    }

    private RzmqException deliveringError() {
        return new RzmqException(Code.EINVAL, "this " + type + " socket delivers its messages to an actor (deliverTo)");
    }
}
