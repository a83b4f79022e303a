package io.rzmq.protocol;

/**
 * Something a peer sent (or failed to send) that ends its connection. The {@link Kind} says which
 * monitor event the runtime reports (HANDSHAKE_FAILED_PROTOCOL, HANDSHAKE_FAILED_AUTH, ...); the
 * message says what was wrong in words a user can act on. Never carries secret key material.
 */
public class ZmtpException extends RuntimeException {
    public enum Kind {
        /** Malformed bytes, wrong command, bad size, unsupported version or mechanism mismatch. */
        PROTOCOL,
        /** Credentials refused, a box that does not open, a wrong key, a replayed nonce. */
        AUTHENTICATION,
        /** The two socket types may not talk to each other. */
        INCOMPATIBLE_SOCKET_TYPE,
        /** A frame or message larger than MAXMSGSIZE. */
        MESSAGE_TOO_LARGE,
        /** The peer sent an ERROR command; the message carries its reason. */
        PEER_ERROR
    }

    private final Kind kind;

    public ZmtpException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public ZmtpException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public static ZmtpException protocol(String message) {
        return new ZmtpException(Kind.PROTOCOL, message);
    }

    public static ZmtpException auth(String message) {
        return new ZmtpException(Kind.AUTHENTICATION, message);
    }

    public Kind kind() {
        return kind;
    }

    @Override
    public String toString() {
        return "ZmtpException(" + kind + "): " + getMessage();
    }
}
