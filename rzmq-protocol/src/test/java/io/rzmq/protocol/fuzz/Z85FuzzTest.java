package io.rzmq.protocol.fuzz;

import io.rzmq.protocol.security.Z85;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static io.rzmq.protocol.fuzz.Invariants.require;

/**
 * Z85 both ways. Input: mode byte (bit 0: decode the rest as ISO-8859-1 text; else encode it as bytes),
 * then the data.
 *
 * <p>Invariants: IllegalArgumentException (Z85's documented error) is the only thing that escapes;
 * decoding is strict, so whatever decodes re-encodes to exactly the same text; whatever encodes decodes
 * back to the same bytes; sizes are 4:5.
 */
class Z85FuzzTest {
    @ProtocolFuzzTest
    void roundTrip(byte[] data) {
        FuzzInput in = new FuzzInput(data);
        boolean decode = in.bool();
        byte[] rest = in.rest();
        if (decode) {
            String text = new String(rest, StandardCharsets.ISO_8859_1);
            byte[] bytes;
            try {
                bytes = Z85.decode(text);
            } catch (IllegalArgumentException e) {
                require(e.getMessage() != null, "Z85 error without a message");
                return;
            }
            require(bytes.length == text.length() / 5 * 4, "decoded " + bytes.length + " bytes from " + text.length() + " chars");
            require(Z85.encode(bytes).equals(text), "Z85 text does not survive decode + encode: '" + text + "'");
        } else {
            String text;
            try {
                text = Z85.encode(rest);
            } catch (IllegalArgumentException e) {
                require(rest.length % 4 != 0, "Z85 refused " + rest.length + " bytes, a whole number of groups");
                return;
            }
            require(text.length() == rest.length / 4 * 5, "encoded " + rest.length + " bytes as " + text.length() + " chars");
            require(Arrays.equals(Z85.decode(text), rest), "bytes do not survive encode + decode");
        }
    }
}
