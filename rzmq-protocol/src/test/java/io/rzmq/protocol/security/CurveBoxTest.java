package io.rzmq.protocol.security;

import io.rzmq.protocol.Frame;
import io.rzmq.protocol.ZmtpException;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The per-direction MESSAGE boxes: in-place sealing, and what one message costs. */
class CurveBoxTest {

    private static CurveMechanism[] connected() {
        CurveMechanism c = CurveMechanism.client(CurveMechanismTest.CLIENT, CurveMechanismTest.SERVER.publicKey(),
            Handshakes.ctx("DEALER", "c"));
        CurveMechanism s = CurveMechanism.server(CurveMechanismTest.SERVER, Handshakes.ctx("ROUTER", "s"));
        Handshakes.run(c, s);
        return new CurveMechanism[] {c, s};
    }

    @Test
    void sealedInPlaceOpensOnTheOtherSideAndTamperingIsDetected() {
        CurveMechanism[] pair = connected();
        Random r = new Random(9);
        byte[] block = new byte[4096];
        for (int i = 0; i < 200; i++) {
            byte[] payload = new byte[r.nextInt(1000)];
            r.nextBytes(payload);
            boolean more = r.nextBoolean();
            int size = pair[0].encodedSize(payload.length);
            assertThat(size).isEqualTo(33 + payload.length);
            int at = r.nextInt(block.length - size);
            pair[0].encodeInto(Frame.wrap(payload), more, false, block, at);
            Frame wire = Frame.wrap(block, at, size);
            if (i % 10 == 9) {
                byte[] bad = wire.toByteArray();
                bad[16 + r.nextInt(bad.length - 16)] ^= (byte) (1 << r.nextInt(8));
                assertThatThrownBy(() -> pair[1].decode(Frame.wrap(bad))).isInstanceOfSatisfying(ZmtpException.class,
                    e -> assertThat(e.kind()).isEqualTo(ZmtpException.Kind.CRYPTOGRAPHIC));
            }
            DecodedFrame got = pair[1].decode(wire);
            assertThat(got.payload().toByteArray()).isEqualTo(payload);
            assertThat(got.more()).isEqualTo(more);
            // replaying the same body is refused
            if (i % 10 == 5) {
                assertThatThrownBy(() -> pair[1].decode(wire)).isInstanceOfSatisfying(ZmtpException.class,
                    e -> assertThat(e.kind()).isEqualTo(ZmtpException.Kind.CRYPTOGRAPHIC));
            }
        }
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void sealingInPlaceAllocatesNothingAndOpeningOnlyThePlaintext() {
        CurveMechanism[] pair = connected();
        Frame payload = Frame.wrap(new byte[64]);
        int size = pair[0].encodedSize(64);
        int n = 20_000;
        byte[][] wire = new byte[n][size];
        for (int i = 0; i < n; i++) {
            pair[0].encodeInto(payload, false, false, wire[i], 0); // warm up on half the nonces
        }
        for (int i = 0; i < n / 2; i++) {
            pair[1].decode(Frame.wrap(wire[i]));
        }
        byte[] scratch = new byte[size];
        long before = allocatedBytes();
        for (int i = 0; i < n; i++) {
            pair[0].encodeInto(payload, false, false, scratch, 0);
        }
        long sealing = allocatedBytes() - before;
        Frame[] frames = new Frame[n / 2];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = Frame.wrap(wire[n / 2 + i]);
        }
        before = allocatedBytes();
        for (Frame f : frames) {
            pair[1].decode(f);
        }
        long opening = allocatedBytes() - before;
        assertThat(sealing).as("bytes allocated sealing " + n + " messages in place").isLessThan(64 * 1024);
        // The plaintext (16 + 64 bytes), its Frame and the DecodedFrame (24 each): no cipher state.
        assertThat(opening / frames.length).as("bytes allocated per opened 64-byte message").isLessThan(160);
    }
}
