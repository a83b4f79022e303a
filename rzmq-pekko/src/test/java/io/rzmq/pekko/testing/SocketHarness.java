package io.rzmq.pekko.testing;

import io.rzmq.pekko.model.MonitorEventKind;

import io.rzmq.pekko.model.Endpoint;
import io.rzmq.pekko.internal.engine.SocketSetup;
import io.rzmq.pekko.internal.session.Transport;
import io.rzmq.pekko.internal.session.TransportCommand;
import io.rzmq.pekko.internal.transport.TransportEvent;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Plays the SocketCore in transport tests: an actor that asks a {@link Transport} to bind or connect
 * (so the transport actors are its children) and records every {@link TransportEvent} it is told, for
 * the test thread to await with deadlines.
 */
public final class SocketHarness {
    public static final Duration TIMEOUT = Duration.ofSeconds(20);

    private record Spawn(Function<ActorContext<?>, ActorRef<TransportCommand>> how,
                         CompletableFuture<ActorRef<TransportCommand>> reply) {
    }

    private final ActorRef<Spawn> owner;
    private final ActorRef<TransportEvent> events;
    private final List<TransportEvent> log = new ArrayList<>();
    private final IdentityHashMap<TransportEvent, Boolean> taken = new IdentityHashMap<>();

    public SocketHarness(ActorTestKit kit) {
        this.events = kit.spawn(Behaviors.receiveMessage(e -> {
            synchronized (log) {
                log.add(e);
                log.notifyAll();
            }
            return Behaviors.same();
        }));
        Behavior<Spawn> ownerBehavior = Behaviors.receive((ctx, s) -> {
            try {
                s.reply().complete(s.how().apply(ctx));
            } catch (RuntimeException e) {
                s.reply().completeExceptionally(e);
            }
            return Behaviors.same();
        });
        this.owner = kit.spawn(ownerBehavior);
    }

    public ActorRef<TransportCommand> bind(Transport transport, String endpoint, SocketSetup setup) {
        return spawn(ctx -> transport.bind(ctx, Endpoint.parse(endpoint), setup, events));
    }

    public ActorRef<TransportCommand> connect(Transport transport, String endpoint, SocketSetup setup) {
        return spawn(ctx -> transport.connect(ctx, Endpoint.parse(endpoint), setup, events));
    }

    private ActorRef<TransportCommand> spawn(Function<ActorContext<?>, ActorRef<TransportCommand>> how) {
        CompletableFuture<ActorRef<TransportCommand>> reply = new CompletableFuture<>();
        owner.tell(new Spawn(how, reply));
        try {
            return reply.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("spawning a transport actor failed", e);
        }
    }

    /** The first event of {@code type} matching {@code p} not yet returned by an earlier await. */
    public <T extends TransportEvent> T await(Class<T> type, Predicate<T> p) {
        return await(type, p, TIMEOUT);
    }

    public <T extends TransportEvent> T await(Class<T> type) {
        return await(type, e -> true, TIMEOUT);
    }

    public <T extends TransportEvent> T await(Class<T> type, Predicate<T> p, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (log) {
            while (true) {
                for (TransportEvent e : log) {
                    if (type.isInstance(e) && !taken.containsKey(e) && p.test(type.cast(e))) {
                        taken.put(e, true);
                        return type.cast(e);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no " + type.getSimpleName() + " matching within " + timeout
                        + "; events so far: " + log);
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(log, left);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", ie);
                }
            }
        }
    }

    public TransportEvent.Monitor awaitMonitor(MonitorEventKind kind) {
        return await(TransportEvent.Monitor.class, m -> m.event() == kind);
    }

    public PeerPipes awaitAttached() {
        return new PeerPipes(await(TransportEvent.PipeAttached.class));
    }

    /** A snapshot of every event so far. */
    public List<TransportEvent> events() {
        synchronized (log) {
            return new ArrayList<>(log);
        }
    }
}
