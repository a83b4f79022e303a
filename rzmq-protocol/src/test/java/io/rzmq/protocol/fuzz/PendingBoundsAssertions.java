package io.rzmq.protocol.fuzz;

import io.rzmq.protocol.connection.ZmtpConnection;
import io.rzmq.protocol.wire.FrameDecoder;

/**
 * Memory-bound assertions that need accessors the {@code bounds} branch adds to FrameDecoder and
 * ZmtpConnection (issue 12, defects 1, 4 and 5). The targets call these after every chunk they feed;
 * today they check nothing. After merging {@code bounds}, fill them in, e.g.:
 * <pre>
 *   require(decoder.bufferedBytes() &lt;= min(bytesFed, limit + header), ...)          // no eager allocation
 *   if (!conn.isReady()) require(conn.bufferedBytes() &lt;= HANDSHAKE_MAX_BUFFERED, ...) // pre-handshake cap
 *   require(messageFrames &lt;= MAX_FRAMES_PER_MESSAGE, ...)                             // multipart bound
 *   require(peer.metadata().size() &lt;= MAX_PROPERTIES, ...)                            // metadata bound
 * </pre>
 * and the checked-in corpus replays them in every build.
 */
final class PendingBoundsAssertions {
    private PendingBoundsAssertions() {
    }

    /** After {@code bytesFed} bytes went into {@code decoder} (limit: MAXMSGSIZE, -1 for none). */
    static void frameDecoder(FrameDecoder decoder, long bytesFed, long maxMessageSize) {
        // bounds: assert decoder.bufferedBytes() <= bytesFed (and a small constant before any frame completes)
    }

    /** After {@code bytesFed} bytes went into {@code connection}. */
    static void connection(ZmtpConnection connection, long bytesFed, long maxMessageSize) {
        // bounds: assert connection.bufferedBytes() <= the pre-handshake cap while !connection.isReady(),
        // and the message / frame-count / metadata defaults once they exist
    }
}
