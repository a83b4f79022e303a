package io.rzmq.pekko.internal.socket;

import io.rzmq.pekko.internal.pipe.Pipe;
import io.rzmq.pekko.internal.pipe.PipeId;
import io.rzmq.protocol.connection.PeerInfo;

/**
 * One attached pipe pair as a socket's pattern sees it: {@code out} (the socket writes, the peer or its
 * transport reads) and {@code in} (the other way). Owned by one SocketCore actor; not thread-safe.
 */
public final class PipeEntry {
    private final PipeId id;
    private final Pipe out;
    private final Pipe in;
    private final String endpoint;
    private PeerInfo peer;
    private boolean ready;
    // Membership flags kept by the helpers so that activation is O(1) and idempotent.
    boolean inLoadBalancer;
    boolean inFairQueue;
    boolean detached;

    public PipeEntry(PipeId id, Pipe out, Pipe in, String endpoint, PeerInfo peer) {
        this.id = id;
        this.out = out;
        this.in = in;
        this.endpoint = endpoint;
        this.peer = peer;
        this.ready = peer != null;
    }

    public PipeId id() {
        return id;
    }

    /** The pipe this socket writes to (towards the peer). */
    public Pipe out() {
        return out;
    }

    /** The pipe this socket reads from (from the peer). */
    public Pipe in() {
        return in;
    }

    /** The endpoint this pipe came from (the bind or connect that created it). */
    public String endpoint() {
        return endpoint;
    }

    /** The peer's handshake facts; null while a connect-side pipe has never been connected. */
    public PeerInfo peer() {
        return peer;
    }

    /** True while a live connection (or an inproc peer) is behind this pipe pair. */
    public boolean isReady() {
        return ready;
    }

    public boolean isDetached() {
        return detached;
    }

    void markReady(PeerInfo info) {
        this.peer = info;
        this.ready = true;
    }

    void markLost() {
        this.ready = false;
    }

    @Override
    public String toString() {
        return "pipe " + id.value() + " (" + endpoint + ")";
    }
}
