package io.rzmq.protocol.fuzz;

import io.rzmq.protocol.ZmtpException;
import io.rzmq.protocol.wire.Greeting;
import io.rzmq.protocol.wire.GreetingDecoder;

import java.util.Objects;

import static io.rzmq.protocol.fuzz.Invariants.require;

/**
 * The greeting decoder on arbitrary bytes in arbitrary chunks. Input: chunk seed, then the bytes.
 *
 * <p>Invariants: only ZmtpException escapes; it never takes more than the 64 greeting bytes; a greeting it
 * accepts is a ZMTP 3.x greeting (FF signature, bit 0 of byte 9, major version 3 or more, a mechanism
 * name); and chunking changes nothing.
 */
class GreetingDecoderFuzzTest {
    record Outcome(int consumed, String summary, ZmtpException.Kind error) {
    }

    @ProtocolFuzzTest
    void feed(byte[] data) {
        FuzzInput in = new FuzzInput(data);
        int seed = in.u8();
        byte[] stream = in.rest();
        Outcome whole = run(stream, new int[] {stream.length});
        Outcome cut = run(stream, FuzzInput.chunks(stream.length, seed));
        require(whole.equals(cut), "chunking changed the greeting: at once " + whole + ", in chunks " + cut);
    }

    static Outcome run(byte[] stream, int[] chunks) {
        GreetingDecoder g = new GreetingDecoder();
        int[] consumed = {0};
        ZmtpException error = Invariants.protocolOnly(() -> {
            int off = 0;
            for (int len : chunks) {
                int n = g.feed(stream, off, len);
                require(n >= 0 && n <= len, "feed consumed " + n + " of " + len);
                require(n == len || g.isComplete(), "feed stopped early before the greeting was complete");
                consumed[0] += n;
                off += len;
            }
        });
        require(consumed[0] <= Greeting.SIZE, "greeting decoder took " + consumed[0] + " bytes");
        require(g.received() == consumed[0] || error != null, "received() disagrees with what feed consumed");
        String summary = "";
        if (error == null && g.isComplete()) {
            require((stream[0] & 0xFF) == 0xFF && (stream[9] & 1) == 1, "accepted a greeting without a ZMTP 3 signature");
            require(g.major() >= 3, "accepted major version " + g.major());
            String mechanism = Objects.requireNonNull(g.mechanism());
            require(!mechanism.isEmpty() && mechanism.length() <= Greeting.MECHANISM_SIZE, "mechanism '" + mechanism + "'");
            summary = g.major() + "." + g.minor() + " " + mechanism + " " + g.asServer() + " " + g.isAtLeast31();
        }
        return new Outcome(g.received(), summary, error == null ? null : error.kind());
    }
}
