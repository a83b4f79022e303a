package io.rzmq.protocol.security;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CurveKeyPairTest {
    static final String CLIENT_PUBLIC = "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID";
    static final String CLIENT_SECRET = "D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%wOTJ%JR%cs";
    static final String SERVER_PUBLIC = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7";
    static final String SERVER_SECRET = "JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6";

    @Test
    void publicKeyIsX25519OfSecretForLibzmqTestPairs() {
        assertThat(CurveKeyPair.fromSecretKey(CLIENT_SECRET).publicKeyZ85()).isEqualTo(CLIENT_PUBLIC);
        assertThat(CurveKeyPair.fromSecretKey(SERVER_SECRET).publicKeyZ85()).isEqualTo(SERVER_PUBLIC);
        assertThat(CurveKeyPair.publicKeyOf(Hex.bytes("8E0BDD697628B91D8F245587EE95C5B04D48963F79259877B49CD9063AEAD3B7")))
            .isEqualTo(Hex.bytes("54FCBA24E93249969316FB617C872BB0C1D1FF14800427C594CBFACF1BC2D652"));
    }

    @Test
    void ofChecksThatTheKeysBelongTogether() {
        CurveKeyPair pair = CurveKeyPair.of(SERVER_PUBLIC, SERVER_SECRET);
        assertThat(pair.secretKeyZ85()).isEqualTo(SERVER_SECRET);
        assertThatThrownBy(() -> CurveKeyPair.of(CLIENT_PUBLIC, SERVER_SECRET))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not belong");
    }

    @Test
    void generatedPairsAreConsistentAndDistinct() {
        CurveKeyPair a = CurveKeyPair.generate();
        CurveKeyPair b = CurveKeyPair.generate();
        assertThat(a.publicKey()).isEqualTo(CurveKeyPair.publicKeyOf(a.secretKey()));
        assertThat(a.publicKey()).isNotEqualTo(b.publicKey());
        assertThat(CurveKeyPair.of(a.publicKeyZ85(), a.secretKeyZ85())).isEqualTo(a);
    }

    @Test
    void toStringNeverShowsTheSecret() {
        CurveKeyPair pair = CurveKeyPair.fromSecretKey(SERVER_SECRET);
        assertThat(pair.toString()).contains(SERVER_PUBLIC).doesNotContain(SERVER_SECRET);
    }

    @Test
    void badKeysAreRejected() {
        assertThatThrownBy(() -> CurveKeyPair.fromSecretKey(new byte[31]))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> CurveKeyPair.fromSecretKey("HelloWorld"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("40 characters");
        assertThatThrownBy(() -> CurveKeyPair.decodePublicKey(SERVER_PUBLIC.substring(0, 39) + " "))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alphabet");
    }

    @Test
    void copiesProtectTheKeys() {
        CurveKeyPair pair = CurveKeyPair.fromSecretKey(SERVER_SECRET);
        pair.secretKey()[0] ^= 1;
        pair.publicKey()[0] ^= 1;
        assertThat(pair.secretKeyZ85()).isEqualTo(SERVER_SECRET);
        assertThat(pair.publicKeyZ85()).isEqualTo(SERVER_PUBLIC);
    }
}
