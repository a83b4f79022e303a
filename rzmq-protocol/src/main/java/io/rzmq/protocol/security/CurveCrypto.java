package io.rzmq.protocol.security;

import io.rzmq.protocol.ZmtpException;
import org.bouncycastle.crypto.engines.Salsa20Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.math.ec.rfc7748.X25519;

import java.util.Arrays;

/**
 * NaCl's crypto_box as CurveZMQ uses it: X25519, HSalsa20 to derive the precomputed key
 * ("beforenm"), XSalsa20-Poly1305 to seal. A sealed box is laid out as libzmq puts it on the wire:
 * the 16-byte Poly1305 tag, then the ciphertext (NaCl's 16 "boxzero" bytes stripped).
 *
 * <p>An instance holds scratch state so that sealing and opening allocate nothing; it is used by one
 * thread at a time (one per mechanism). XSalsa20 with a 24-byte nonce is Salsa20 keyed with
 * HSalsa20(key, nonce[0..16]) and the nonce's last 8 bytes; since every CurveZMQ MESSAGE nonce of one
 * direction shares its 16-byte prefix, that subkey is computed once per direction
 * ({@link #subkey(byte[], byte[])}) and each message runs only Salsa20 and BouncyCastle's Poly1305. The
 * one-time Poly1305 key is written into the array of one {@link KeyParameter} kept for the instance
 * ({@code getKey()} returns that array, not a copy), so re-initialising the MAC per message allocates nothing.
 */
final class CurveCrypto {
    static final int KEY_BYTES = 32;
    static final int NONCE_BYTES = 24;
    static final int MAC_BYTES = 16;

    /** "expand 32-byte k" as four little-endian words. */
    private static final int SIGMA0 = 0x61707865;
    private static final int SIGMA1 = 0x3320646e;
    private static final int SIGMA2 = 0x79622d32;
    private static final int SIGMA3 = 0x6b206574;

    private final int[] state = new int[16];
    private final int[] mixed = new int[16];
    private final byte[] keystream = new byte[64];
    private final KeyParameter polyKey = new KeyParameter(new byte[32]);
    private final Poly1305 mac = new Poly1305();
    private final byte[] tag = new byte[MAC_BYTES];
    private int keystreamPos;

    /**
     * crypto_box_beforenm: HSalsa20(X25519(secret, public), 0). A public key that yields the all-zero
     * shared secret (a low-order point) is refused, as libsodium does.
     *
     * @throws ZmtpException AUTHENTICATION for such a key
     */
    static byte[] beforenm(byte[] publicKey, byte[] secretKey) {
        byte[] shared = new byte[32];
        if (!X25519.calculateAgreement(secretKey, 0, publicKey, 0, shared, 0)) {
            throw ZmtpException.crypto("CURVE public key is a low-order point (shared secret would be zero)");
        }
        byte[] key = subkey(shared, new byte[16]);
        Arrays.fill(shared, (byte) 0);
        return key;
    }

    /** HSalsa20(key, in16): the 32-byte subkey for nonce prefix {@code in16}. */
    static byte[] subkey(byte[] key, byte[] in16) {
        int[] input = new int[16];
        int[] out = new int[16];
        input[0] = SIGMA0;
        input[5] = SIGMA1;
        input[10] = SIGMA2;
        input[15] = SIGMA3;
        for (int i = 0; i < 4; i++) {
            input[1 + i] = le32(key, 4 * i);
            input[11 + i] = le32(key, 16 + 4 * i);
            input[6 + i] = le32(in16, 4 * i);
        }
        // salsaCore adds the input back in after the rounds; HSalsa20 wants the bare rounds output.
        Salsa20Engine.salsaCore(20, input, out);
        byte[] result = new byte[32];
        int[] pick = {0, 5, 10, 15, 6, 7, 8, 9};
        for (int i = 0; i < 8; i++) {
            putLe32(result, 4 * i, out[pick[i]] - input[pick[i]]);
        }
        Arrays.fill(input, 0);
        Arrays.fill(out, 0);
        return result;
    }

    /** crypto_box_afternm / crypto_secretbox with a full 24-byte nonce; returns tag + ciphertext. */
    byte[] seal(byte[] key, byte[] nonce24, byte[] plain) {
        byte[] out = new byte[MAC_BYTES + plain.length];
        byte[] sub = subkey(key, Arrays.copyOf(nonce24, 16));
        begin(sub, nonce24, 16);
        xor(plain, 0, out, MAC_BYTES, plain.length);
        finishTag(out, MAC_BYTES, plain.length, out, 0);
        Arrays.fill(sub, (byte) 0);
        return out;
    }

    /**
     * Opens tag + ciphertext ({@code box[off..off+len)}) under {@code key} and a full nonce.
     *
     * @return the plaintext, or null when the tag does not verify
     */
    byte[] open(byte[] key, byte[] nonce24, byte[] box, int off, int len) {
        if (len < MAC_BYTES) {
            return null;
        }
        byte[] sub = subkey(key, Arrays.copyOf(nonce24, 16));
        try {
            begin(sub, nonce24, 16);
            if (!verify(box, off + MAC_BYTES, len - MAC_BYTES, box, off)) {
                return null;
            }
            byte[] plain = new byte[len - MAC_BYTES];
            xor(box, off + MAC_BYTES, plain, 0, plain.length);
            return plain;
        } finally {
            Arrays.fill(sub, (byte) 0);
        }
    }

    /**
     * Starts a keystream for Salsa20 under {@code subkey} with the 8 nonce bytes at
     * {@code nonce[nonceOff..+8)}; the first 32 keystream bytes become the Poly1305 key.
     */
    void begin(byte[] subkey, byte[] nonce, int nonceOff) {
        state[0] = SIGMA0;
        state[5] = SIGMA1;
        state[10] = SIGMA2;
        state[15] = SIGMA3;
        for (int i = 0; i < 4; i++) {
            state[1 + i] = le32(subkey, 4 * i);
            state[11 + i] = le32(subkey, 16 + 4 * i);
        }
        state[6] = le32(nonce, nonceOff);
        state[7] = le32(nonce, nonceOff + 4);
        state[8] = 0;
        state[9] = 0;
        nextBlock();
        System.arraycopy(keystream, 0, polyKey.getKey(), 0, 32);
        keystreamPos = 32;
    }

    /** XORs the next {@code len} keystream bytes over {@code in} into {@code out} (may be the same range). */
    void xor(byte[] in, int inOff, byte[] out, int outOff, int len) {
        for (int i = 0; i < len; i++) {
            if (keystreamPos == 64) {
                nextBlock();
                keystreamPos = 0;
            }
            out[outOff + i] = (byte) (in[inOff + i] ^ keystream[keystreamPos++]);
        }
    }

    /** Writes Poly1305 over {@code ct[off..off+len)} to {@code tagOut[tagOff..+16)}. */
    void finishTag(byte[] ct, int off, int len, byte[] tagOut, int tagOff) {
        mac.init(polyKey);
        mac.update(ct, off, len);
        mac.doFinal(tagOut, tagOff);
    }

    /** Computes Poly1305 over the ciphertext and compares it in constant time with the expected tag. */
    boolean verify(byte[] ct, int off, int len, byte[] expected, int expectedOff) {
        finishTag(ct, off, len, tag, 0);
        int diff = 0;
        for (int i = 0; i < MAC_BYTES; i++) {
            diff |= tag[i] ^ expected[expectedOff + i];
        }
        return diff == 0;
    }

    private void nextBlock() {
        Salsa20Engine.salsaCore(20, state, mixed);
        for (int i = 0; i < 16; i++) {
            putLe32(keystream, 4 * i, mixed[i]);
        }
        if (++state[8] == 0) {
            ++state[9];
        }
    }

    /** Wipes key-dependent scratch state. */
    void wipe() {
        Arrays.fill(state, 0);
        Arrays.fill(mixed, 0);
        Arrays.fill(keystream, (byte) 0);
        Arrays.fill(polyKey.getKey(), (byte) 0);
        mac.reset();
    }

    static int le32(byte[] b, int off) {
        return (b[off] & 0xFF) | ((b[off + 1] & 0xFF) << 8) | ((b[off + 2] & 0xFF) << 16) | ((b[off + 3] & 0xFF) << 24);
    }

    static void putLe32(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }
}
