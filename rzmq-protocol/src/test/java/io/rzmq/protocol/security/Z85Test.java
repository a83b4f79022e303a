package io.rzmq.protocol.security;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Z85Test {
    @Test
    void rfc32HelloWorldVector() {
        byte[] bytes = Hex.bytes("864FD26FB559F75B");
        assertThat(Z85.encode(bytes)).isEqualTo("HelloWorld");
        assertThat(Z85.decode("HelloWorld")).isEqualTo(bytes);
    }

    @Test
    void libzmqTestKeysRoundTrip() {
        String[][] keys = {
            {"BB88471D65E2659B30C55A5321CEBB5AAB2B70A398645C26DCA2B2FCB43FC518", "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID"},
            {"7BB864B489AFA3671FBE69101F94B38972F24816DFB01B51656B3FEC8DFD0888", "D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%wOTJ%JR%cs"},
            {"54FCBA24E93249969316FB617C872BB0C1D1FF14800427C594CBFACF1BC2D652", "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"},
            {"8E0BDD697628B91D8F245587EE95C5B04D48963F79259877B49CD9063AEAD3B7", "JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6"},
        };
        for (String[] k : keys) {
            assertThat(Z85.encode(Hex.bytes(k[0]))).isEqualTo(k[1]);
            assertThat(Z85.decode(k[1])).isEqualTo(Hex.bytes(k[0]));
        }
    }

    @Test
    void extremesOfAGroup() {
        assertThat(Z85.encode(new byte[4])).isEqualTo("00000");
        assertThat(Z85.encode(new byte[] {-1, -1, -1, -1})).isEqualTo("%nSc0");
        assertThat(Z85.decode("%nSc0")).containsExactly(-1, -1, -1, -1);
        assertThat(Z85.encode(new byte[0])).isEmpty();
        assertThat(Z85.decode("")).isEmpty();
    }

    @Test
    void encodeRejectsLengthsThatAreNotWholeGroups() {
        for (int n : new int[] {1, 2, 3, 5, 31, 33}) {
            assertThatThrownBy(() -> Z85.encode(new byte[n]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(n + " bytes");
        }
    }

    @Test
    void decodeRejectsLengthsThatAreNotWholeGroups() {
        for (String s : new String[] {"H", "Hell", "HelloW", "HelloWorl"}) {
            assertThatThrownBy(() -> Z85.decode(s))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(s.length() + " characters");
        }
    }

    @Test
    void decodeRejectsCharactersOutsideTheAlphabet() {
        for (String s : new String[] {"Hello Worl", "Hell\"World", "Hello,orld", "HelloWorl~", "Hell\u00e9World", "Hell\\World"}) {
            assertThatThrownBy(() -> Z85.decode(s))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not in the Z85 alphabet");
        }
    }

    @Test
    void decodeRejectsGroupsAbove32Bits() {
        assertThatThrownBy(() -> Z85.decode("%nSc1"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("larger than 32 bits");
        assertThatThrownBy(() -> Z85.decode("#####"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("larger than 32 bits");
    }

    @Property(tries = 300)
    void roundTrips(@ForAll @Size(max = 16) byte[] groups) {
        byte[] data = java.util.Arrays.copyOf(groups, groups.length / 4 * 4);
        String text = Z85.encode(data);
        assertThat(text).hasSize(data.length / 4 * 5);
        assertThat(Z85.decode(text)).isEqualTo(data);
    }
}
