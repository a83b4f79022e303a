package io.rzmq.protocol.wire;

import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Metadata;
import io.rzmq.protocol.ZmtpException;


/**
 * The ZMTP metadata property list used by READY (NULL, PLAIN, CURVE) and INITIATE (PLAIN, CURVE):
 * repeated {@code name-length(1) name value-length(4, big-endian) value}.
 */
public final class Properties {
    private Properties() {
    }

    /** The encoded size of {@code md}. */
    public static int encodedSize(Metadata md) {
        return md.encodedSize();
    }

    public static byte[] encode(Metadata md) {
        return md.encode();
    }

    /**
     * Decodes a property list that fills {@code bytes} exactly, with no bound on its property count
     * (the caller bounded its size): for lists from a trusted source such as the ZAP handler.
     *
     * @throws ZmtpException PROTOCOL when a length runs past the end or a name is empty
     */
    public static Metadata decode(Frame bytes) {
        return Metadata.decode(bytes, Integer.MAX_VALUE, Integer.MAX_VALUE);
    }

    /**
     * Decodes a peer's property list (READY, INITIATE) within the bounds of rzmq.handshake.
     *
     * @throws ZmtpException PROTOCOL when malformed or over {@code maxProperties} / {@code maxSize} bytes
     */
    public static Metadata decode(Frame bytes, int maxProperties, int maxSize) {
        return Metadata.decode(bytes, maxProperties, maxSize);
    }
}
