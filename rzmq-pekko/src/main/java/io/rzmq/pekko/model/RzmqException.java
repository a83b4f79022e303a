package io.rzmq.pekko.model;

/**
 * What a failed rzmq operation completes with: a libzmq-like error code (so callers can react to it
 * without parsing text) and a message that says what went wrong and where.
 */
public final class RzmqException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The libzmq errno this failure corresponds to. */
    public enum Code {
        /** The socket or context is closed (libzmq ETERM). */
        ETERM,
        /** The operation is not supported by this socket type (ENOTSUP). */
        ENOTSUP,
        /** The endpoint is already bound (EADDRINUSE). */
        EADDRINUSE,
        /** Nothing is bound or connected at that endpoint (ENOENT). */
        ENOENT,
        /** Invalid argument, malformed endpoint (EINVAL). */
        EINVAL,
        /** The transport is not available (EPROTONOSUPPORT). */
        EPROTONOSUPPORT,
        /** The two socket types cannot talk to each other. */
        EPROTO,
        /** No message within the given time (EAGAIN). */
        EAGAIN,
        /** A bind or connect failed in the transport. */
        EFAULT,
        /** The operation is not allowed in the socket's current state, e.g. two sends in a row on REQ (EFSM). */
        EFSM,
        /** The message cannot be routed: no such peer (ROUTER_MANDATORY) (EHOSTUNREACH). */
        EHOSTUNREACH
    }

    private final Code code;

    public RzmqException(Code code, String message) {
        super(code + ": " + message);
        this.code = code;
    }

    public RzmqException(Code code, String message, Throwable cause) {
        super(code + ": " + message, cause);
        this.code = code;
    }

    public Code code() {
        return code;
    }
}
