package io.rzmq.pekko.internal.socket;

import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;

/**
 * PAIR (RFC 31): exactly one peer. A second pipe is refused (detached at once, which closes its
 * connection) and the first is not disturbed. Sends wait while there is no peer or it is full.
 */
final class PairPattern implements SocketPattern {
    private final Host host;
    private PipeEntry peer;

    PairPattern(Host host) {
        this.host = host;
    }

    @Override
    public SocketType type() {
        return SocketType.PAIR;
    }



    @Override
    public void attached(PipeEntry p) {
        if (peer != null && peer != p) {
            host.pipeFinished(p);
            return;
        }
        peer = p;
    }

    @Override
    public void detached(PipeEntry p) {
        if (peer == p) {
            peer = null;
        }
    }

    @Override
    public void writable(PipeEntry p) {
        // the core retries the waiting send
    }

    @Override
    public void readable(PipeEntry p) {
        if (p != peer && p.in().isFinished()) {
            host.pipeFinished(p);
        }
    }

    @Override
    public boolean send(Msg msg) {
        return peer != null && peer.out().offer(msg);
    }

    @Override
    public Msg receive() {
        if (peer == null) {
            return null;
        }
        Object item;
        while ((item = peer.in().poll()) != null) {
            if (item instanceof Msg m) {
                return m;
            }
        }
        if (peer.in().isFinished()) {
            host.pipeFinished(peer);
        }
        return null;
    }
}
