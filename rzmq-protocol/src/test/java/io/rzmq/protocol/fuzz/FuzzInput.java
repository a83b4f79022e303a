package io.rzmq.protocol.fuzz;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Reads a fuzz input front to back: a few header bytes that choose the set-up, then the bytes under test.
 * Past the end every read returns zeros, so any input is a valid one. (Jazzer's FuzzedDataProvider takes
 * numbers from the end; reading in order keeps the checked-in seeds easy to write and to read.)
 */
final class FuzzInput {
    private final byte[] data;
    private int pos;

    FuzzInput(byte[] data) {
        this.data = data;
    }

    int u8() {
        return pos < data.length ? data[pos++] & 0xFF : 0;
    }

    int u16() {
        return (u8() << 8) | u8();
    }

    boolean bool() {
        return (u8() & 1) != 0;
    }

    /** Up to {@code n} bytes (fewer at the end). */
    byte[] bytes(int n) {
        int k = Math.max(0, Math.min(n, data.length - pos));
        byte[] out = Arrays.copyOfRange(data, pos, pos + k);
        pos += k;
        return out;
    }

    /** Everything not read yet. */
    byte[] rest() {
        return bytes(data.length - pos);
    }

    int remaining() {
        return data.length - pos;
    }

    /**
     * Chunk lengths that cut {@code length} bytes the way a transport might: one chunk for seed 0, else
     * pseudo-random lengths of 1..(seed % 97 + 1) bytes drawn from the seed.
     */
    static int[] chunks(int length, int seed) {
        if (seed == 0 || length == 0) {
            return length == 0 ? new int[0] : new int[] {length};
        }
        SplittableRandom r = new SplittableRandom(seed);
        int max = seed % 97 + 1;
        int[] out = new int[length];
        int n = 0;
        for (int left = length; left > 0; ) {
            int c = Math.min(left, 1 + r.nextInt(max));
            out[n++] = c;
            left -= c;
        }
        return Arrays.copyOf(out, n);
    }
}
