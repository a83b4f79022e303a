package io.rzmq.pekko.internal.socket;

import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;

import java.util.ArrayDeque;

/**
 * REP (RFC 28): fair-queues requests; each request's envelope (every frame up to and including the
 * first empty delimiter) is cut off and remembered with the pipe it came from, and put back in front of
 * the reply, which goes to that same pipe. Requests without a delimiter (or with nothing after it) are
 * dropped, as libzmq does.
 *
 * <p>The core may hand several requests to the application's queue ahead of time; the application
 * answers them in order (the caller-side {@link SocketGuard} enforces receive/send alternation), so the
 * envelopes wait here in a FIFO and each reply takes the oldest.
 */
final class RepPattern implements SocketPattern {
    private final FairQueue fq;
    private final ArrayDeque<Envelope> envelopes = new ArrayDeque<>();

    private record Envelope(PipeEntry pipe, Frame[] frames) {
    }

    RepPattern(Host host) {
        this.fq = new FairQueue(host::pipeFinished);
    }

    @Override
    public SocketType type() {
        return SocketType.REP;
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
        // replies never wait: a full requester loses its reply, as with libzmq
    }

    @Override
    public void readable(PipeEntry p) {
        fq.activate(p);
    }

    @Override
    public boolean send(Msg msg) {
        Envelope e = envelopes.pollFirst();
        if (e == null || e.pipe.isDetached()) {
            return true; // no request to answer (or its peer is gone): dropped
        }
        Frame[] frames = new Frame[e.frames.length + msg.frameCount()];
        System.arraycopy(e.frames, 0, frames, 0, e.frames.length);
        for (int i = 0; i < msg.frameCount(); i++) {
            frames[e.frames.length + i] = msg.frame(i);
        }
        e.pipe.out().offer(Msg.ofFrames(msg.properties(), frames));
        return true;
    }

    @Override
    public Msg receive() {
        Object item;
        while ((item = fq.poll()) != null) {
            if (!(item instanceof Msg m)) {
                continue;
            }
            int n = m.frameCount();
            for (int i = 0; i < n - 1; i++) {
                if (m.frame(i).isEmpty()) {
                    Frame[] envelope = new Frame[i + 1];
                    for (int j = 0; j <= i; j++) {
                        envelope[j] = m.frame(j);
                    }
                    envelopes.addLast(new Envelope(fq.lastSource(), envelope));
                    return m.dropFirst(i + 1);
                }
            }
            // malformed: no delimiter, or nothing after it
        }
        return null;
    }
}
