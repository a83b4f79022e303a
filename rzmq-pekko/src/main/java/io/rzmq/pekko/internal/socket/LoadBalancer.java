package io.rzmq.pekko.internal.socket;

import io.rzmq.protocol.Msg;

import java.util.ArrayList;

/**
 * Round-robin over the out pipes that have room (PUSH, later DEALER and REQ). A pipe that refuses a
 * message leaves the rotation; its writer wake-up (armed by the refused offer) brings it back through
 * {@link #activate}. When no pipe has room, {@link #send} says so and the socket stops taking messages:
 * back-pressure, never a drop.
 */
public final class LoadBalancer {
    private final ArrayList<PipeEntry> active = new ArrayList<>();
    private int current;

    /** Adds a pipe to the rotation (on attach, or when room appeared); idempotent. */
    public void activate(PipeEntry p) {
        if (!p.inLoadBalancer && !p.detached) {
            p.inLoadBalancer = true;
            active.add(p);
        }
    }

    public void remove(PipeEntry p) {
        if (!p.inLoadBalancer) {
            return;
        }
        p.inLoadBalancer = false;
        int i = active.indexOf(p);
        active.remove(i);
        if (i < current) {
            current--;
        }
        if (current >= active.size()) {
            current = 0;
        }
    }

    /** Writes {@code msg} to the next pipe with room; false when every pipe is full (or there is none). */
    public boolean send(Msg msg) {
        return sendVia(msg) != null;
    }

    /** Like {@link #send}, returning the pipe that took the message (REQ waits for the reply on it), or null. */
    public PipeEntry sendVia(Msg msg) {
        while (!active.isEmpty()) {
            PipeEntry p = active.get(current);
            if (p.out().offer(msg)) {
                current = current + 1 == active.size() ? 0 : current + 1;
                return p;
            }
            // Full (or the reader is gone): out of the rotation until its wake-up says there is room.
            p.inLoadBalancer = false;
            active.remove(current);
            if (current >= active.size()) {
                current = 0;
            }
        }
        return null;
    }

    /** True when some pipe may take a message. */
    public boolean hasRoom() {
        return !active.isEmpty();
    }

    public int activeCount() {
        return active.size();
    }
}
