package io.rzmq.protocol.wire;

import io.rzmq.protocol.ZmtpException;
import org.junit.jupiter.api.Test;

import static io.rzmq.protocol.wire.Bytes.of;
import static io.rzmq.protocol.wire.Bytes.zeros;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GreetingTest {
    private static final byte[] SIGNATURE = of(0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0x7F);

    @Test
    void nullGreetingIsByteExact() {
        byte[] expected = of(SIGNATURE, 3, 1, "NULL", zeros(16), 0, zeros(31));
        assertThat(expected).hasSize(64);
        assertThat(Greeting.encode("NULL", false)).isEqualTo(expected);
    }

    @Test
    void plainAndCurveGreetingsCarryNameAndRole() {
        assertThat(Greeting.encode("PLAIN", true)).isEqualTo(of(SIGNATURE, 3, 1, "PLAIN", zeros(15), 1, zeros(31)));
        assertThat(Greeting.encode("CURVE", true)).isEqualTo(of(SIGNATURE, 3, 1, "CURVE", zeros(15), 1, zeros(31)));
        assertThat(Greeting.encode("CURVE", false)).isEqualTo(of(SIGNATURE, 3, 1, "CURVE", zeros(15), 0, zeros(31)));
    }

    @Test
    void signatureAndTailMakeTheWholeGreeting() {
        assertThat(Greeting.signature()).isEqualTo(SIGNATURE);
        assertThat(of(Greeting.signature(), Greeting.tail("PLAIN", true))).isEqualTo(Greeting.encode("PLAIN", true));
    }

    @Test
    void decodesOneByteAtATime() {
        byte[] g = of(0xFF, 9, 9, 9, 9, 9, 9, 9, 9, 0x7F, 3, 0, "CURVE", zeros(15), 1, zeros(31));
        GreetingDecoder d = new GreetingDecoder();
        for (int i = 0; i < g.length; i++) {
            assertThat(d.signatureReceived()).isEqualTo(i >= 10);
            assertThat(d.isComplete()).isFalse();
            assertThat(d.feed(g, i, 1)).isEqualTo(1);
        }
        assertThat(d.isComplete()).isTrue();
        assertThat(d.major()).isEqualTo(3);
        assertThat(d.minor()).isEqualTo(0);
        assertThat(d.isAtLeast31()).isFalse();
        assertThat(d.mechanism()).isEqualTo("CURVE");
        assertThat(d.asServer()).isTrue();
    }

    @Test
    void consumesOnlyTheGreeting() {
        byte[] g = of(Greeting.encode("NULL", false), 4, 0x29);
        GreetingDecoder d = new GreetingDecoder();
        assertThat(d.feed(g, 0, g.length)).isEqualTo(64);
        assertThat(d.isAtLeast31()).isTrue();
        assertThat(d.feed(g, 64, 2)).isZero();
    }

    @Test
    void zmtp10PeerIsRefusedOnItsFirstByte() {
        GreetingDecoder d = new GreetingDecoder();
        // ZMTP 1.0 starts with the identity frame's length byte.
        assertThatThrownBy(() -> d.feed(of(0x01, 0x00), 0, 2))
            .isInstanceOfSatisfying(ZmtpException.class, e -> {
                assertThat(e.kind()).isEqualTo(ZmtpException.Kind.PROTOCOL);
                assertThat(e.getMessage()).contains("older ZMTP").contains("1.0");
            });
    }

    @Test
    void signatureWithoutBit0IsZmtp10() {
        GreetingDecoder d = new GreetingDecoder();
        byte[] sig = of(0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0x7E);
        assertThatThrownBy(() -> d.feed(sig, 0, sig.length))
            .isInstanceOfSatisfying(ZmtpException.class, e -> {
                assertThat(e.kind()).isEqualTo(ZmtpException.Kind.PROTOCOL);
                assertThat(e.getMessage()).contains("older ZMTP");
            });
    }

    @Test
    void zmtp20PeerIsRefusedOnItsRevisionByte() {
        GreetingDecoder d = new GreetingDecoder();
        d.feed(SIGNATURE, 0, 10);
        // A ZMTP 2.0 peer sends revision 0x01 and then waits: we must decide with this byte alone.
        assertThatThrownBy(() -> d.feed(of(0x01), 0, 1))
            .isInstanceOfSatisfying(ZmtpException.class, e -> {
                assertThat(e.kind()).isEqualTo(ZmtpException.Kind.PROTOCOL);
                assertThat(e.getMessage()).contains("older ZMTP").contains("2.0");
            });
    }

    @Test
    void emptyMechanismNameIsRefused() {
        byte[] g = of(SIGNATURE, 3, 1, zeros(20), 0, zeros(31));
        GreetingDecoder d = new GreetingDecoder();
        assertThatThrownBy(() -> d.feed(g, 0, g.length))
            .isInstanceOfSatisfying(ZmtpException.class, e -> assertThat(e.kind()).isEqualTo(ZmtpException.Kind.PROTOCOL));
    }
}
