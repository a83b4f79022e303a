package io.rzmq.protocol.security;

import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Metadata;
import io.rzmq.protocol.ZmtpException;
import io.rzmq.protocol.wire.Properties;

import java.util.ArrayList;
import java.util.List;

/**
 * ZAP (RFC 27) messages as frames. A request travels to the handler bound at {@link #ENDPOINT} as
 * {@code "" "1.0" request-id domain address identity mechanism credentials...}; the reply comes back as
 * {@code "" "1.0" request-id status-code status-text user-id metadata}. The leading empty frame is the
 * envelope delimiter libzmq writes on its ZAP pipe; the decoders accept frames with or without it (a REP
 * handler sees them without), which is unambiguous because the version frame is never empty.
 *
 * <p>Malformed input is a {@link ZmtpException} of kind PROTOCOL with a message naming the bad frame.
 */
public final class ZapCodec {
    /** Where a ZAP handler binds. */
    public static final String ENDPOINT = "inproc://zeromq.zap.01";
    /** The only ZAP version. */
    public static final String VERSION = "1.0";

    private static final Frame VERSION_FRAME = Frame.of(VERSION);

    private ZapCodec() {
    }

    /** The request's frames, starting with the empty delimiter. */
    public static List<Frame> encodeRequest(ZapRequest request) {
        List<Frame> frames = new ArrayList<>(7 + request.credentials().size());
        frames.add(Frame.EMPTY);
        frames.add(VERSION_FRAME);
        frames.add(Frame.copyOf(request.requestId()));
        frames.add(Frame.of(request.domain()));
        frames.add(Frame.of(request.address()));
        frames.add(Frame.copyOf(request.identity()));
        frames.add(Frame.of(request.mechanism()));
        for (byte[] credential : request.credentials()) {
            frames.add(Frame.copyOf(credential));
        }
        return frames;
    }

    /**
     * Parses a request (for a ZAP handler): the version must be "1.0" and the credentials must fit the
     * mechanism (NULL: none, PLAIN: username and password, CURVE: one 32-byte key).
     *
     * @throws ZmtpException PROTOCOL naming what is wrong
     */
    public static ZapRequest decodeRequest(List<Frame> frames) {
        int first = skipDelimiter(frames);
        int n = frames.size() - first;
        if (n < 6) {
            throw ZmtpException.protocol("ZAP request has " + n + " frames after the delimiter; at least 6 are required");
        }
        checkVersion(frames.get(first), "request");
        String mechanism = frames.get(first + 5).asString();
        int credentials = n - 6;
        switch (mechanism) {
            case "NULL" -> expectCredentials(mechanism, credentials, 0);
            case "PLAIN" -> expectCredentials(mechanism, credentials, 2);
            case "CURVE" -> {
                expectCredentials(mechanism, credentials, 1);
                if (frames.get(first + 6).size() != CurveKeyPair.KEY_BYTES) {
                    throw ZmtpException.protocol("ZAP CURVE request carries a " + frames.get(first + 6).size()
                        + "-byte key; 32 bytes are required");
                }
            }
            default -> throw ZmtpException.protocol("ZAP request names an unknown mechanism '" + mechanism + "'");
        }
        List<byte[]> creds = new ArrayList<>(credentials);
        for (int i = 0; i < credentials; i++) {
            creds.add(frames.get(first + 6 + i).toByteArray());
        }
        return new ZapRequest(frames.get(first + 1).toByteArray(), frames.get(first + 2).asString(),
            frames.get(first + 3).asString(), frames.get(first + 4).toByteArray(), mechanism, List.copyOf(creds));
    }

    /** The reply's frames, starting with the empty delimiter. */
    public static List<Frame> encodeReply(ZapReply reply) {
        checkStatusCode(reply.statusCode());
        List<Frame> frames = new ArrayList<>(7);
        frames.add(Frame.EMPTY);
        frames.add(VERSION_FRAME);
        frames.add(Frame.copyOf(reply.requestId()));
        frames.add(Frame.of(reply.statusCode()));
        frames.add(Frame.of(reply.statusText() == null ? "" : reply.statusText()));
        frames.add(Frame.of(reply.userId() == null ? "" : reply.userId()));
        Metadata md = reply.metadata() == null ? Metadata.EMPTY : reply.metadata();
        frames.add(Frame.wrap(Properties.encode(md)));
        return frames;
    }

    /**
     * Parses a handler's reply: exactly 7 frames (6 without the delimiter), version "1.0", a status code
     * of 200, 300, 400 or 500, and a metadata frame that is a valid property list.
     *
     * @throws ZmtpException PROTOCOL naming what is wrong
     */
    public static ZapReply decodeReply(List<Frame> frames) {
        int first = skipDelimiter(frames);
        int n = frames.size() - first;
        if (n != 6) {
            throw ZmtpException.protocol("ZAP reply has " + n + " frames after the delimiter; exactly 6 are required "
                + "(version, request id, status code, status text, user id, metadata)");
        }
        checkVersion(frames.get(first), "reply");
        String code = frames.get(first + 2).asString();
        checkStatusCode(code);
        Metadata metadata;
        try {
            metadata = Properties.decode(frames.get(first + 5));
        } catch (ZmtpException e) {
            throw ZmtpException.protocol("ZAP reply metadata is malformed: " + e.getMessage());
        }
        return new ZapReply(frames.get(first + 1).toByteArray(), code, frames.get(first + 3).asString(),
            frames.get(first + 4).asString(), metadata);
    }

    private static int skipDelimiter(List<Frame> frames) {
        return !frames.isEmpty() && frames.get(0).isEmpty() ? 1 : 0;
    }

    private static void checkVersion(Frame version, String what) {
        if (!version.equals(VERSION_FRAME)) {
            throw ZmtpException.protocol("ZAP " + what + " has version " + version + "; only \"1.0\" is known");
        }
    }

    private static void checkStatusCode(String code) {
        if (!("200".equals(code) || "300".equals(code) || "400".equals(code) || "500".equals(code))) {
            throw ZmtpException.protocol("ZAP status code must be 200, 300, 400 or 500; got '" + code + "'");
        }
    }

    private static void expectCredentials(String mechanism, int got, int expected) {
        if (got != expected) {
            throw ZmtpException.protocol("ZAP " + mechanism + " request carries " + got + " credential frames; "
                + expected + " expected");
        }
    }
}
