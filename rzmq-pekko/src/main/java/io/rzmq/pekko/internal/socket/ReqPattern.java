package io.rzmq.pekko.internal.socket;

import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.ThreadLocalRandom;

/**
 * REQ (RFC 28): each request goes round-robin to a peer with room, behind an empty delimiter frame
 * (and, with REQ_CORRELATE, a 4-byte request id frame before it, in host byte order and starting at a
 * random value, as libzmq writes it). Only a well-formed reply from the peer the request went to is
 * delivered, without its envelope; anything else is dropped. The send/receive alternation itself is
 * checked on the caller's thread by {@link SocketGuard}.
 */
final class ReqPattern implements SocketPattern {
    private final Host host;
    private final LoadBalancer lb = new LoadBalancer();
    private final FairQueue fq;
    private final boolean correlate;
    private final boolean probeRouter;

    private boolean expecting;
    // The pipe the outstanding request went to; null while expecting means "any" (that pipe went away,
    // as libzmq then takes the reply from whichever peer sends one).
    private PipeEntry replyPipe;
    private int requestId = ThreadLocalRandom.current().nextInt();

    ReqPattern(Host host, SocketOptions options) {
        this.host = host;
        this.fq = new FairQueue(host::pipeFinished);
        this.correlate = options.reqCorrelate();
        this.probeRouter = options.probeRouter();
    }

    @Override
    public SocketType type() {
        return SocketType.REQ;
    }



    @Override
    public void attached(PipeEntry p) {
        if (probeRouter) {
            p.out().offer(Msg.of(Frame.EMPTY));
        }
        lb.activate(p);
        fq.activate(p);
    }

    @Override
    public void detached(PipeEntry p) {
        lb.remove(p);
        fq.remove(p);
        if (replyPipe == p) {
            replyPipe = null;
        }
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
        // A new request abandons the previous one (REQ_RELAXED; strict mode never gets here with one
        // outstanding): whatever arrived so far, read or queued for the application, is stale.
        expecting = false;
        host.discardReceived();
        while (fq.poll() != null) {
            // stale replies
        }
        int id = requestId + 1;
        int envelope = correlate ? 2 : 1;
        Frame[] frames = new Frame[msg.frameCount() + envelope];
        if (correlate) {
            frames[0] = Frame.wrap(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(id).array());
        }
        frames[envelope - 1] = Frame.EMPTY;
        for (int i = 0; i < msg.frameCount(); i++) {
            frames[envelope + i] = msg.frame(i);
        }
        PipeEntry p = lb.sendVia(Msg.ofFrames(msg.properties(), frames));
        if (p == null) {
            return false;
        }
        requestId = id;
        replyPipe = p;
        expecting = true;
        return true;
    }

    @Override
    public Msg receive() {
        Object item;
        while ((item = fq.poll()) != null) {
            if (!(item instanceof Msg m) || !expecting) {
                continue;
            }
            if (replyPipe != null && fq.lastSource() != replyPipe) {
                continue;
            }
            int body = bodyStart(m);
            if (body < 0) {
                continue;
            }
            expecting = false;
            return m.dropFirst(body);
        }
        return null;
    }

    /** Index of the first body frame of a reply to the outstanding request, or -1 if it is not one. */
    private int bodyStart(Msg m) {
        int i = 0;
        if (correlate) {
            Frame f = m.first();
            if (f.size() != 4 || ByteBuffer.wrap(f.unsafeArray(), f.offset(), 4).order(ByteOrder.nativeOrder())
                .getInt() != requestId) {
                return -1;
            }
            i = 1;
        }
        if (m.frameCount() < i + 2 || !m.frame(i).isEmpty()) {
            return -1;
        }
        return i + 1;
    }
}
