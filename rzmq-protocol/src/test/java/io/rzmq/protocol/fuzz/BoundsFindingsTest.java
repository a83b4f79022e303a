package io.rzmq.protocol.fuzz;

import io.rzmq.protocol.Frame;
import io.rzmq.protocol.ZmtpException;
import io.rzmq.protocol.wire.Properties;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What fuzzing showed in code the {@code bounds} branch owns (wire/Properties), kept here, disabled, until
 * that branch is merged and can take the fix. Enable it together with the fix.
 */
class BoundsFindingsTest {
    /**
     * A property name must be RFC 23's name-chars (ALPHA, DIGIT, "-", "_", ".", "+"). Properties.decode
     * takes any bytes, decodes them as UTF-8, and Properties.encode writes the name back as US-ASCII: the
     * name {@code C3 A9} ("é") is re-sent as {@code 3F} ("?"), one byte shorter, and 0xFF becomes U+FFFD.
     * Found by reading the round trip CommandsFuzzTest checks; the fix is to refuse such names (PROTOCOL).
     */
    @Disabled("bounds: Properties.decode accepts property names outside RFC 23's set; fix in wire/Properties")
    @Test
    void propertyNamesOutsideTheRfcSetAreRefused() {
        byte[] nonAscii = {2, (byte) 0xC3, (byte) 0xA9, 0, 0, 0, 1, 'v'};
        assertThatThrownBy(() -> Properties.decode(Frame.wrap(nonAscii))).isInstanceOf(ZmtpException.class);
        byte[] control = {1, 0x01, 0, 0, 0, 0};
        assertThatThrownBy(() -> Properties.decode(Frame.wrap(control))).isInstanceOf(ZmtpException.class);
    }
}
