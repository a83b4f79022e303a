package io.rzmq.pekko.internal.socket;

import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;

/** PULL (RFC 30): fair-queues messages from all peers; never sends. */
final class PullPattern implements SocketPattern {
    private final FairQueue fq;

    PullPattern(Host host) {
        this.fq = new FairQueue(host::pipeFinished);
    }

    @Override
    public SocketType type() {
        return SocketType.PULL;
    }



    @Override
    public void attached(PipeEntry p) {
        fq.activate(p);
    }

    @Override
    public void detached(PipeEntry p) {
        fq.remove(p);
    }

    @Override
    public void writable(PipeEntry p) {
        // PULL never writes
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
            if (item instanceof Msg m) {
                return m;
            }
            // a PUSH peer sends no commands; ignore stray ones
        }
        return null;
    }
}
