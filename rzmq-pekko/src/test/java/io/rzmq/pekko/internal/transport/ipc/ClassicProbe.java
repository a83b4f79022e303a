package io.rzmq.pekko.internal.transport.ipc;

import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.PoisonPill;
import org.apache.pekko.actor.Props;
import org.apache.pekko.io.Tcp;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A classic actor that records every message with its sender, for tests of the classic Pekko IO protocol
 * (a typed probe loses the sender, which is how the protocol names the connection actor).
 */
final class ClassicProbe {
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final AtomicLong NAMES = new AtomicLong();

    record Got(Object msg, ActorRef sender) {
    }

    private static final class Recorder extends AbstractActor {
        private final LinkedBlockingQueue<Got> queue;

        Recorder(LinkedBlockingQueue<Got> queue) {
            this.queue = queue;
        }

        @Override
        public Receive createReceive() {
            return receiveBuilder().matchAny(m -> queue.add(new Got(m, getSender()))).build();
        }
    }

    private final LinkedBlockingQueue<Got> queue = new LinkedBlockingQueue<>();
    final ActorRef ref;

    ClassicProbe(ActorSystem system) {
        LinkedBlockingQueue<Got> q = queue;
        ref = ((ExtendedActorSystem) system).systemActorOf(Props.create(Recorder.class, () -> new Recorder(q)),
            "probe-" + NAMES.incrementAndGet());
    }

    /** The next message, failing the test after the deadline. */
    Got next() {
        try {
            Got g = queue.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (g == null) {
                throw new AssertionError("no message within " + TIMEOUT);
            }
            return g;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next message, which must be a {@code type}. */
    <T> T expect(Class<T> type) {
        Got g = next();
        if (!type.isInstance(g.msg())) {
            throw new AssertionError("expected a " + type.getSimpleName() + " but got " + g.msg());
        }
        return type.cast(g.msg());
    }

    /** The next message with its sender, which must be a {@code type}. */
    Got expectWithSender(Class<?> type) {
        Got g = next();
        if (!type.isInstance(g.msg())) {
            throw new AssertionError("expected a " + type.getSimpleName() + " but got " + g.msg());
        }
        return g;
    }

    /** The next message, which must equal {@code expected}. */
    void expectMsg(Object expected) {
        Object m = next().msg();
        if (!expected.equals(m)) {
            throw new AssertionError("expected " + expected + " but got " + m);
        }
    }

    /**
     * The next message that is not a {@code ignored}, which must equal {@code expected}. For bind handlers:
     * a bind attempt on a live address probes it with a connection, which the live listener announces.
     */
    void expectMsgIgnoring(Object expected, Class<?> ignored) {
        while (true) {
            Object m = next().msg();
            if (ignored.isInstance(m)) {
                continue;
            }
            if (!expected.equals(m)) {
                throw new AssertionError("expected " + expected + " but got " + m);
            }
            return;
        }
    }

    /** Collects Received chunks until {@code n} bytes arrived (fails on anything else). */
    ByteString receiveBytes(int n) {
        ByteStringBuilder b = new ByteStringBuilder();
        while (b.length() < n) {
            b.append(expect(Tcp.Received.class).data());
        }
        return b.result();
    }

    /** The message already waiting, or null: for checks that something has NOT happened by a known point. */
    Got poll() {
        return queue.poll();
    }

    void stop() {
        ref.tell(PoisonPill.getInstance(), ActorRef.noSender());
    }
}
