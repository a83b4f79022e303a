package io.rzmq.pekko.internal.socket;

import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * ROUTER (RFC 28): every incoming message gets its peer's routing id in front; an outgoing message
 * goes to the peer named by its first frame (which is not sent). A peer's routing id is the Identity
 * it announced (its ROUTING_ID option), else one generated the libzmq way: 5 bytes, a zero byte and a
 * 32-bit big-endian counter from a random start. A pipe gets its id when its first connection is
 * ready and keeps it across reconnects.
 *
 * <p>A message for an unknown peer, a full peer or a gone peer is dropped; with ROUTER_MANDATORY the
 * handle refuses unknown ids up front (EHOSTUNREACH, see {@link SocketGuard}) and a full peer makes the
 * send wait. A connect made with a CONNECT_ROUTING_ID gives its peer that id instead of the
 * announced one. A second peer announcing an id in use is refused (its connection is dropped) unless
 * ROUTER_HANDOVER, which drops the old one instead. PROBE_ROUTER sends an empty message to each peer.
 */
final class RouterPattern implements SocketPattern {
    private final Host host;
    private final SocketGuard guard;
    private final boolean mandatory;
    private final boolean handover;
    private final boolean probeRouter;
    private final FairQueue fq;
    private final Map<Frame, PipeEntry> byId = new HashMap<>();
    private final Map<PipeEntry, Frame> idOf = new IdentityHashMap<>();
    private int nextId = ThreadLocalRandom.current().nextInt();
    private long dropped;

    RouterPattern(Host host, SocketOptions options, SocketGuard guard) {
        this.host = host;
        this.guard = guard;
        this.mandatory = options.routerMandatory();
        this.handover = options.routerHandover();
        this.probeRouter = options.probeRouter();
        this.fq = new FairQueue(host::pipeFinished);
    }

    @Override
    public SocketType type() {
        return SocketType.ROUTER;
    }



    @Override
    public void attached(PipeEntry p) {
        if (probeRouter) {
            p.out().offer(Msg.of(Frame.EMPTY));
        }
        // CONNECT_ROUTING_ID, promised by the handle before it asked for the connect.
        Frame promised = guard.takeConnectId(p.endpoint());
        if (promised != null) {
            assign(p, promised);
        } else if (p.isReady()) {
            identify(p);
        }
    }

    @Override
    public void peerReady(PipeEntry p) {
        if (!idOf.containsKey(p)) {
            identify(p);
        }
    }

    private void identify(PipeEntry p) {
        byte[] announced = p.peer() == null ? new byte[0] : p.peer().identity();
        Frame id;
        if (announced.length > 0) {
            id = Frame.copyOf(announced);
        } else {
            do {
                int n = nextId++;
                id = Frame.wrap(new byte[] {0, (byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
            } while (byId.containsKey(id));
        }
        assign(p, id);
    }

    private void assign(PipeEntry p, Frame id) {
        PipeEntry old = byId.get(id);
        if (old != null && old != p) {
            if (!handover) {
                host.pipeFinished(p); // duplicate id: refuse the newcomer
                return;
            }
            idOf.remove(old);
            byId.remove(id);
            host.pipeFinished(old);
        }
        byId.put(id, p);
        idOf.put(p, id);
        guard.routable(id);
        fq.activate(p);
        // Messages may already wait in the pipe, and nothing armed its reader wake-up yet.
        host.receivable();
    }

    @Override
    public void detached(PipeEntry p) {
        fq.remove(p);
        Frame id = idOf.remove(p);
        if (id != null && byId.get(id) == p) {
            byId.remove(id);
            guard.unroutable(id);
        }
        if (mandatory) {
            host.sendable(); // a send waiting for this peer's room now drops instead
        }
    }

    @Override
    public void writable(PipeEntry p) {
        // a ROUTER_MANDATORY send waiting for this peer is retried by the core
    }

    @Override
    public void readable(PipeEntry p) {
        if (idOf.containsKey(p)) {
            fq.activate(p);
        } else if (p.in().isFinished()) {
            host.pipeFinished(p);
        }
    }

    @Override
    public boolean send(Msg msg) {
        if (msg.frameCount() < 2) {
            dropped++; // a routing id with nothing to send: libzmq ignores it
            return true;
        }
        PipeEntry p = byId.get(msg.first());
        if (p == null) {
            if (guard.isPromised(msg.first())) {
                return false; // CONNECT_ROUTING_ID: routable as soon as that connect's pipe attaches
            }
            dropped++;
            return true;
        }
        if (p.out().offer(msg.dropFirst(1))) {
            return true;
        }
        if (mandatory && !p.out().isReaderClosed()) {
            return false; // wait for room (the refused offer armed the pipe's writable wake-up)
        }
        dropped++;
        return true;
    }

    @Override
    public Msg receive() {
        Object item;
        while ((item = fq.poll()) != null) {
            if (item instanceof Msg m) {
                Frame id = idOf.get(fq.lastSource());
                if (id != null) {
                    return m.prepend(id);
                }
            }
        }
        return null;
    }

    long droppedCount() {
        return dropped;
    }
}
