package io.rzmq.pekko.internal.socket;

import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;

/**
 * DEALER (RFC 28): round-robin over peers with room, waiting (back-pressure) when every peer is full;
 * fair-queues incoming messages; no envelope handling at all (libzmq programs add the empty delimiter
 * themselves when they talk to a REP). PROBE_ROUTER sends an empty message to each new peer.
 */
final class DealerPattern implements SocketPattern {
    private final LoadBalancer lb = new LoadBalancer();
    private final FairQueue fq;
    private final boolean probeRouter;

    DealerPattern(Host host, SocketOptions options) {
        this.fq = new FairQueue(host::pipeFinished);
        this.probeRouter = options.probeRouter();
    }

    @Override
    public SocketType type() {
        return SocketType.DEALER;
    }



    @Override
    public void attached(PipeEntry p) {
        if (probeRouter) {
            p.out().offer(Msg.of(io.rzmq.protocol.Frame.EMPTY));
        }
        lb.activate(p);
        fq.activate(p);
    }

    @Override
    public void detached(PipeEntry p) {
        lb.remove(p);
        fq.remove(p);
    }

    @Override
    public void writable(PipeEntry p) {
        lb.activate(p);
    }

    @Override
    public void readable(PipeEntry p) {
        fq.activate(p);
    }

    @Override
    public boolean send(Msg msg) {
        return lb.send(msg);
    }

    @Override
    public Msg receive() {
        return nextMessage(fq);
    }

    /** The next data message of a fair queue, skipping pipe commands (a DEALER-like peer sends none). */
    static Msg nextMessage(FairQueue fq) {
        Object item;
        while ((item = fq.poll()) != null) {
            if (item instanceof Msg m) {
                return m;
            }
        }
        return null;
    }
}
