package io.rzmq.pekko.testing;

import com.typesafe.config.Config;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.dispatch.Envelope;
import org.apache.pekko.dispatch.MailboxType;
import org.apache.pekko.dispatch.MessageQueue;
import org.apache.pekko.dispatch.ProducesMessageQueue;
import org.apache.pekko.dispatch.UnboundedMessageQueueSemantics;
import org.apache.pekko.io.Tcp;
import scala.Option;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An unbounded mailbox that counts the bytes of {@code Tcp.Received} chunks waiting in it, and remembers
 * the most any one mailbox (any one engine: only engines are sent Received) ever held. Set as the
 * {@code mailbox-type} of rzmq's dispatcher in a test's config to see what reads pile up ahead of the
 * engine that decodes them.
 */
public final class ReceivedCountingMailbox implements MailboxType,
    ProducesMessageQueue<ReceivedCountingMailbox.Queue> {

    private static final AtomicLong MAX_QUEUED_BYTES = new AtomicLong();
    private static final AtomicLong RECEIVED_BYTES = new AtomicLong();

    public ReceivedCountingMailbox(ActorSystem.Settings settings, Config config) {
    }

    /** The most Received bytes one mailbox held at once since the last {@link #reset}. */
    public static long maxQueuedBytes() {
        return MAX_QUEUED_BYTES.get();
    }

    /** All Received bytes enqueued since the last {@link #reset}. */
    public static long receivedBytes() {
        return RECEIVED_BYTES.get();
    }

    public static void reset() {
        MAX_QUEUED_BYTES.set(0);
        RECEIVED_BYTES.set(0);
    }

    @Override
    public MessageQueue create(Option<ActorRef> owner, Option<ActorSystem> system) {
        return new Queue();
    }

    /** One actor's queue. */
    public static final class Queue implements MessageQueue, UnboundedMessageQueueSemantics {
        private final ConcurrentLinkedQueue<Envelope> queue = new ConcurrentLinkedQueue<>();
        private final AtomicLong queuedBytes = new AtomicLong();

        @Override
        public void enqueue(ActorRef receiver, Envelope handle) {
            if (handle.message() instanceof Tcp.Received r) {
                long n = r.data().length();
                RECEIVED_BYTES.addAndGet(n);
                MAX_QUEUED_BYTES.accumulateAndGet(queuedBytes.addAndGet(n), Math::max);
            }
            queue.add(handle);
        }

        @Override
        public Envelope dequeue() {
            Envelope e = queue.poll();
            if (e != null && e.message() instanceof Tcp.Received r) {
                queuedBytes.addAndGet(-r.data().length());
            }
            return e;
        }

        @Override
        public int numberOfMessages() {
            return queue.size();
        }

        @Override
        public boolean hasMessages() {
            return !queue.isEmpty();
        }

        @Override
        public void cleanUp(ActorRef owner, MessageQueue deadLetters) {
            Envelope e;
            while ((e = queue.poll()) != null) {
                deadLetters.enqueue(owner, e);
            }
        }
    }
}
