package io.rzmq.protocol.security;

import io.rzmq.protocol.ZmtpException;

import java.util.Arrays;

/**
 * One direction of a CURVE connection's MESSAGE traffic: the XSalsa20 subkey of that direction's nonce
 * prefix ("CurveZMQMESSAGEC"/"...S"), the short-nonce counter, and the Salsa20/Poly1305 scratch state,
 * all made once per connection. Sealing writes a whole MESSAGE command body into the caller's array (the
 * encoder's batch block for small frames); opening writes the plaintext into one exact-size array. Nothing
 * else is allocated per message. Used by one thread at a time.
 *
 * <pre>
 * MESSAGE body: 07 'MESSAGE' (8) | short nonce (8, big-endian) | tag (16) | box of [flags (1) | data]
 * </pre>
 */
final class CurveBox {
    static final byte[] MESSAGE_NAME = {7, 'M', 'E', 'S', 'S', 'A', 'G', 'E'};
    /** name(8) + short nonce(8). */
    static final int HEADER = 16;
    /** Bytes a sealed body adds to the payload: header, tag, flags. */
    static final int OVERHEAD = HEADER + CurveCrypto.MAC_BYTES + 1;

    static final int FLAG_MORE = 1;
    static final int FLAG_COMMAND = 2;

    private final CurveCrypto crypto = new CurveCrypto();
    private final byte[] subkey;
    /** Scratch for the opened flags byte. */
    private final byte[] flagByte = new byte[1];
    /** Sealing: the last nonce used; opening: the last nonce accepted. */
    private long nonce;
    private int lastFlags;

    /**
     * @param precomputed beforenm(C', S')
     * @param prefix16    the 16-byte nonce prefix of this direction
     * @param lastNonce   the last short nonce already used in this direction (the handshake's)
     */
    CurveBox(byte[] precomputed, byte[] prefix16, long lastNonce) {
        this.subkey = CurveCrypto.subkey(precomputed, prefix16);
        this.nonce = lastNonce;
    }

    /** Size of the MESSAGE body for a payload of {@code len} bytes. */
    static int sealedSize(int len) {
        return OVERHEAD + len;
    }

    /**
     * Seals {@code data[off..off+len)} with MORE/COMMAND {@code flags} into {@code dst[at..at+sealedSize(len))}.
     *
     * @throws ZmtpException PROTOCOL when the short nonces are exhausted (before anything is written)
     */
    void seal(byte[] data, int off, int len, int flags, byte[] dst, int at) {
        if (nonce == -1L) {
            throw ZmtpException.protocol("CURVE short nonces exhausted on this connection");
        }
        long n = ++nonce;
        System.arraycopy(MESSAGE_NAME, 0, dst, at, 8);
        for (int i = 7; i >= 0; i--) {
            dst[at + 8 + i] = (byte) n;
            n >>>= 8;
        }
        int ct = at + HEADER + CurveCrypto.MAC_BYTES;
        dst[ct] = (byte) flags;
        crypto.begin(subkey, dst, at + 8);
        crypto.xor(dst, ct, dst, ct, 1);
        crypto.xor(data, off, dst, ct + 1, len);
        crypto.finishTag(dst, ct, 1 + len, dst, at + HEADER);
    }

    /**
     * Opens the MESSAGE body {@code a[base..base+size)} (its name already checked, {@code size >= OVERHEAD}).
     * Returns the plaintext in an exact-size array; {@link #lastFlags()} has its flags.
     *
     * @throws ZmtpException AUTHENTICATION when the nonce does not exceed the last one or the box does not open
     */
    byte[] open(byte[] a, int base, int size) {
        long shortNonce = 0;
        for (int i = 0; i < 8; i++) {
            shortNonce = (shortNonce << 8) | (a[base + 8 + i] & 0xFF);
        }
        if (Long.compareUnsigned(shortNonce, nonce) <= 0) {
            throw ZmtpException.crypto("CURVE MESSAGE nonce " + Long.toUnsignedString(shortNonce)
                + " does not exceed the previous " + Long.toUnsignedString(nonce) + " (replayed or reordered)");
        }
        int ct = base + HEADER + CurveCrypto.MAC_BYTES;
        int ctLen = size - HEADER - CurveCrypto.MAC_BYTES;
        crypto.begin(subkey, a, base + 8);
        if (!crypto.verify(a, ct, ctLen, a, base + HEADER)) {
            throw ZmtpException.crypto("CURVE MESSAGE box does not open (tampered or wrong key)");
        }
        nonce = shortNonce;
        crypto.xor(a, ct, flagByte, 0, 1);
        lastFlags = flagByte[0] & 0xFF;
        byte[] plain = new byte[ctLen - 1];
        crypto.xor(a, ct + 1, plain, 0, plain.length);
        return plain;
    }

    /** The flags of the last opened body. */
    int lastFlags() {
        return lastFlags;
    }

    /** Forgets the key material. */
    void wipe() {
        Arrays.fill(subkey, (byte) 0);
        crypto.wipe();
    }
}
