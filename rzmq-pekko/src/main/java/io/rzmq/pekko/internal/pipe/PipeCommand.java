package io.rzmq.pekko.internal.pipe;

import io.rzmq.protocol.Frame;

/**
 * Pipe items that are not application messages: subscription traffic between a SUB-like socket and
 * a PUB-like socket. A transport turns them into the form the peer understands (ZMTP 3.1 SUBSCRIBE /
 * CANCEL commands, or 3.0-style data messages starting with byte 1 / 0) and turns what it receives
 * back into these records.
 */
public sealed interface PipeCommand {

    /** Subscribe to messages whose first frame starts with {@code topic}. */
    record Subscribe(Frame topic) implements PipeCommand {
    }

    /** Cancel a subscription made with {@link Subscribe}. */
    record Cancel(Frame topic) implements PipeCommand {
    }

    /**
     * "A fresh connection starts here; subscription traffic queued before this point is stale."
     *
     * <p>SUB side ({@code toPeer}): the socket writes Resync followed by its full subscription set
     * whenever a connection becomes ready (PeerReady, or attach of an already handshaken pipe). A
     * connect-side transport that reconnects should skip Subscribe/Cancel items it reads before the next
     * Resync, so that commands queued for the dead connection are not sent twice. Transports never
     * put Resync on the wire.
     *
     * <p>PUB side ({@code fromPeer}): a transport may write Resync when a connection behind a pipe
     * that lives across reconnects completes its handshake; the socket then forgets the subscriptions
     * it had recorded for that pipe (the peer resends its whole set).
     */
    enum Resync implements PipeCommand {
        INSTANCE
    }
}
