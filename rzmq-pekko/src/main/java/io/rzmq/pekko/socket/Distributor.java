package io.rzmq.pekko.socket;

import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Msg;

import java.util.ArrayList;

/**
 * PUB's fan-out: each message goes to every pipe whose subscriptions match its first frame; a pipe
 * that is full loses that message (never blocks the publisher nor the other subscribers). Each pipe
 * has its own subscription set, kept as a set (a repeated SUBSCRIBE from one peer counts once, as
 * libzmq's publisher does).
 */
public final class Distributor {
    private final ArrayList<Subscriber> subscribers = new ArrayList<>();
    private long dropped;

    private record Subscriber(PipeEntry pipe, SubscriptionSet topics) {
    }

    public void attach(PipeEntry p) {
        if (find(p) == null) {
            subscribers.add(new Subscriber(p, new SubscriptionSet()));
        }
    }

    public void remove(PipeEntry p) {
        subscribers.removeIf(s -> s.pipe == p);
    }

    /** Records a subscription of {@code p}'s peer; true when it is new for that pipe. */
    public boolean subscribe(PipeEntry p, Frame topic) {
        Subscriber s = find(p);
        return s != null && s.topics.add(copyIfSlice(topic));
    }

    /** Removes a subscription of {@code p}'s peer; true when it was present. */
    public boolean cancel(PipeEntry p, Frame topic) {
        Subscriber s = find(p);
        return s != null && s.topics.removeAll(topic);
    }

    /** Forgets every subscription of {@code p}'s peer (it reconnected and resends its whole set). */
    public void reset(PipeEntry p) {
        Subscriber s = find(p);
        if (s != null) {
            s.topics.clear();
        }
    }

    /** Sends to every matching pipe; returns how many pipes took the message. */
    public int send(Msg msg) {
        Frame first = msg.first();
        int delivered = 0;
        for (int i = 0, n = subscribers.size(); i < n; i++) {
            Subscriber s = subscribers.get(i);
            if (s.topics.matches(first)) {
                if (s.pipe.out().offer(msg)) {
                    delivered++;
                } else {
                    dropped++;
                }
            }
        }
        return delivered;
    }

    /** Adds to {@code out} every pipe whose subscriptions match {@code first} (XPUB_NODROP checks them first). */
    public void matching(Frame first, java.util.List<PipeEntry> out) {
        for (int i = 0, n = subscribers.size(); i < n; i++) {
            Subscriber s = subscribers.get(i);
            if (s.topics.matches(first)) {
                out.add(s.pipe);
            }
        }
    }

    /** The distinct topics {@code p}'s peer subscribed to (a live view; empty for an unknown pipe). */
    public java.util.Set<Frame> topicsOf(PipeEntry p) {
        Subscriber s = find(p);
        return s == null ? java.util.Set.of() : s.topics.topics();
    }

    /** Messages dropped so far because a subscriber's pipe was full (or gone). */
    public long droppedCount() {
        return dropped;
    }

    public int subscriberCount() {
        return subscribers.size();
    }

    private Subscriber find(PipeEntry p) {
        for (Subscriber s : subscribers) {
            if (s.pipe == p) {
                return s;
            }
        }
        return null;
    }

    // A topic received from the wire may be a slice of a large read buffer: keep our own small copy
    // so one long-lived subscription does not pin that buffer.
    private static Frame copyIfSlice(Frame topic) {
        return topic.unsafeArray().length == topic.size() ? topic : Frame.wrap(topic.toByteArray());
    }
}
