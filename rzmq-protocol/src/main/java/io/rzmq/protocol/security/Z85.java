package io.rzmq.protocol.security;

import java.util.Arrays;

/**
 * Z85 (ZeroMQ RFC 32): 4 bytes become 5 printable characters. Strict in both directions: a length
 * that is not a whole number of groups, a character outside the alphabet or a group whose value does
 * not fit 32 bits is an {@link IllegalArgumentException}, never a silent truncation.
 */
public final class Z85 {
    private static final String ALPHABET =
        "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";
    private static final char[] ENCODE = ALPHABET.toCharArray();
    /** ASCII code -> digit value, -1 when the character is not in the alphabet. */
    private static final byte[] DECODE = new byte[128];

    static {
        Arrays.fill(DECODE, (byte) -1);
        for (int i = 0; i < ENCODE.length; i++) {
            DECODE[ENCODE[i]] = (byte) i;
        }
    }

    private Z85() {
    }

    /**
     * Encodes {@code data}, whose length must be a multiple of 4.
     *
     * @throws IllegalArgumentException when the length is not a multiple of 4
     */
    public static String encode(byte[] data) {
        if (data.length % 4 != 0) {
            throw new IllegalArgumentException("Z85 encodes whole 4-byte groups; got " + data.length + " bytes");
        }
        char[] out = new char[data.length / 4 * 5];
        int o = 0;
        for (int i = 0; i < data.length; i += 4) {
            long value = ((data[i] & 0xFFL) << 24) | ((data[i + 1] & 0xFF) << 16)
                | ((data[i + 2] & 0xFF) << 8) | (data[i + 3] & 0xFF);
            for (int d = 4; d >= 0; d--) {
                out[o + d] = ENCODE[(int) (value % 85)];
                value /= 85;
            }
            o += 5;
        }
        return new String(out);
    }

    /**
     * Decodes {@code text}, whose length must be a multiple of 5 and whose characters must all be in the
     * Z85 alphabet.
     *
     * @throws IllegalArgumentException on a bad length, a character outside the alphabet, or a group
     *         whose value exceeds 2^32-1
     */
    public static byte[] decode(String text) {
        if (text.length() % 5 != 0) {
            throw new IllegalArgumentException("Z85 decodes whole 5-character groups; got " + text.length() + " characters");
        }
        byte[] out = new byte[text.length() / 5 * 4];
        int o = 0;
        for (int i = 0; i < text.length(); i += 5) {
            long value = 0;
            for (int d = 0; d < 5; d++) {
                char c = text.charAt(i + d);
                int digit = c < 128 ? DECODE[c] : -1;
                if (digit < 0) {
                    throw new IllegalArgumentException("character at index " + (i + d) + " is not in the Z85 alphabet");
                }
                value = value * 85 + digit;
            }
            if (value > 0xFFFFFFFFL) {
                throw new IllegalArgumentException("Z85 group at index " + i + " encodes a value larger than 32 bits");
            }
            out[o] = (byte) (value >>> 24);
            out[o + 1] = (byte) (value >>> 16);
            out[o + 2] = (byte) (value >>> 8);
            out[o + 3] = (byte) value;
            o += 4;
        }
        return out;
    }
}
