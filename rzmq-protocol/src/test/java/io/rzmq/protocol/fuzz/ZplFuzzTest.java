package io.rzmq.protocol.fuzz;

import io.rzmq.protocol.zpl.Zpl;
import io.rzmq.protocol.zpl.ZplException;
import io.rzmq.protocol.zpl.ZplNode;

import java.nio.charset.StandardCharsets;

import static io.rzmq.protocol.fuzz.Invariants.require;

/**
 * The ZPL reader (certificates, RFC 4) on arbitrary UTF-8 text.
 *
 * <p>Invariants: ZplException (the module's documented error) is the only thing that escapes; a refusal
 * names a line within the text; a tree that reads and that the writer accepts reads back the same.
 */
class ZplFuzzTest {
    @ProtocolFuzzTest
    void parse(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        ZplNode tree;
        try {
            tree = Zpl.parse(text);
        } catch (ZplException e) {
            long lines = text.chars().filter(c -> c == '\n' || c == '\r').count() + 1;
            require(e.line() >= 1 && e.line() <= lines, "ZplException names line " + e.line() + " of " + lines);
            return;
        }
        String written;
        try {
            written = Zpl.write(tree);
        } catch (ZplException e) {
            return; // values holding both quote kinds cannot be written: documented
        }
        ZplNode again = Zpl.parse(written);
        require(again.equals(tree), "ZPL tree does not survive write + parse:\n" + text + "\n---\n" + written);
    }
}
