package io.rzmq.protocol.security;

/**
 * Poly1305 (RFC 8439, section 2.5) over one contiguous message, with no allocation: the one-time key is
 * read from a caller's array, the accumulator lives in locals. Arithmetic mod 2^130 - 5 in five 26-bit
 * limbs, so every product fits a long. BouncyCastle's {@code Poly1305} needs a fresh {@code KeyParameter}
 * (an object and a copy of the key) for every message: this is why CurveZMQ's per-message path has its own.
 */
final class Poly1305 {
    static final int KEY_BYTES = 32;
    static final int TAG_BYTES = 16;
    private static final long M26 = 0x3ffffff;
    private static final long M32 = 0xffffffffL;

    private Poly1305() {
    }

    /** Writes the 16-byte tag of {@code msg[off..off+len)} under the 32-byte one-time key to {@code tag[tagOff..)}. */
    static void mac(byte[] key, int keyOff, byte[] msg, int off, int len, byte[] tag, int tagOff) {
        // r, clamped (RFC 8439 2.5.1), split into 26-bit limbs
        long r0 = le32(key, keyOff) & 0x3ffffff;
        long r1 = (le32(key, keyOff + 3) >>> 2) & 0x3ffff03;
        long r2 = (le32(key, keyOff + 6) >>> 4) & 0x3ffc0ff;
        long r3 = (le32(key, keyOff + 9) >>> 6) & 0x3f03fff;
        long r4 = (le32(key, keyOff + 12) >>> 8) & 0x00fffff;
        long s1 = r1 * 5;
        long s2 = r2 * 5;
        long s3 = r3 * 5;
        long s4 = r4 * 5;
        long h0 = 0;
        long h1 = 0;
        long h2 = 0;
        long h3 = 0;
        long h4 = 0;

        int p = off;
        int end = off + len;
        byte[] last = null;
        while (p < end) {
            long m0;
            long m1;
            long m2;
            long m3;
            long hibit;
            if (end - p >= 16) {
                m0 = le32(msg, p);
                m1 = le32(msg, p + 4);
                m2 = le32(msg, p + 8);
                m3 = le32(msg, p + 12);
                hibit = 1L << 24;
                p += 16;
            } else {
                // The final partial block: its bytes, then 1, then zeros; no 2^128 bit.
                int n = end - p;
                m0 = partial(msg, p, n, 0);
                m1 = partial(msg, p, n, 4);
                m2 = partial(msg, p, n, 8);
                m3 = partial(msg, p, n, 12);
                hibit = 0;
                p = end;
            }
            h0 += m0 & M26;
            h1 += ((m0 >>> 26) | (m1 << 6)) & M26;
            h2 += ((m1 >>> 20) | (m2 << 12)) & M26;
            h3 += ((m2 >>> 14) | (m3 << 18)) & M26;
            h4 += (m3 >>> 8) | hibit;

            long d0 = h0 * r0 + h1 * s4 + h2 * s3 + h3 * s2 + h4 * s1;
            long d1 = h0 * r1 + h1 * r0 + h2 * s4 + h3 * s3 + h4 * s2;
            long d2 = h0 * r2 + h1 * r1 + h2 * r0 + h3 * s4 + h4 * s3;
            long d3 = h0 * r3 + h1 * r2 + h2 * r1 + h3 * r0 + h4 * s4;
            long d4 = h0 * r4 + h1 * r3 + h2 * r2 + h3 * r1 + h4 * r0;
            long c = d0 >>> 26;
            h0 = d0 & M26;
            d1 += c;
            c = d1 >>> 26;
            h1 = d1 & M26;
            d2 += c;
            c = d2 >>> 26;
            h2 = d2 & M26;
            d3 += c;
            c = d3 >>> 26;
            h3 = d3 & M26;
            d4 += c;
            c = d4 >>> 26;
            h4 = d4 & M26;
            h0 += c * 5;
            c = h0 >>> 26;
            h0 &= M26;
            h1 += c;
        }

        // Full carry, then h - p chosen in constant time when h >= p.
        long c = h1 >>> 26;
        h1 &= M26;
        h2 += c;
        c = h2 >>> 26;
        h2 &= M26;
        h3 += c;
        c = h3 >>> 26;
        h3 &= M26;
        h4 += c;
        c = h4 >>> 26;
        h4 &= M26;
        h0 += c * 5;
        c = h0 >>> 26;
        h0 &= M26;
        h1 += c;

        long g0 = h0 + 5;
        c = g0 >>> 26;
        g0 &= M26;
        long g1 = h1 + c;
        c = g1 >>> 26;
        g1 &= M26;
        long g2 = h2 + c;
        c = g2 >>> 26;
        g2 &= M26;
        long g3 = h3 + c;
        c = g3 >>> 26;
        g3 &= M26;
        long g4 = h4 + c - (1L << 26);
        // g4 < 0: h < p, keep h; otherwise take g.
        long useG = (g4 >>> 63) - 1;
        long useH = ~useG;
        h0 = (h0 & useH) | (g0 & useG);
        h1 = (h1 & useH) | (g1 & useG);
        h2 = (h2 & useH) | (g2 & useG);
        h3 = (h3 & useH) | (g3 & useG);
        h4 = (h4 & useH) | (g4 & useG);

        // h mod 2^128 as four 32-bit words, plus s (the key's second half)
        long w0 = (h0 | (h1 << 26)) & M32;
        long w1 = ((h1 >>> 6) | (h2 << 20)) & M32;
        long w2 = ((h2 >>> 12) | (h3 << 14)) & M32;
        long w3 = ((h3 >>> 18) | (h4 << 8)) & M32;
        long f = w0 + le32(key, keyOff + 16);
        putLe32(tag, tagOff, f);
        f = w1 + le32(key, keyOff + 20) + (f >>> 32);
        putLe32(tag, tagOff + 4, f);
        f = w2 + le32(key, keyOff + 24) + (f >>> 32);
        putLe32(tag, tagOff + 8, f);
        f = w3 + le32(key, keyOff + 28) + (f >>> 32);
        putLe32(tag, tagOff + 12, f);
    }

    /** Word {@code word/4} of a final block of {@code n} bytes padded with 1 then zeros. */
    private static long partial(byte[] msg, int p, int n, int word) {
        long v = 0;
        for (int i = 3; i >= 0; i--) {
            int k = word + i;
            int b = k < n ? msg[p + k] & 0xFF : k == n ? 1 : 0;
            v = (v << 8) | b;
        }
        return v;
    }

    private static long le32(byte[] b, int off) {
        return (b[off] & 0xFFL) | ((b[off + 1] & 0xFFL) << 8) | ((b[off + 2] & 0xFFL) << 16) | ((b[off + 3] & 0xFFL) << 24);
    }

    private static void putLe32(byte[] b, int off, long v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }
}
