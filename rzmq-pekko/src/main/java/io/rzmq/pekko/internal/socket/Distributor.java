package io.rzmq.pekko.internal.socket;

import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Msg;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * PUB's fan-out: each message goes to every pipe whose subscriptions match its first frame; a pipe
 * that is full loses that message (never blocks the publisher nor the other subscribers). The
 * subscriptions of all pipes live in one {@link PipeTrie}, so a send costs the message's matched
 * prefix plus the matching pipes, not (pipes x subscriptions). A pipe holds a topic once (a repeated
 * SUBSCRIBE from one peer counts once, as libzmq's publisher does).
 */
public final class Distributor {
    private final Set<PipeEntry> attached = Collections.newSetFromMap(new IdentityHashMap<>());
    private final PipeTrie<PipeEntry> trie = new PipeTrie<>();
    // Per-peer bounds on subscriptions (-1: none); see SocketOptions.withMaxSubscriptions.
    private final int maxTopics;
    private final long maxBytes;
    private long dropped;
    // The message being sent and how many pipes took it: state of the one reusable sink below, so that a
    // send allocates nothing.
    private Msg sending;
    private int delivered;
    private final Consumer<PipeEntry> offer = p -> {
        if (p.out().offer(sending)) {
            delivered++;
        } else {
            dropped++;
        }
    };

    /** Without limits on subscriptions. */
    public Distributor() {
        this(-1, -1);
    }

    /** With per-peer limits on the distinct topics and their bytes (-1: none), for tcp/ipc peers. */
    public Distributor(int maxTopics, long maxBytes) {
        this.maxTopics = maxTopics;
        this.maxBytes = maxBytes;
    }

    public void attach(PipeEntry p) {
        attached.add(p);
    }

    public void remove(PipeEntry p) {
        remove(p, null);
    }

    /** Detaches {@code p}, telling {@code removal} (may be null) of each subscription it held. */
    public void remove(PipeEntry p, PipeTrie.Removal removal) {
        attached.remove(p);
        trie.removePipe(p, removal);
    }

    /**
     * Records a subscription of {@code p}'s peer: {@link PipeTrie#UNCHANGED} for a duplicate (or a pipe
     * not attached), {@link PipeTrie#TOPIC_CHANGED} when no other pipe had the topic, else
     * {@link PipeTrie#PIPE_CHANGED}.
     */
    public int subscribe(PipeEntry p, Frame topic) {
        if (!attached.contains(p)) {
            return PipeTrie.UNCHANGED;
        }
        return limited(p) ? trie.add(topic, p, maxTopics, maxBytes) : trie.add(topic, p);
    }

    /** As {@link #subscribe} without the per-peer limits (the application's own choice: XPUB_MANUAL). */
    public int subscribeUnlimited(PipeEntry p, Frame topic) {
        return attached.contains(p) ? trie.add(topic, p) : PipeTrie.UNCHANGED;
    }

    /**
     * Whether the per-peer limits apply to {@code p}: to network peers, not to an inproc peer, which is
     * this process's own code (it can spend its heap any other way; refusing it would only cut it off).
     */
    static boolean limited(PipeEntry p) {
        return !p.endpoint().startsWith("inproc://");
    }

    /** Why {@code p}'s subscription to {@code topic} was refused (for the disconnect's reason). */
    String refusalReason(PipeEntry p, Frame topic) {
        return refusalReason(maxTopics, maxBytes, trie.topicCount(p), trie.topicBytes(p), topic.size());
    }

    static String refusalReason(int maxTopics, long maxBytes, int held, long heldBytes, int topicSize) {
        if (maxTopics >= 0 && held >= maxTopics) {
            return "subscription limit: the peer holds " + held + " subscriptions, the most allowed"
                + " (max-subscriptions " + maxTopics + ")";
        }
        return "subscription limit: a " + topicSize + "-byte topic on top of the peer's " + heldBytes
            + " bytes of subscriptions exceeds max-subscription-bytes " + maxBytes;
    }

    /**
     * Removes a subscription of {@code p}'s peer: {@link PipeTrie#UNCHANGED} when it was not there,
     * {@link PipeTrie#TOPIC_CHANGED} when no pipe has the topic any more, else {@link PipeTrie#PIPE_CHANGED}.
     */
    public int cancel(PipeEntry p, Frame topic) {
        return trie.remove(topic, p);
    }

    /** Forgets every subscription of {@code p}'s peer (it reconnected and resends its whole set). */
    public void reset(PipeEntry p) {
        trie.removePipe(p, null);
    }

    /** Sends to every matching pipe; returns how many pipes took the message. */
    public int send(Msg msg) {
        sending = msg;
        delivered = 0;
        try {
            trie.match(msg.first(), offer);
        } finally {
            sending = null;
        }
        return delivered;
    }

    /** Gives {@code out} every pipe whose subscriptions match {@code first}, once each (XPUB_NODROP checks them first). */
    public void matching(Frame first, Consumer<PipeEntry> out) {
        trie.match(first, out);
    }

    /** The distinct topics {@code p}'s peer subscribed to (a snapshot; empty for an unknown pipe). */
    public List<Frame> topicsOf(PipeEntry p) {
        return trie.topicsOf(p);
    }

    /** Messages dropped so far because a subscriber's pipe was full (or gone). */
    public long droppedCount() {
        return dropped;
    }

    public int subscriberCount() {
        return attached.size();
    }
}
