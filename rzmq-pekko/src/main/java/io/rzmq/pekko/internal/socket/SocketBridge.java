package io.rzmq.pekko.internal.socket;

import io.rzmq.protocol.SocketType;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a socket handle ({@code ZSocket}) shares with its SocketCore actor besides the data path (which is the
 * {@link SocketDataPlane}: the handle routes and takes messages itself, with no queue in front of the pipes).
 *
 * <ul>
 *   <li>hand-over: every operation given to the core with a promise (bind, connect, status, ...) is
 *       registered here until it completes. When the core stops it calls {@link #terminate}, which fails
 *       every registered promise with ETERM; a hand-over after that fails at once without telling the core.
 *       One lock orders the two, so an operation racing the core's stop is completed by exactly one of them,
 *       never left in the mailbox of a stopped actor. Sends and receives waiting for room or a message are the
 *       data plane's: its close fails them under the data lock, by the same rule.</li>
 * </ul>
 * Internal: the public API is {@code io.rzmq.pekko.api.ZSocket}.
 */
public final class SocketBridge {
    private final SocketType type;
    private final SocketGuard guard;
    private final SocketDataPlane plane;

    private final AtomicBoolean closeRequested = new AtomicBoolean();
    private final CompletableFuture<Done> terminated = new CompletableFuture<>();
    private volatile boolean closed;
    // The core stopped: nothing handed over now would ever be answered.
    private volatile boolean stopped;
    // Promises handed to the core and not completed yet; guarded by itself, as is the "stopped" decision.
    private final Set<CompletableFuture<?>> handedOver = Collections.newSetFromMap(new IdentityHashMap<>());
    private volatile ActorRef<SocketCommand> core;

    /** @param plane the socket's data path (its guard is the bridge's) */
    public SocketBridge(SocketDataPlane plane, SocketGuard guard) {
        this.type = plane.type();
        this.guard = guard;
        this.plane = plane;
    }

    public SocketType type() {
        return type;
    }

    /** The checks the handle makes before a send and around a receive. */
    public SocketGuard guard() {
        return guard;
    }

    /** The socket's data path. */
    public SocketDataPlane plane() {
        return plane;
    }

    /** Set once by whoever spawned the core, before the handle is used. */
    public void attachCore(ActorRef<SocketCommand> ref) {
        this.core = ref;
    }

    public ActorRef<SocketCommand> core() {
        return core;
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
}
