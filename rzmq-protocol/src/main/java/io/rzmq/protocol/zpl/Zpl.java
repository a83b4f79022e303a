package io.rzmq.protocol.zpl;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes ZPL (ZeroMQ RFC 4).
 *
 * <p>Reading follows the RFC: a line ending is LF, CR or CRLF; text from '#' is a comment (outside
 * quotes); blank and comment-only lines are skipped; each other line is {@code name} or
 * {@code name = value}, indented 4 spaces per level below its parent; a value wholly enclosed in single
 * or double quotes loses the quotes (there are no escapes), and a value that starts with a quote but does
 * not end with the matching one is taken unquoted; whitespace after a value is dropped. Anything else
 * (an indent that is not a multiple of 4 spaces, a tab in the indent, a child two levels below its
 * parent, a name with characters outside RFC 4's set, junk after a name) is a {@link ZplException}
 * naming the line: a certificate that does not parse is refused, never half read.
 *
 * <p>Writing emits what CZMQ's zconfig writes: header comments as {@code #text} lines then a blank line,
 * 4-space indents, and every value quoted (double quotes, or single quotes when the value holds a double
 * quote), so values with '#', '=' or edge whitespace survive a round trip.
 */
public final class Zpl {
    private Zpl() {
    }

    /**
     * Parses {@code text} into a tree whose root (named "") holds the top-level properties.
     *
     * @throws ZplException on a line that breaks the grammar
     */
    public static ZplNode parse(String text) {
        Builder root = new Builder("", null);
        List<Builder> open = new ArrayList<>();
        open.add(root);
        int lineNo = 0;
        // A byte-order mark (some editors write one) is not part of the first name.
        int pos = text.startsWith("\uFEFF") ? 1 : 0;
        int n = text.length();
        while (pos < n) {
            int end = pos;
            while (end < n && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
                end++;
            }
            String line = text.substring(pos, end);
            lineNo++;
            if (end < n && text.charAt(end) == '\r' && end + 1 < n && text.charAt(end + 1) == '\n') {
                pos = end + 2;
            } else {
                pos = end + 1;
            }
            parseLine(line, lineNo, open);
        }
        return root.build();
    }

    private static void parseLine(String raw, int lineNo, List<Builder> open) {
        String line = stripTrailing(raw);
        int indent = 0;
        while (indent < line.length() && line.charAt(indent) == ' ') {
            indent++;
        }
        if (indent == line.length()) {
            return; // blank
        }
        char first = line.charAt(indent);
        if (first == '#') {
            return; // comment line
        }
        if (first == '\t') {
            throw new ZplException(lineNo, "indent with spaces (4 per level), not tabs");
        }
        if (indent % 4 != 0) {
            throw new ZplException(lineNo, "indent of " + indent + " spaces; indents are multiples of 4");
        }
        int level = indent / 4;
        if (level > open.size() - 1) {
            throw new ZplException(lineNo, "indented " + level + " levels but its parent is at level "
                + (open.size() - 2) + "; a child is indented 4 spaces more than its parent");
        }
        int p = indent;
        while (p < line.length() && isNameChar(line.charAt(p))) {
            p++;
        }
        String name = line.substring(indent, p);
        if (name.isEmpty()) {
            throw new ZplException(lineNo, "expected a name, found '" + line.charAt(indent) + "'");
        }
        if (name.startsWith("/") || name.endsWith("/")) {
            throw new ZplException(lineNo, "a name may not start or end with '/': " + name);
        }
        p = skipBlanks(line, p);
        String value = null;
        if (p < line.length() && line.charAt(p) == '=') {
            value = parseValue(line, skipBlanks(line, p + 1));
        } else if (p < line.length() && line.charAt(p) != '#') {
            throw new ZplException(lineNo, "expected '=' or the end of the line after name '" + name
                + "', found '" + line.charAt(p) + "'");
        }
        Builder node = new Builder(name, value);
        Builder parent = open.get(level);
        parent.children.add(node);
        while (open.size() > level + 1) {
            open.remove(open.size() - 1);
        }
        open.add(node);
    }

    private static String parseValue(String line, int p) {
        if (p >= line.length()) {
            return "";
        }
        char q = line.charAt(p);
        if (q == '"' || q == '\'') {
            int close = line.indexOf(q, p + 1);
            if (close > 0) {
                int after = skipBlanks(line, close + 1);
                if (after == line.length() || line.charAt(after) == '#') {
                    return line.substring(p + 1, close);
                }
            }
            // RFC 4: a value that starts with a quote and does not end in a matching quote is unquoted.
        }
        int hash = line.indexOf('#', p);
        String v = hash < 0 ? line.substring(p) : line.substring(p, hash);
        return stripTrailing(v);
    }

    /**
     * Writes {@code root}'s children as ZPL, after {@code headerComments} (each written as '#' followed
     * by the text, then one blank line when there are any).
     *
     * @throws ZplException when a name is not a valid ZPL name, or a value or comment cannot be written
     *         (a line break, or a value holding both kinds of quote)
     */
    public static String write(ZplNode root, List<String> headerComments) {
        StringBuilder out = new StringBuilder(256);
        for (String c : headerComments) {
            if (c.indexOf('\n') >= 0 || c.indexOf('\r') >= 0) {
                throw new ZplException("a comment cannot hold a line break");
            }
            out.append('#').append(c).append('\n');
        }
        if (!headerComments.isEmpty()) {
            out.append('\n');
        }
        for (ZplNode child : root.children()) {
            write(child, 0, out);
        }
        return out.toString();
    }

    /** {@link #write(ZplNode, List)} without a header. */
    public static String write(ZplNode root) {
        return write(root, List.of());
    }

    private static void write(ZplNode node, int level, StringBuilder out) {
        checkName(node.name());
        out.append("    ".repeat(level)).append(node.name());
        if (node.value() != null) {
            out.append(" = ").append(quote(node.name(), node.value()));
        }
        out.append('\n');
        for (ZplNode child : node.children()) {
            write(child, level + 1, out);
        }
    }

    private static String quote(String name, String value) {
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw new ZplException("the value of '" + name + "' holds a line break, which ZPL cannot carry");
        }
        boolean dq = value.indexOf('"') >= 0;
        if (dq && value.indexOf('\'') >= 0) {
            throw new ZplException("the value of '" + name + "' holds both kinds of quote; ZPL has no escapes");
        }
        char q = dq ? '\'' : '"';
        return q + value + q;
    }

    /**
     * Checks {@code name} against RFC 4's grammar (ALPHA, DIGIT and {@code $ - _ @ . & + /}, not empty,
     * no '/' at either end).
     *
     * @throws ZplException when it does not match
     */
    public static String checkName(String name) {
        if (!isValidName(name)) {
            throw new ZplException("'" + name + "' is not a ZPL name (letters, digits and $-_@.&+/, "
                + "not empty, no '/' at either end)");
        }
        return name;
    }

    /** Whether {@code name} is a valid ZPL property name. */
    public static boolean isValidName(String name) {
        if (name == null || name.isEmpty() || name.startsWith("/") || name.endsWith("/")) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (!isNameChar(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || c == '$' || c == '-' || c == '_' || c == '@' || c == '.' || c == '&' || c == '+' || c == '/';
    }

    private static int skipBlanks(String s, int p) {
        while (p < s.length() && (s.charAt(p) == ' ' || s.charAt(p) == '\t')) {
            p++;
        }
        return p;
    }

    private static String stripTrailing(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) {
            end--;
        }
        return s.substring(0, end);
    }

    /** Mutable node used while parsing. */
    private static final class Builder {
        final String name;
        final String value;
        final List<Builder> children = new ArrayList<>();

        Builder(String name, String value) {
            this.name = name;
            this.value = value;
        }

        ZplNode build() {
            List<ZplNode> built = new ArrayList<>(children.size());
            for (Builder b : children) {
                built.add(b.build());
            }
            return new ZplNode(name, value, built);
        }
    }
}
