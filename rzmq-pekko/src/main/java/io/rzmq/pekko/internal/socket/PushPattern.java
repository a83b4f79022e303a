package io.rzmq.pekko.internal.socket;

import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;

/** PUSH (RFC 30): round-robin over peers with room; waits (back-pressure) when all are full; never receives. */
final class PushPattern implements SocketPattern {
    private final Host host;
    private final LoadBalancer lb = new LoadBalancer();

    PushPattern(Host host) {
        this.host = host;
    }

    @Override
    public SocketType type() {
        return SocketType.PUSH;
    }



    @Override
    public void attached(PipeEntry p) {
        lb.activate(p);
        SocketPattern.drainAndDiscard(p, host);
    }

    @Override
    public void detached(PipeEntry p) {
        lb.remove(p);
    }

    @Override
    public void writable(PipeEntry p) {
        lb.activate(p);
    }

    @Override
    public void readable(PipeEntry p) {
        SocketPattern.drainAndDiscard(p, host);
    }

    @Override
    public boolean send(Msg msg) {
        return lb.send(msg);
    }

    @Override
    public Msg receive() {
        return null;
    }
}
