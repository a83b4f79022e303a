package io.rzmq.protocol.wire;

import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Metadata;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Property names outside RFC 23's name-chars (libzmq accepts any bytes there): found by fuzzing the
 * command round trip, where a name such as {@code C3 A9} came back as {@code 3F} ('?').
 */
class PropertyNamesTest {
    @Test
    void aNameOutsideTheRfcSetSurvivesARoundTripByteForByte() {
        byte[] wire = {2, (byte) 0xC3, (byte) 0xA9, 0, 0, 0, 1, 'v', 1, (byte) 0xFF, 0, 0, 0, 0};
        Metadata md = Properties.decode(Frame.wrap(wire));
        assertThat(Properties.encode(md)).isEqualTo(wire);
        // Rebuilt from its names and values (as a duplicate name forces), the bytes are the same.
        Metadata rebuilt = md.toBuilder().build();
        assertThat(Properties.encode(rebuilt)).isEqualTo(wire);
        assertThat(md.get("\u00C3\u00A9")).hasValueSatisfying(v -> assertThat(v).containsExactly('v'));
    }

    @Test
    void aNameThatIsNotOneBytePerCharacterIsRefusedWhenBuilt() {
        assertThatThrownBy(() -> Metadata.builder().put("X-\u20AC", "euro"))
            .isInstanceOf(IllegalArgumentException.class);
    }
}
