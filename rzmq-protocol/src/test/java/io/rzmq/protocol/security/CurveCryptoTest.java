package io.rzmq.protocol.security;

import io.rzmq.protocol.ZmtpException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Vectors computed with libsodium 1.0.18 (the library libzmq 4.3 uses) through ctypes. */
class CurveCryptoTest {
    static final byte[] CLIENT_SECRET = Hex.bytes("7BB864B489AFA3671FBE69101F94B38972F24816DFB01B51656B3FEC8DFD0888");
    static final byte[] CLIENT_PUBLIC = Hex.bytes("BB88471D65E2659B30C55A5321CEBB5AAB2B70A398645C26DCA2B2FCB43FC518");
    static final byte[] SERVER_SECRET = Hex.bytes("8E0BDD697628B91D8F245587EE95C5B04D48963F79259877B49CD9063AEAD3B7");
    static final byte[] SERVER_PUBLIC = Hex.bytes("54FCBA24E93249969316FB617C872BB0C1D1FF14800427C594CBFACF1BC2D652");
    static final byte[] NONCE = Hex.bytes("000102030405060708090a0b0c0d0e0f1011121314151617");
    static final byte[] MESSAGE = ("CurveZMQ interop vector: the quick brown fox jumps over the lazy dog, twice over, "
        + "to cross a 64-byte block.").getBytes(StandardCharsets.US_ASCII);
    static final String BOX = "9ad2c7e74f9a0122cec4ce279de08ba294c4bab997289dd8b5d59c31d5e9afaea3953e0e672ab3f64ee587"
        + "24be6ef34dac1b76f450fbaaa8e3edd5d6ef64c7a54b8f0cf385da2b9f5165962229db15ab8986a355912c3f780c1d72a04f5334f9"
        + "0e262bb412f8dc5e2f2f9084d619351d30a01b57bae6e2932f84eb";

    @Test
    void beforenmMatchesLibsodiumFromBothSides() {
        String expected = "0e8790cb0dc8703af2533cc8594eecfbf62ca560a66ebee1259cc0a30435c6f3";
        assertThat(Hex.hex(CurveCrypto.beforenm(SERVER_PUBLIC, CLIENT_SECRET))).isEqualTo(expected);
        assertThat(Hex.hex(CurveCrypto.beforenm(CLIENT_PUBLIC, SERVER_SECRET))).isEqualTo(expected);
    }

    @Test
    void hsalsa20MatchesNaclCore1Vector() {
        // NaCl tests/core1: HSalsa20(X25519(alice, bob), 0) = the precomputed box key
        byte[] shared = Hex.bytes("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
        assertThat(Hex.hex(CurveCrypto.subkey(shared, new byte[16])))
            .isEqualTo("1b27556473e985d462cd51197a9a46c76009549eac6474f206c4ee0844f68389");
    }

    @Test
    void boxMatchesLibsodiumCryptoBoxEasy() {
        CurveCrypto crypto = new CurveCrypto();
        byte[] key = CurveCrypto.beforenm(SERVER_PUBLIC, CLIENT_SECRET);
        byte[] box = crypto.seal(key, NONCE, MESSAGE);
        assertThat(Hex.hex(box)).isEqualTo(BOX);
        assertThat(crypto.open(CurveCrypto.beforenm(CLIENT_PUBLIC, SERVER_SECRET), NONCE, box, 0, box.length))
            .isEqualTo(MESSAGE);
    }

    @Test
    void secretboxMatchesLibsodium() {
        byte[] key = new byte[32];
        for (int i = 0; i < 32; i++) {
            key[i] = (byte) (100 + i);
        }
        byte[] box = new CurveCrypto().seal(key, NONCE, new byte[64]);
        assertThat(Hex.hex(box)).isEqualTo("afd8e7f05be8f201fe32359c513d5674b23e011cf53c36aac44d479505e5411bc27438dee4"
            + "0275a87e06cd8efdf6298e787e3871532ddbaf04710dd73571786e32a9443b0b8ab7843e24010212dd9de8");
    }

    @Test
    void anyFlippedBitOrWrongNonceFailsToOpen() {
        CurveCrypto crypto = new CurveCrypto();
        byte[] key = CurveCrypto.beforenm(SERVER_PUBLIC, CLIENT_SECRET);
        byte[] box = Hex.bytes(BOX);
        for (int i = 0; i < box.length; i++) {
            byte[] tampered = box.clone();
            tampered[i] ^= (byte) (1 << (i % 8));
            assertThat(crypto.open(key, NONCE, tampered, 0, tampered.length)).as("byte %d flipped", i).isNull();
        }
        byte[] otherNonce = NONCE.clone();
        otherNonce[23] ^= 1;
        assertThat(crypto.open(key, otherNonce, box, 0, box.length)).isNull();
        assertThat(crypto.open(key, NONCE, box, 0, 15)).isNull();
    }

    @Test
    void lowOrderPublicKeyIsRefused() {
        assertThatThrownBy(() -> CurveCrypto.beforenm(new byte[32], CLIENT_SECRET))
            .isInstanceOf(ZmtpException.class)
            .satisfies(e -> assertThat(((ZmtpException) e).kind()).isEqualTo(ZmtpException.Kind.CRYPTOGRAPHIC));
    }
}
