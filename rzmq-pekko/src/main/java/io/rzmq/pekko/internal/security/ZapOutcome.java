package io.rzmq.pekko.internal.security;

import io.rzmq.protocol.ZmtpException;
import io.rzmq.protocol.security.ZapReply;

/** What the context's {@link ZapClient} tells the engine that asked. */
public sealed interface ZapOutcome {

    /** The handler answered; {@code reply} carries the request id the mechanism gave its request. */
    record Answered(ZapReply reply) implements ZapOutcome {
    }

    /**
     * No answer will come: no handler is bound (or it went away), too many requests are pending
     * ({@link ZmtpException.Kind#NO_ZAP_HANDLER}), or the handler's reply was malformed
     * ({@link ZmtpException.Kind#PROTOCOL}).
     */
    record Failed(ZmtpException.Kind kind, String reason) implements ZapOutcome {
    }
}
