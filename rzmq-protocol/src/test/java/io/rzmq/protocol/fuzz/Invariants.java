package io.rzmq.protocol.fuzz;

import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Metadata;
import io.rzmq.protocol.ZmtpException;
import io.rzmq.protocol.wire.Properties;

/**
 * The invariants every protocol fuzz target checks. Anything thrown here (or any exception other than
 * the documented one escaping a target) is a finding.
 */
final class Invariants {
    private Invariants() {
    }

    /** Runs {@code body}; returns the ZmtpException it threw (checked by {@link #check}), or null. */
    static ZmtpException protocolOnly(Runnable body) {
        try {
            body.run();
            return null;
        } catch (ZmtpException e) {
            check(e);
            return e;
        }
    }

    /**
     * A ZmtpException is the only error peer bytes may cause, and it must come from a check, not from a
     * safety net: the mechanisms and the connection turn any other RuntimeException thrown while parsing
     * peer bytes into a PROTOCOL ZmtpException (so the connection still closes cleanly), but such a slip
     * means a parser read past what it had validated. The fuzzer treats it as a finding.
     */
    static void check(ZmtpException e) {
        Throwable cause = e.getCause();
        if (cause != null && !(cause instanceof ZmtpException)) {
            throw new AssertionError("peer bytes made the parser throw " + cause
                + "; a safety net turned it into " + e + ", but the bytes should have been refused by a check", e);
        }
        if (e.kind() == null || e.getMessage() == null || e.getMessage().isEmpty()) {
            throw new AssertionError("a ZmtpException must say what was wrong: " + e, e);
        }
    }

    static void require(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }

    /** Nothing produced from {@code inputBytes} of peer input may be larger than that input. */
    static void notAmplified(Frame produced, long inputBytes, String what) {
        require(produced.size() <= inputBytes, what + " of " + produced.size() + " bytes from " + inputBytes
            + " bytes of input");
    }

    /** Decoded metadata holds no more than the bytes it was decoded from. */
    static void notAmplified(Metadata md, long inputBytes, String what) {
        int size = Properties.encodedSize(md);
        require(size <= inputBytes, what + " of " + size + " encoded bytes from " + inputBytes + " bytes of input");
    }
}
