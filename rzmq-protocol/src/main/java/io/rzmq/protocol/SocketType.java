package io.rzmq.protocol;

/**
 * The eleven stable ZeroMQ socket types, with their ZMTP Socket-Type names and the table of which
 * types may talk to each other (RFC 23/37).
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
}
