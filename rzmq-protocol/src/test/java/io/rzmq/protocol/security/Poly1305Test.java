package io.rzmq.protocol.security;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class Poly1305Test {

    @Test
    void rfc8439Section252Vector() {
        byte[] key = Hex.bytes("85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b");
        byte[] msg = "Cryptographic Forum Research Group".getBytes(StandardCharsets.US_ASCII);
        byte[] tag = new byte[16];
        Poly1305.mac(key, 0, msg, 0, msg.length, tag, 0);
        assertThat(Hex.hex(tag)).isEqualTo("a8061dc1305136c6c22b8baf0c0127a9");
    }

    @Test
    void edgeCasesOfTheFinalReductionMatchBouncyCastle() {
        // All-ones keys and messages push h to just below and above 2^130 - 5.
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, (byte) 0xFF);
        for (int len : new int[] {0, 1, 15, 16, 17, 32, 64, 1000}) {
            byte[] msg = new byte[len];
            java.util.Arrays.fill(msg, (byte) 0xFF);
            assertThat(ours(key, msg)).as("len " + len).isEqualTo(bouncyCastle(key, msg));
        }
    }

    @Property(tries = 500)
    void matchesBouncyCastle(@ForAll long seed, @ForAll @IntRange(min = 0, max = 600) int len) {
        Random r = new Random(seed);
        byte[] key = new byte[32];
        byte[] msg = new byte[len];
        r.nextBytes(key);
        r.nextBytes(msg);
        assertThat(ours(key, msg)).isEqualTo(bouncyCastle(key, msg));
    }

    private static byte[] ours(byte[] key, byte[] msg) {
        // at an offset inside larger arrays, to prove offsets are honoured
        byte[] k = new byte[40];
        System.arraycopy(key, 0, k, 5, 32);
        byte[] m = new byte[msg.length + 9];
        System.arraycopy(msg, 0, m, 4, msg.length);
        byte[] tag = new byte[20];
        Poly1305.mac(k, 5, m, 4, msg.length, tag, 3);
        return java.util.Arrays.copyOfRange(tag, 3, 19);
    }

    private static byte[] bouncyCastle(byte[] key, byte[] msg) {
        org.bouncycastle.crypto.macs.Poly1305 p = new org.bouncycastle.crypto.macs.Poly1305();
        p.init(new KeyParameter(key));
        p.update(msg, 0, msg.length);
        byte[] tag = new byte[16];
        p.doFinal(tag, 0);
        return tag;
    }
}
