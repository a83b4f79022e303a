package io.rzmq.protocol.wire;

import io.rzmq.protocol.Frame;
import io.rzmq.protocol.ZmtpException;

import java.nio.charset.StandardCharsets;

/** The body of a command frame: {@code name-length(1) name data}. */
public final class CommandBody {
    private CommandBody() {
    }

    /** Builds a command body from its name and data. */
    public static Frame of(String name, byte[] data) {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[1 + n.length + data.length];
        out[0] = (byte) n.length;
        System.arraycopy(n, 0, out, 1, n.length);
        System.arraycopy(data, 0, out, 1 + n.length, data.length);
        return Frame.wrap(out);
    }

    /**
     * The command's name.
     *
     * @throws ZmtpException PROTOCOL when the body is empty or the name runs past its end
     */
    public static String name(Frame body) {
        if (body.isEmpty()) {
            throw ZmtpException.protocol("empty command frame");
        }
        int len = body.get(0) & 0xFF;
        if (len == 0 || len > body.size() - 1) {
            throw ZmtpException.protocol("command name length " + len + " does not fit a " + body.size() + "-byte command");
        }
        return body.slice(1, len).asString();
    }

    /** True when the body's name equals {@code name} (exact, as the RFCs spell command names). */
    public static boolean is(Frame body, String name) {
        int len = name.length();
        if (body.size() < 1 + len || (body.get(0) & 0xFF) != len) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (body.get(1 + i) != (byte) name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The data after the name. */
    public static Frame data(Frame body) {
        int len = body.get(0) & 0xFF;
        return body.slice(1 + len, body.size() - 1 - len);
    }
}
