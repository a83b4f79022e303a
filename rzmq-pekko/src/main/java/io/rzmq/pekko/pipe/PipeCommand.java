package io.rzmq.pekko.pipe;

import io.rzmq.protocol.Frame;

/**
 * A non-message item travelling through a {@link Pipe}: subscription changes between a SUB/XSUB socket
 * and its peer. Engines turn them into SUBSCRIBE/CANCEL commands (ZMTP/3.1) or 1/0-prefixed messages
 * (ZMTP/3.0) on the way out, and turn the peer's ones into these records on the way in.
 */
public sealed interface PipeCommand {
    /** Subscribe to messages whose first frame starts with {@code topic} (empty: everything). */
    record Subscribe(Frame topic) implements PipeCommand {
    }

    /** Cancel one earlier {@link Subscribe} of the same topic. */
    record Cancel(Frame topic) implements PipeCommand {
    }
}
