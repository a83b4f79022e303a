package io.rzmq.pekko.internal.socket;

import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.pekko.internal.pipe.PipeCommand;
import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;

/**
 * PUB (RFC 29): sends each message to every subscriber whose subscriptions match its first frame;
 * never blocks: a subscriber whose pipe is full misses the message. Subscriptions arrive on the in
 * pipes as {@link PipeCommand}s (or, from a transport that passes ZMTP 3.0 peers through untranslated,
 * as one-frame messages starting with byte 1 / 0) and are processed as soon as they arrive.
 */
final class PubPattern implements SocketPattern {
    private final Host host;
    private final Distributor dist;

    PubPattern(Host host) {
        this(host, SocketOptions.defaults());
    }

    PubPattern(Host host, SocketOptions options) {
        this.host = host;
        this.dist = new Distributor(options.maxSubscriptions(), options.maxSubscriptionBytes());
    }

    @Override
    public SocketType type() {
        return SocketType.PUB;
    }



    @Override
    public void attached(PipeEntry p) {
        dist.attach(p);
        readable(p);
    }

    @Override
    public void peerLost(PipeEntry p) {
        // What the old connection sent is already in the pipe: apply it, then forget it all; the peer
        // resends its whole set when it reconnects.
        readSubscriptions(p);
        dist.reset(p);
    }

    @Override
    public void detached(PipeEntry p) {
        dist.remove(p);
    }

    @Override
    public void writable(PipeEntry p) {
        // PUB never waits for room: nothing to resume
    }

    @Override
    public void readable(PipeEntry p) {
        readSubscriptions(p);
        if (p.in().isFinished()) {
            host.pipeFinished(p);
        }
    }

    private void readSubscriptions(PipeEntry p) {
        Object item;
        while ((item = p.in().poll()) != null) {
            if (item instanceof PipeCommand.Subscribe s) {
                subscribe(p, s.topic());
            } else if (item instanceof PipeCommand.Cancel c) {
                dist.cancel(p, c.topic());
            } else if (item == PipeCommand.Resync.INSTANCE) {
                dist.reset(p);
            } else if (item instanceof Msg m && m.frameCount() == 1 && m.first().size() > 0) {
                // ZMTP 3.0 form: first byte 1 = subscribe, 0 = cancel, the rest is the topic.
                Frame f = m.first();
                if (f.get(0) == 1) {
                    subscribe(p, f.slice(1, f.size() - 1));
                } else if (f.get(0) == 0) {
                    dist.cancel(p, f.slice(1, f.size() - 1));
                }
            }
        }
    }

    private void subscribe(PipeEntry p, Frame topic) {
        if (dist.subscribe(p, topic) == PipeTrie.REFUSED && p.in().refusal() == null) {
            // Past the per-peer limit: the subscription is not kept and the engine drops the connection.
            p.in().refuse(dist.refusalReason(p, topic));
        }
    }

    @Override
    public boolean send(Msg msg) {
        dist.send(msg);
        return true;
    }

    @Override
    public Msg receive() {
        return null;
    }

    long droppedCount() {
        return dist.droppedCount();
    }
}
