package io.rzmq.protocol.fuzz;

import io.rzmq.protocol.connection.ZmtpConnection;
import io.rzmq.protocol.connection.ZmtpLimits;
import io.rzmq.protocol.wire.FrameDecoder;

import static io.rzmq.protocol.fuzz.Invariants.require;

/**
 * Memory bounds of issue 12 (defects 1, 4 and 5), checked after every chunk a target feeds: what a
 * decoder or a connection holds follows the bytes that arrived, never a size the peer declared.
 */
final class BoundsAssertions {
    /** The decoder's staging array grows to at most this (FrameDecoder's small-piece buffer). */
    private static final long STAGING_MAX = 4 * 1024;
    /** A frame header: flags and an 8-byte size. */
    private static final long HEADER_MAX = 9;

    private BoundsAssertions() {
    }

    /** After {@code bytesFed} bytes went into {@code decoder} (limit: MAXMSGSIZE, -1 for none). */
    static void frameDecoder(FrameDecoder decoder, long bytesFed, long maxMessageSize) {
        long held = decoder.bufferedBytes();
        require(held <= bytesFed + STAGING_MAX + HEADER_MAX,
            "the decoder holds " + held + " bytes after " + bytesFed + " arrived (a declared size was allocated?)");
    }

    /** After {@code bytesFed} bytes went into {@code connection} (built with the default limits). */
    static void connection(ZmtpConnection connection, long bytesFed, long maxMessageSize) {
        if (!connection.isReady() && !connection.isFailed()) {
            long held = connection.bufferedBytes();
            require(held <= ZmtpLimits.DEFAULT.maxHandshakeBuffered(),
                "before its handshake the connection holds " + held + " bytes, over rzmq.handshake.max-buffered");
        }
    }
}
