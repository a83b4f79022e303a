package io.rzmq.pekko.socket;

import io.rzmq.pekko.pipe.PipeCommand;
import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;

import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * XSUB (RFC 29): a SUB whose subscriptions are messages the application sends: a one-frame message
 * starting with byte 1 subscribes to the rest of the frame, byte 0 cancels. Subscriptions go to every
 * publisher (libzmq forwards repeated subscribes, and a cancel only when the last reference goes) and
 * the whole set is sent again after each (re)connection. Other messages the application sends go
 * upstream to every publisher as they are (dropped for a full one). Everything received is delivered,
 * unfiltered (the publishers filter).
 */
final class XSubPattern implements SocketPattern {
    private final FairQueue fq;
    private final SubscriptionSet subscriptions = new SubscriptionSet();
    private final Map<PipeEntry, Boolean> pipes = new IdentityHashMap<>();
    // Subscription traffic a full out pipe refused, in order, waiting for its writable wake-up.
    private final Map<PipeEntry, ArrayDeque<Object>> backlog = new IdentityHashMap<>();

    XSubPattern(Host host) {
        this.fq = new FairQueue(host::pipeFinished);
    }

    @Override
    public SocketType type() {
        return SocketType.XSUB;
    }

    @Override
    public boolean canSend() {
        return true;
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
        Frame f = msg.first();
        if (msg.frameCount() == 1 && f.size() > 0 && (f.get(0) == 1 || f.get(0) == 0)) {
            Frame topic = f.slice(1, f.size() - 1);
            if (f.get(0) == 1) {
                topic = Frame.copyOf(topic.toByteArray());
                subscriptions.add(topic);
                toAll(new PipeCommand.Subscribe(topic));
            } else if (subscriptions.remove(topic)) {
                toAll(new PipeCommand.Cancel(topic));
            }
            return true;
        }
        for (PipeEntry p : pipes.keySet()) {
            if (p.isReady() && !backlog.containsKey(p)) {
                p.out().offer(msg);
            }
        }
        return true;
    }

    @Override
    public Msg receive() {
        return DealerPattern.nextMessage(fq);
    }

    private void toAll(PipeCommand cmd) {
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
