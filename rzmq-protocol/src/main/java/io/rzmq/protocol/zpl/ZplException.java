package io.rzmq.protocol.zpl;

/** A ZPL text that breaks RFC 4, or a tree that cannot be written as ZPL; names the line when parsing. */
public final class ZplException extends IllegalArgumentException {
    private final int line;

    public ZplException(int line, String message) {
        super(line > 0 ? "ZPL line " + line + ": " + message : message);
        this.line = line;
    }

    public ZplException(String message) {
        this(0, message);
    }

    /** The 1-based line that is wrong, or 0 when the problem is not in a parsed text. */
    public int line() {
        return line;
    }
}
