package io.rzmq.protocol.wire;

import java.nio.charset.StandardCharsets;

/**
 * The 64-byte ZMTP/3.x greeting: {@code FF}, 8 padding bytes, {@code 7F}, major, minor, a 20-byte
 * NUL-padded mechanism name, the as-server byte and 31 zero bytes.
 *
 * <p>We always announce 3.1. The greeting is sent in two stages, as libzmq does: the 10-byte
 * {@link #signature()} at once, the {@link #tail(String, boolean) tail} as soon as the peer's signature
 * has been seen. We never wait for more than the peer's signature, so a peer that waits for our whole
 * greeting before sending its own (JeroMQ) and a peer that stages (libzmq) both work.
 */
public final class Greeting {
    /** Total greeting size. */
    public static final int SIZE = 64;
    /** Signature: FF, 8 padding bytes, 7F. */
    public static final int SIGNATURE_SIZE = 10;
    /** Offset of the major version byte. */
    public static final int MAJOR_OFFSET = 10;
    /** Offset of the minor version byte. */
    public static final int MINOR_OFFSET = 11;
    /** Offset of the 20-byte mechanism name. */
    public static final int MECHANISM_OFFSET = 12;
    public static final int MECHANISM_SIZE = 20;
    /** Offset of the as-server byte. */
    public static final int AS_SERVER_OFFSET = 32;

    public static final int MAJOR_VERSION = 3;
    public static final int MINOR_VERSION = 1;

    private Greeting() {
    }

    /**
     * Our signature. The padding holds (routing-id length + 1) as a big-endian 64-bit number with an empty
     * routing id, exactly what libzmq sends; peers ignore it.
     */
    public static byte[] signature() {
        byte[] out = new byte[SIGNATURE_SIZE];
        writeSignature(out);
        return out;
    }

    /** Everything after the signature: version 3.1, the mechanism name, the as-server flag, the filler. */
    public static byte[] tail(String mechanism, boolean asServer) {
        byte[] full = encode(mechanism, asServer);
        byte[] out = new byte[SIZE - SIGNATURE_SIZE];
        System.arraycopy(full, SIGNATURE_SIZE, out, 0, out.length);
        return out;
    }

    /** The whole 64-byte greeting we send. */
    public static byte[] encode(String mechanism, boolean asServer) {
        byte[] name = mechanism.getBytes(StandardCharsets.US_ASCII);
        if (name.length == 0 || name.length > MECHANISM_SIZE) {
            throw new IllegalArgumentException("mechanism name must be 1..20 ASCII characters: '" + mechanism + "'");
        }
        byte[] out = new byte[SIZE];
        writeSignature(out);
        out[MAJOR_OFFSET] = MAJOR_VERSION;
        out[MINOR_OFFSET] = MINOR_VERSION;
        System.arraycopy(name, 0, out, MECHANISM_OFFSET, name.length);
        out[AS_SERVER_OFFSET] = (byte) (asServer ? 1 : 0);
        return out;
    }

    private static void writeSignature(byte[] out) {
        out[0] = (byte) 0xFF;
        out[8] = 1;
        out[9] = 0x7F;
    }
}
