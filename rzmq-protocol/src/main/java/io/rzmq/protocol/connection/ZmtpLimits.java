package io.rzmq.protocol.connection;

/**
 * The bounds that keep what one peer can make us hold small and finite, whatever it sends (issue 12).
 * Everything over a bound fails that connection with a {@link io.rzmq.protocol.ZmtpException}.
 *
 * @param maxHandshakeCommandSize   the largest command frame accepted before the handshake completes
 *                                  (HELLO, WELCOME, INITIATE, READY, ERROR); a larger one is refused on its
 *                                  header, before any of its body is held
 * @param maxHandshakeBuffered      bytes a connection may hold before its handshake completes: the unfinished
 *                                  command plus anything read while the ZAP handler is asked (a real peer
 *                                  sends nothing then); at least {@code maxHandshakeCommandSize}
 * @param maxProperties             properties one READY / INITIATE (or ZAP reply) may carry
 * @param maxPropertiesSize         encoded bytes of one property list (name, value and their lengths)
 * @param maxMessageFrames          frames one multipart message may have; -1 for no limit
 */
public record ZmtpLimits(int maxHandshakeCommandSize, int maxHandshakeBuffered, int maxProperties,
                         int maxPropertiesSize, int maxMessageFrames) {

    /**
     * 9 KiB commands: an 8 KiB property list plus CURVE INITIATE's fixed part (cookie, nonce, vouch box,
     * MACs: 248 bytes) with room to spare. 16 KiB held before the handshake. 64 properties in 8 KiB: libzmq
     * sends Socket-Type and Identity (at most 255 bytes) plus the application's ZMQ_METADATA, JeroMQ and
     * CZMQ the same. 65,536 frames per message.
     */
    public static final ZmtpLimits DEFAULT = new ZmtpLimits(9 * 1024, 16 * 1024, 64, 8 * 1024, 65_536);

    public ZmtpLimits {
        if (maxHandshakeCommandSize < 64) {
            throw new IllegalArgumentException("max handshake command size must be at least 64 bytes, was "
                + maxHandshakeCommandSize);
        }
        if (maxHandshakeBuffered < maxHandshakeCommandSize) {
            throw new IllegalArgumentException("max handshake buffered (" + maxHandshakeBuffered
                + ") must be at least the max handshake command size (" + maxHandshakeCommandSize + ")");
        }
        if (maxProperties < 1) {
            throw new IllegalArgumentException("max properties must be at least 1, was " + maxProperties);
        }
        if (maxPropertiesSize < 16) {
            throw new IllegalArgumentException("max properties size must be at least 16 bytes, was " + maxPropertiesSize);
        }
        if (maxMessageFrames < 1 && maxMessageFrames != -1) {
            throw new IllegalArgumentException("max message frames must be -1 or at least 1, was " + maxMessageFrames);
        }
    }

    public ZmtpLimits withMaxHandshakeCommandSize(int v) {
        return new ZmtpLimits(v, Math.max(v, maxHandshakeBuffered), maxProperties, maxPropertiesSize, maxMessageFrames);
    }

    public ZmtpLimits withMaxHandshakeBuffered(int v) {
        return new ZmtpLimits(maxHandshakeCommandSize, v, maxProperties, maxPropertiesSize, maxMessageFrames);
    }

    public ZmtpLimits withMaxProperties(int v) {
        return new ZmtpLimits(maxHandshakeCommandSize, maxHandshakeBuffered, v, maxPropertiesSize, maxMessageFrames);
    }

    public ZmtpLimits withMaxPropertiesSize(int v) {
        return new ZmtpLimits(maxHandshakeCommandSize, maxHandshakeBuffered, maxProperties, v, maxMessageFrames);
    }

    public ZmtpLimits withMaxMessageFrames(int v) {
        return new ZmtpLimits(maxHandshakeCommandSize, maxHandshakeBuffered, maxProperties, maxPropertiesSize, v);
    }
}
