package io.rzmq.pekko.testing;

import io.rzmq.pekko.model.MonitorEventKind;

import io.rzmq.pekko.api.Await;
import io.rzmq.pekko.model.MonitorEvent;
import io.rzmq.pekko.api.ZSocket;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static io.rzmq.pekko.api.Await.result;

/**
 * Every monitor event of one socket, kept in order, so a test can wait for the n-th event of a kind
 * (a second handshake failure, a retry) without consuming the others as a probe would.
 */
public final class MonitorLog {
    private final List<MonitorEvent> events = new ArrayList<>();

    private MonitorLog() {
    }

    /** Starts recording {@code socket}'s events (from before its next bind or connect). */
    public static MonitorLog of(ActorTestKit kit, ZSocket socket) {
        MonitorLog log = new MonitorLog();
        result(socket.monitor(kit.spawn(Behaviors.<MonitorEvent>receiveMessage(e -> {
            synchronized (log.events) {
                log.events.add(e);
                log.events.notifyAll();
            }
            return Behaviors.same();
        }))));
        return log;
    }

    /** The events so far. */
    public List<MonitorEvent> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    public List<MonitorEvent> matching(Predicate<MonitorEvent> p) {
        return events().stream().filter(p).toList();
    }

    public List<MonitorEvent> of(MonitorEventKind kind) {
        return matching(e -> e.kind() == kind);
    }

    /** Waits until {@code n} events match and returns the n-th. */
    public MonitorEvent awaitNth(int n, String what, Predicate<MonitorEvent> p) {
        long end = System.nanoTime() + Await.DEADLINE.toNanos();
        synchronized (events) {
            while (true) {
                List<MonitorEvent> hits = events.stream().filter(p).toList();
                if (hits.size() >= n) {
                    return hits.get(n - 1);
                }
                long left = end - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no " + n + " x " + what + " within " + Await.DEADLINE + "; "
                        + events.size() + " events, the last ones: "
                        + events.subList(Math.max(0, events.size() - 12), events.size()));
                }
                try {
                    events.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }

    public MonitorEvent await(MonitorEventKind kind) {
        return awaitNth(1, kind.name(), e -> e.kind() == kind);
    }

    /** Any handshake outcome: success or one of the failures. */
    public static boolean handshakeOutcome(MonitorEvent e) {
        return e.kind() == MonitorEventKind.HANDSHAKE_SUCCEEDED || e.kind().isHandshakeFailure();
    }
}
