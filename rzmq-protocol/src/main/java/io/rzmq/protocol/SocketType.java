package io.rzmq.protocol;

import java.util.List;

/**
 * The eleven stable ZeroMQ socket types, with their ZMTP Socket-Type names and their capabilities,
 * declared here once for every layer: which types may talk to each other (RFC 23/37), which send and
 * which receive, and which type-specific options each accepts.
 */
public enum SocketType {
    PAIR, PUB, SUB, REQ, REP, DEALER, ROUTER, PULL, PUSH, XPUB, XSUB;

    /** The Socket-Type property value, e.g. "DEALER". */
    public String zmtpName() {
        return name();
    }

    /** Parses a Socket-Type property value (exact, upper case as on the wire); null when unknown. */
    public static SocketType fromZmtpName(String name) {
        for (SocketType t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }

    /** Whether a socket of this type may complete a handshake with a peer of type {@code peer}. */
    public boolean canTalkTo(SocketType peer) {
        return switch (this) {
            case PAIR -> peer == PAIR;
            case PUB, XPUB -> peer == SUB || peer == XSUB;
            case SUB, XSUB -> peer == PUB || peer == XPUB;
            case REQ -> peer == REP || peer == ROUTER;
            case REP -> peer == REQ || peer == DEALER;
            case DEALER -> peer == REP || peer == DEALER || peer == ROUTER;
            case ROUTER -> peer == REQ || peer == DEALER || peer == ROUTER;
            case PUSH -> peer == PULL;
            case PULL -> peer == PUSH;
        };
    }

    /** Whether an application may send on a socket of this type (all but PULL and SUB). */
    public boolean canSend() {
        return this != PULL && this != SUB;
    }

    /** Whether an application may receive on a socket of this type (all but PUSH and PUB). */
    public boolean canReceive() {
        return this != PUSH && this != PUB;
    }

    /** Options that apply to some socket types only (as libzmq refuses them, or ignores them, elsewhere). */
    public enum Option {
        /** ZMQ_CONFLATE: libzmq implements it for PUB, SUB, PUSH, PULL and DEALER. */
        CONFLATE(PUB, SUB, PUSH, PULL, DEALER),
        REQ_RELAXED(REQ),
        REQ_CORRELATE(REQ),
        ROUTER_MANDATORY(ROUTER),
        ROUTER_HANDOVER(ROUTER),
        /** ZMQ_CONNECT_ROUTING_ID: a routing id for the peer of one connect. */
        CONNECT_ROUTING_ID(ROUTER),
        PROBE_ROUTER(ROUTER, DEALER, REQ),
        XPUB_VERBOSE(XPUB),
        XPUB_VERBOSER(XPUB),
        XPUB_MANUAL(XPUB),
        XPUB_NODROP(XPUB),
        XPUB_WELCOME_MSG(XPUB);

        private final List<SocketType> types;

        Option(SocketType... types) {
            this.types = List.of(types);
        }

        /** The types accepting this option, in libzmq's documentation order. */
        public List<SocketType> types() {
            return types;
        }
    }

    /** Whether {@code option} applies to a socket of this type. */
    public boolean accepts(Option option) {
        return option.types().contains(this);
    }
}
