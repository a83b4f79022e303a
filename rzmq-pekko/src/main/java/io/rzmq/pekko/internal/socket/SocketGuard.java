package io.rzmq.pekko.internal.socket;

import io.rzmq.pekko.model.RzmqException;
import io.rzmq.pekko.model.RzmqException.Code;
import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The checks libzmq makes synchronously in zmq_send / zmq_recv, made on the caller's thread by the socket
 * handle before a message is routed or after it is taken from the pipes: REQ and REP alternate send and receive
 * (EFSM on misuse); a ROUTER_MANDATORY ROUTER refuses a message for an unknown routing id (EHOSTUNREACH).
 * Thread-safe; shared by the handle (through the {@link SocketBridge}) and the socket's pattern.
 */
public class SocketGuard {
    /** No checks (every other socket type). */
    public static final SocketGuard NONE = new SocketGuard();

    /** The guard for a socket of {@code type} with {@code options}. */
    public static SocketGuard of(SocketType type, SocketOptions options) {
        return switch (type) {
            case REQ -> new Req(options.reqRelaxed());
            case REP -> new Rep();
            case ROUTER -> new Router(options.routerMandatory());
            case XPUB -> options.xpubManual() ? new XPubManual() : NONE;
            default -> NONE;
        };
    }

    /** Throws the error libzmq's zmq_send would give for {@code msg} now; otherwise records the send. */
    public void beforeSend(Msg msg) {
    }

    /** A send that passed {@link #beforeSend} could not be queued after all (closed socket): undo it. */
    public void sendFailed() {
    }

    /** Throws the error libzmq's zmq_recv would give now; otherwise records that a receive is under way. */
    public void beforeReceive() {
    }

    /** The receive started by {@link #beforeReceive} produced {@code msg} (null: nothing, or it failed). */
    public void afterReceive(Msg msg) {
    }

    /** Whether this socket type allows delivering received messages to an actor. */
    public boolean allowsDelivery() {
        return true;
    }

    /**
     * CONNECT_ROUTING_ID (ROUTER): the pipe of the next connect to {@code endpoint} (normalized) gets
     * {@code id}. Throws EINVAL when a peer already has that id, ENOTSUP on other socket types.
     */
    public void promiseConnectId(String endpoint, Frame id) {
        throw new RzmqException(Code.ENOTSUP, "CONNECT_ROUTING_ID applies to ROUTER sockets only");
    }

    /**
     * XPUB_MANUAL: the subscriber that sent the (un)subscription message received last on this handle, or
     * null (none received yet, or it came from a subscriber that has gone). Other socket types: null.
     */
    public PipeEntry lastSubscriber() {
        return null;
    }

    // Called by the ROUTER pattern as routing ids come and go, and when a connect's pipe attaches.
    void routable(Frame id) {
    }

    void unroutable(Frame id) {
    }

    Frame takeConnectId(String endpoint) {
        return null;
    }

    /** True while {@code id} is promised to a connect whose pipe has not attached yet. */
    boolean isPromised(Frame id) {
        return false;
    }

    static RzmqException fsm(String what) {
        return new RzmqException(Code.EFSM, what);
    }

    /** REQ: send, receive, send, receive... (REQ_RELAXED: a new send may abandon the pending reply). */
    static final class Req extends SocketGuard {
        private static final int IDLE = 0;
        private static final int AWAITING = 1;
        private static final int RECEIVING = 2;
        private final boolean relaxed;
        private final AtomicInteger state = new AtomicInteger(IDLE);

        Req(boolean relaxed) {
            this.relaxed = relaxed;
        }

        @Override
        public void beforeSend(Msg msg) {
            while (true) {
                int s = state.get();
                if (s == IDLE) {
                    if (state.compareAndSet(IDLE, AWAITING)) {
                        return;
                    }
                } else if (!relaxed) {
                    throw fsm("a REQ socket must receive the reply before it sends the next request");
                } else if (s == RECEIVING || state.compareAndSet(s, AWAITING)) {
                    // A receive under way will take the reply to this newer request.
                    return;
                }
            }
        }

        @Override
        public void sendFailed() {
            state.compareAndSet(AWAITING, IDLE);
        }

        @Override
        public void beforeReceive() {
            if (!state.compareAndSet(AWAITING, RECEIVING)) {
                throw fsm(state.get() == IDLE
                    ? "a REQ socket must send a request before it receives"
                    : "a receive is already waiting for the reply on this REQ socket");
            }
        }

        @Override
        public void afterReceive(Msg msg) {
            state.compareAndSet(RECEIVING, msg != null ? IDLE : AWAITING);
        }

        @Override
        public boolean allowsDelivery() {
            return false;
        }
    }

    /** REP: receive a request, send its reply, receive the next one... */
    static final class Rep extends SocketGuard {
        private static final int IDLE = 0;
        private static final int RECEIVING = 1;
        private static final int REPLYING = 2;
        private final AtomicInteger state = new AtomicInteger(IDLE);

        @Override
        public void beforeSend(Msg msg) {
            if (!state.compareAndSet(REPLYING, IDLE)) {
                throw fsm("a REP socket can only send the reply to a request it received");
            }
        }

        @Override
        public void sendFailed() {
            state.compareAndSet(IDLE, REPLYING);
        }

        @Override
        public void beforeReceive() {
            if (!state.compareAndSet(IDLE, RECEIVING)) {
                throw fsm(state.get() == REPLYING
                    ? "a REP socket must send the reply before it receives the next request"
                    : "a receive is already waiting for a request on this REP socket");
            }
        }

        @Override
        public void afterReceive(Msg msg) {
            state.compareAndSet(RECEIVING, msg != null ? REPLYING : IDLE);
        }

        @Override
        public boolean allowsDelivery() {
            return false;
        }
    }

    /**
     * XPUB_MANUAL: tracks which subscriber sent the subscription message the application received last
     * (libzmq's "last pipe", kept by zmq_recv). The pattern registers each (un)subscription message it queues
     * for the application with its sender; receives take them in that order, so the receive that returns the
     * oldest registered one makes its sender the last subscriber. Messages that are not registered (an XSUB's
     * own upstream messages) leave it unchanged.
     */
    static final class XPubManual extends SocketGuard {
        private record Pending(Msg msg, PipeEntry from) {
        }

        // In the order queued; the index tells in O(1) whether a received message is one of them.
        private final java.util.ArrayDeque<Pending> pending = new java.util.ArrayDeque<>();
        private final java.util.IdentityHashMap<Msg, Boolean> index = new java.util.IdentityHashMap<>();
        private PipeEntry last;

        /** The pattern queued {@code msg} for the application; {@code from} null: no subscriber to name. */
        synchronized void queued(Msg msg, PipeEntry from) {
            pending.addLast(new Pending(msg, from));
            index.put(msg, Boolean.TRUE);
        }

        @Override
        public synchronized void afterReceive(Msg msg) {
            if (msg == null || index.remove(msg) == null) {
                return;
            }
            // Normally the head; receives racing on several threads may report out of order: drop the older.
            Pending p;
            while ((p = pending.pollFirst()) != null && p.msg() != msg) {
                index.remove(p.msg());
            }
            if (p != null) {
                last = p.from();
            }
        }

        @Override
        public synchronized PipeEntry lastSubscriber() {
            return last;
        }

        /** A pushed delivery is not the message the application looks at: subscribe could not name a sender. */
        @Override
        public boolean allowsDelivery() {
            return false;
        }
    }

    /**
     * ROUTER: the routing ids currently known (ROUTER_MANDATORY refuses others with EHOSTUNREACH at send
     * time) and the ids promised to connects (CONNECT_ROUTING_ID).
     */
    static final class Router extends SocketGuard {
        private final boolean mandatory;
        private final ConcurrentHashMap<Frame, Boolean> ids = new ConcurrentHashMap<>();
        private final ConcurrentHashMap<String, Frame> promised = new ConcurrentHashMap<>();

        Router(boolean mandatory) {
            this.mandatory = mandatory;
        }

        @Override
        public void beforeSend(Msg msg) {
            // Promised first, then known: takeConnectId adds the id to `ids` before it removes the promise,
            // so a promise seen gone means the id is already known. The other order could see neither.
            if (mandatory && msg.frameCount() > 1 && !isPromised(msg.first()) && !ids.containsKey(msg.first())) {
                throw new RzmqException(Code.EHOSTUNREACH, "no peer with routing id " + msg.first());
            }
        }

        @Override
        void routable(Frame id) {
            ids.put(id, Boolean.TRUE);
        }

        @Override
        void unroutable(Frame id) {
            ids.remove(id);
        }

        @Override
        public void promiseConnectId(String endpoint, Frame id) {
            if (ids.containsKey(id) || promised.containsValue(id)) {
                throw new RzmqException(Code.EINVAL, "routing id " + id + " is already in use on this ROUTER");
            }
            promised.put(endpoint, id);
        }

        @Override
        Frame takeConnectId(String endpoint) {
            Frame id = promised.get(endpoint);
            if (id != null) {
                ids.put(id, Boolean.TRUE); // routable before it stops being promised: no EHOSTUNREACH gap
                promised.remove(endpoint);
            }
            return id;
        }

        @Override
        boolean isPromised(Frame id) {
            return !promised.isEmpty() && promised.containsValue(id);
        }
    }
}
