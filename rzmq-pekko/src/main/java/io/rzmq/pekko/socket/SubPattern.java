package io.rzmq.pekko.socket;

import io.rzmq.pekko.pipe.PipeCommand;
import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;

import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * SUB (RFC 29): fair-queues messages from its publishers and keeps only those matching its
 * subscriptions (the publisher filters too, but not before our subscriptions reach it). Sends its
 * subscriptions to each publisher: every subscribe as it happens, a cancel when the last reference to
 * a topic goes, and the whole set (after a {@link PipeCommand.Resync}) each time a connection becomes
 * ready, so a reconnected publisher learns them again.
 */
final class SubPattern implements SocketPattern {
    private final FairQueue fq;
    private final SubscriptionSet subscriptions = new SubscriptionSet();
    // Commands a full out pipe refused, in order, waiting for its writable wake-up.
    private final Map<PipeEntry, ArrayDeque<Object>> backlog = new IdentityHashMap<>();
    private final Map<PipeEntry, Boolean> pipes = new IdentityHashMap<>();

    SubPattern(Host host) {
        this.fq = new FairQueue(host::pipeFinished);
    }

    @Override
    public SocketType type() {
        return SocketType.SUB;
    }

    @Override
    public boolean canSend() {
        return false;
    }

    @Override
    public boolean canReceive() {
        return true;
    }

    @Override
    public void attached(PipeEntry p) {
        pipes.put(p, Boolean.TRUE);
        fq.activate(p);
        if (p.isReady()) {
            sendAll(p);
        }
    }

    @Override
    public void peerReady(PipeEntry p) {
        sendAll(p);
    }

    @Override
    public void peerLost(PipeEntry p) {
        // Nothing queued for the dead connection needs to survive: the full set follows the next Resync.
        backlog.remove(p);
    }

    @Override
    public void detached(PipeEntry p) {
        pipes.remove(p);
        backlog.remove(p);
        fq.remove(p);
    }

    @Override
    public void writable(PipeEntry p) {
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
    public void readable(PipeEntry p) {
        fq.activate(p);
    }

    @Override
    public boolean send(Msg msg) {
        return false;
    }

    @Override
    public Msg receive() {
        Object item;
        while ((item = fq.poll()) != null) {
            if (item instanceof Msg m && subscriptions.matches(m.first())) {
                return m;
            }
        }
        return null;
    }

    @Override
    public void subscribe(Frame topic) {
        subscriptions.add(topic);
        // libzmq forwards every subscribe; the publisher keeps a set per peer, so repeats are harmless.
        PipeCommand cmd = new PipeCommand.Subscribe(topic);
        for (PipeEntry p : pipes.keySet()) {
            if (p.isReady()) {
                write(p, cmd);
            }
        }
    }

    @Override
    public void unsubscribe(Frame topic) {
        if (!subscriptions.remove(topic)) {
            return;
        }
        PipeCommand cmd = new PipeCommand.Cancel(topic);
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
