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
        /** Credentials refused (by the mechanism or its ZAP handler). */
        AUTHENTICATION,
        /**
         * A CURVE box or cookie that does not open (a wrong key, tampering), a vouch for another key, a
         * replayed nonce. libzmq reports these as HANDSHAKE_FAILED_PROTOCOL with
         * ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC, not as an authentication failure.
         */
        CRYPTOGRAPHIC,
        /** The two socket types may not talk to each other. */
        INCOMPATIBLE_SOCKET_TYPE,
        /** A frame or message larger than MAXMSGSIZE. */
        MESSAGE_TOO_LARGE,
        /** The peer sent an ERROR command; the message carries its reason. */
        PEER_ERROR,
        /**
         * The mechanism needs a ZAP handler and none is there to ask, or it went away before answering
         * (libzmq reports HANDSHAKE_FAILED_NO_DETAIL).
         */
        NO_ZAP_HANDLER
    }

    private final Kind kind;
    private final int statusCode;

    public ZmtpException(Kind kind, String message) {
        this(kind, message, 0);
    }

    /**
     * @param statusCode the ZAP status code behind an authentication failure (300, 400 or 500), 0 for none
     */
    public ZmtpException(Kind kind, String message, int statusCode) {
        super(message);
        this.kind = kind;
        this.statusCode = statusCode;
    }

    public ZmtpException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.statusCode = 0;
    }

    public static ZmtpException protocol(String message) {
        return new ZmtpException(Kind.PROTOCOL, message);
    }

    public static ZmtpException auth(String message) {
        return new ZmtpException(Kind.AUTHENTICATION, message);
    }

    public static ZmtpException crypto(String message) {
        return new ZmtpException(Kind.CRYPTOGRAPHIC, message);
    }

    public Kind kind() {
        return kind;
    }

    /**
     * The ZAP status code (300, 400 or 500) when a ZAP handler refused the peer: ours (AUTHENTICATION), or
     * the peer's, carried as the reason of its ERROR command (PEER_ERROR); 0 otherwise. libzmq reports it
     * as the value of its HANDSHAKE_FAILED_AUTH event.
     */
    public int statusCode() {
        return statusCode;
    }

    /** 300, 400 or 500 when {@code reason} is exactly that ZAP status code (as libzmq reads ERROR reasons), else 0. */
    public static int zapStatusCode(String reason) {
        if (reason != null && reason.length() == 3 && reason.charAt(1) == '0' && reason.charAt(2) == '0'
            && reason.charAt(0) >= '3' && reason.charAt(0) <= '5') {
            return (reason.charAt(0) - '0') * 100;
        }
        return 0;
    }

    @Override
    public String toString() {
        return "ZmtpException(" + kind + "): " + getMessage();
    }
}
