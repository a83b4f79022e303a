package io.rzmq.protocol.wire;

import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Metadata;
import io.rzmq.protocol.ZmtpException;

import java.nio.charset.StandardCharsets;

/**
 * Builds and parses the bodies (name length, name, data) of the ZMTP commands the connection itself
 * handles: READY, ERROR, PING, PONG, SUBSCRIBE, CANCEL; and the ZMTP/3.0 subscription message.
 * Parsers throw {@link ZmtpException} PROTOCOL for truncated or malformed bodies.
 */
public final class Commands {
    public static final String READY = "READY";
    public static final String ERROR = "ERROR";
    public static final String PING = "PING";
    public static final String PONG = "PONG";
    public static final String SUBSCRIBE = "SUBSCRIBE";
    public static final String CANCEL = "CANCEL";
    /** Largest PING context (RFC 37). */
    public static final int MAX_PING_CONTEXT = 16;

    private Commands() {
    }

    /** A PING: TTL in deciseconds (0 = none) and the context to echo. */
    public record Ping(int ttlDeciseconds, Frame context) {
    }

    /** READY with the given properties. */
    public static Frame ready(Metadata properties) {
        return CommandBody.of(READY, Properties.encode(properties));
    }

    /** The properties of a READY body. */
    public static Metadata parseReady(Frame body) {
        if (!CommandBody.is(body, READY)) {
            throw ZmtpException.protocol("expected READY, got " + describe(body));
        }
        return Properties.decode(CommandBody.data(body));
    }

    /** ERROR with a reason of at most 255 bytes (longer reasons are cut). */
    public static Frame error(String reason) {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        int len = Math.min(255, r.length);
        byte[] data = new byte[1 + len];
        data[0] = (byte) len;
        System.arraycopy(r, 0, data, 1, len);
        return CommandBody.of(ERROR, data);
    }

    /** The reason of an ERROR body. */
    public static String parseError(Frame body) {
        if (!CommandBody.is(body, ERROR)) {
            throw ZmtpException.protocol("expected ERROR, got " + describe(body));
        }
        Frame data = CommandBody.data(body);
        if (data.isEmpty()) {
            throw ZmtpException.protocol("ERROR command without its reason length");
        }
        int len = data.get(0) & 0xFF;
        if (len > data.size() - 1) {
            throw ZmtpException.protocol("ERROR reason declares " + len + " bytes but " + (data.size() - 1) + " remain");
        }
        return data.slice(1, len).asString();
    }

    /** PING with a TTL in deciseconds (0..65535) and a context of at most 16 bytes. */
    public static Frame ping(int ttlDeciseconds, Frame context) {
        if (ttlDeciseconds < 0 || ttlDeciseconds > 0xFFFF) {
            throw new IllegalArgumentException("PING TTL must be 0..65535 deciseconds: " + ttlDeciseconds);
        }
        if (context.size() > MAX_PING_CONTEXT) {
            throw new IllegalArgumentException("PING context must be at most 16 bytes: " + context.size());
        }
        byte[] data = new byte[2 + context.size()];
        data[0] = (byte) (ttlDeciseconds >>> 8);
        data[1] = (byte) ttlDeciseconds;
        context.copyTo(data, 2);
        return CommandBody.of(PING, data);
    }

    /**
     * Parses a PING body. A context longer than 16 bytes is cut to 16, as libzmq does, rather than
     * refused.
     */
    public static Ping parsePing(Frame body) {
        if (!CommandBody.is(body, PING)) {
            throw ZmtpException.protocol("expected PING, got " + describe(body));
        }
        Frame data = CommandBody.data(body);
        if (data.size() < 2) {
            throw ZmtpException.protocol("PING command of " + body.size() + " bytes lacks its 2-byte TTL");
        }
        int ttl = ((data.get(0) & 0xFF) << 8) | (data.get(1) & 0xFF);
        return new Ping(ttl, data.slice(2, Math.min(MAX_PING_CONTEXT, data.size() - 2)));
    }

    /** PONG echoing a PING's context. */
    public static Frame pong(Frame context) {
        return CommandBody.of(PONG, context.toByteArray());
    }

    /** The context of a PONG body. */
    public static Frame parsePong(Frame body) {
        if (!CommandBody.is(body, PONG)) {
            throw ZmtpException.protocol("expected PONG, got " + describe(body));
        }
        return CommandBody.data(body);
    }

    /** The ZMTP/3.1 SUBSCRIBE command for {@code topic}. */
    public static Frame subscribe(Frame topic) {
        return CommandBody.of(SUBSCRIBE, topic.toByteArray());
    }

    /** The ZMTP/3.1 CANCEL command for {@code topic}. */
    public static Frame cancel(Frame topic) {
        return CommandBody.of(CANCEL, topic.toByteArray());
    }

    /** The ZMTP/3.0 form: a one-frame data message, 1 (subscribe) or 0 (cancel) then the topic. */
    public static Frame subscriptionMessage(Frame topic, boolean subscribe) {
        byte[] out = new byte[1 + topic.size()];
        out[0] = (byte) (subscribe ? 1 : 0);
        topic.copyTo(out, 1);
        return Frame.wrap(out);
    }

    /** A short printable description of a command body for error messages. */
    public static String describe(Frame body) {
        if (body.isEmpty()) {
            return "an empty command";
        }
        int len = body.get(0) & 0xFF;
        if (len == 0 || len > body.size() - 1) {
            return "a malformed command (name length " + len + " in " + body.size() + " bytes)";
        }
        return body.slice(1, len).toString();
    }
}
