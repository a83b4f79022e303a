package io.rzmq.pekko.internal.security;

import io.rzmq.protocol.ZmtpException;
import io.rzmq.protocol.security.ZapRequest;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * A context's ZAP entrance as its engines see it: whether a handler is bound at
 * {@code inproc://zeromq.zap.01} right now, and where to send a request. The context sets the flag in
 * step with its inproc registry (before a bind's stage completes), so a connection that starts after
 * the handler's bind completed sees it; engines read it when their mechanism needs to know.
 * Thread-safe.
 */
public final class ZapGate {
    /** No ZAP: no handler is ever bound (transports used without a context). */
    public static final ZapGate NONE = new ZapGate(null);

    private final ActorRef<ZapClient.Command> client;
    private volatile boolean handlerBound;

    public ZapGate(ActorRef<ZapClient.Command> client) {
        this.client = client;
    }

    /** Whether a REP or ROUTER socket of this context is bound at {@code inproc://zeromq.zap.01}. */
    public boolean handlerBound() {
        return handlerBound;
    }

    /** For the context: a handler was bound (true) or went away (false). */
    public void setHandlerBound(boolean bound) {
        this.handlerBound = client != null && bound;
    }

    /**
     * Sends {@code request} to the handler; {@code engine} (a classic actor) gets one {@link ZapOutcome}
     * back, unless it stops first.
     */
    public void ask(ZapRequest request, org.apache.pekko.actor.ActorRef engine) {
        if (client == null) {
            engine.tell(new ZapOutcome.Failed(ZmtpException.Kind.NO_ZAP_HANDLER, "no ZAP handler in this setup"),
                org.apache.pekko.actor.ActorRef.noSender());
            return;
        }
        client.tell(new ZapClient.Ask(request, engine));
    }
}
