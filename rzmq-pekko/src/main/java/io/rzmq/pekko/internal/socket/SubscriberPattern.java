package io.rzmq.pekko.internal.socket;

import io.rzmq.pekko.internal.pipe.PipeCommand;
import io.rzmq.protocol.Frame;

import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * What SUB and XSUB share: fair-queued input, a subscription set, and the subscription traffic to each
 * publisher. Every subscribe goes out as it happens (libzmq forwards repeats; the publisher counts per
 * peer), a cancel when the last reference to a topic goes, and the whole set again, after a
 * {@link PipeCommand.Resync}, each time a connection becomes ready, so a reconnected publisher learns it.
 * Subscription commands a full out pipe refuses wait, in order, for its writable wake-up: they must not
 * be lost, unlike data, which a full publisher link drops.
 */
abstract class SubscriberPattern implements SocketPattern {
    protected final FairQueue fq;
    protected final SubscriptionSet subscriptions = new SubscriptionSet();
    private final Map<PipeEntry, ArrayDeque<Object>> backlog = new IdentityHashMap<>();
    private final Map<PipeEntry, Boolean> pipes = new IdentityHashMap<>();

    SubscriberPattern(Host host) {
        this.fq = new FairQueue(host::pipeFinished);
    }


    @Override
    public final void attached(PipeEntry p) {
        pipes.put(p, Boolean.TRUE);
        fq.activate(p);
        if (p.isReady()) {
            sendAll(p);
        }
    }

    @Override
    public final void peerReady(PipeEntry p) {
        sendAll(p);
    }

    @Override
    public final void peerLost(PipeEntry p) {
        // Nothing queued for the dead connection needs to survive: the full set follows the next Resync.
        backlog.remove(p);
    }

    @Override
    public final void detached(PipeEntry p) {
        pipes.remove(p);
        backlog.remove(p);
        fq.remove(p);
    }

    @Override
    public final void writable(PipeEntry p) {
        ArrayDeque<Object> queued = backlog.get(p);
        if (queued == null) {
            return;
        }
        while (!queued.isEmpty()) {
            if (!p.out().offer(queued.peekFirst())) {
                return;
            }
            queued.pollFirst();
        }
        backlog.remove(p);
    }

    @Override
    public final void readable(PipeEntry p) {
        fq.activate(p);
    }

    /** Adds a topic and tells every ready publisher. */
    protected final void addSubscription(Frame topic) {
        subscriptions.add(topic);
        toReadyPublishers(new PipeCommand.Subscribe(topic));
    }

    /** Drops one reference to a topic; the publishers hear of it when it was the last. */
    protected final void removeSubscription(Frame topic) {
        if (subscriptions.remove(topic)) {
            toReadyPublishers(new PipeCommand.Cancel(topic));
        }
    }

    /** Offers a data message upstream to every ready publisher with room and no waiting subscription traffic. */
    protected final void toReadyPublishersIfRoom(Object msg) {
        for (PipeEntry p : pipes.keySet()) {
            if (p.isReady() && !backlog.containsKey(p)) {
                p.out().offer(msg);
            }
        }
    }

    private void toReadyPublishers(PipeCommand cmd) {
        for (PipeEntry p : pipes.keySet()) {
            if (p.isReady()) {
                write(p, cmd);
            }
        }
    }

    private void sendAll(PipeEntry p) {
        backlog.remove(p);
        write(p, PipeCommand.Resync.INSTANCE);
        for (Frame topic : subscriptions.topics()) {
            write(p, new PipeCommand.Subscribe(topic));
        }
    }

    private void write(PipeEntry p, Object cmd) {
        ArrayDeque<Object> queued = backlog.get(p);
        if (queued == null && p.out().offer(cmd)) {
            return;
        }
        if (p.out().isReaderClosed()) {
            return;
        }
        backlog.computeIfAbsent(p, k -> new ArrayDeque<>()).addLast(cmd);
    }
}
