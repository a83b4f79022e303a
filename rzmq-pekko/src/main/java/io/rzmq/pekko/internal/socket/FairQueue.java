package io.rzmq.pekko.internal.socket;

import java.util.ArrayList;
import java.util.function.Consumer;

/**
 * Round-robin over the in pipes that have data (PULL, SUB, later DEALER, ROUTER, REP): one item from each
 * pipe in turn, so a busy peer cannot starve the others. A pipe found empty leaves the rotation (the
 * empty poll armed its reader wake-up, which brings it back through {@link #activate}). A pipe whose
 * writer closed and which is drained is reported to {@code onFinished}.
 */
public final class FairQueue {
    private final ArrayList<PipeEntry> active = new ArrayList<>();
    private final Consumer<PipeEntry> onFinished;
    private int current;
    private PipeEntry lastSource;

    public FairQueue(Consumer<PipeEntry> onFinished) {
        this.onFinished = onFinished;
    }

    /** Adds a pipe to the rotation (on attach, or when its reader wake-up fired); idempotent. */
    public void activate(PipeEntry p) {
        if (!p.inFairQueue && !p.detached) {
            p.inFairQueue = true;
            active.add(p);
        }
    }

    public void remove(PipeEntry p) {
        if (!p.inFairQueue) {
            return;
        }
        p.inFairQueue = false;
        int i = active.indexOf(p);
        active.remove(i);
        if (i < current) {
            current--;
        }
        if (current >= active.size()) {
            current = 0;
        }
    }

    /** The next item (a Msg or a pipe command) from the next pipe with data, or null when none has any. */
    public Object poll() {
        while (!active.isEmpty()) {
            PipeEntry p = active.get(current);
            Object item = p.in().poll();
            if (item != null) {
                lastSource = p;
                current = current + 1 == active.size() ? 0 : current + 1;
                return item;
            }
            p.inFairQueue = false;
            active.remove(current);
            if (current >= active.size()) {
                current = 0;
            }
            if (p.in().isFinished()) {
                onFinished.accept(p);
            }
        }
        return null;
    }

    /** The pipe the last polled item came from (ROUTER needs it to prefix the routing id). */
    public PipeEntry lastSource() {
        return lastSource;
    }

    public int activeCount() {
        return active.size();
    }
}
