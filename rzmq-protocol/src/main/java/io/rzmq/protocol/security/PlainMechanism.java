package io.rzmq.protocol.security;

import io.rzmq.protocol.Frame;
import io.rzmq.protocol.ZmtpException;
import io.rzmq.protocol.wire.CommandBody;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * PLAIN (RFC 24) as libzmq 4.3 speaks it. Client: HELLO(username, password), then WELCOME, INITIATE
 * with our metadata, then READY with the server's. Server: checks HELLO and asks ZAP with the username
 * and password; then WELCOME, INITIATE, READY. Without a ZAP handler ({@link HandshakeContext#zapEnabled()}
 * false) the server refuses every client, as libzmq 4.3's plain_server does (unlike CURVE, which admits).
 * A ZAP refusal (400/500) sends ERROR with the status code; 300 closes without ERROR.
 *
 * <p>libzmq 4.3 spells the PLAIN ERROR command's name as the bytes {@code 5E 'RROR'} (a C hex escape
 * swallows the 'E'), and its PLAIN client recognises only that form. We send the RFC form
 * ({@code 05 'ERROR'}) and accept both forms from the peer; a libzmq PLAIN client therefore reports our
 * refusal as a protocol failure rather than an authentication failure, and closes either way.
 *
 * <p>PLAIN sends the password in clear text; frames after the handshake pass unchanged.
 */
public final class PlainMechanism extends HandshakeMechanism {
    private enum State { SEND_HELLO, EXPECT_WELCOME, SEND_INITIATE, EXPECT_READY,
        EXPECT_HELLO, SEND_WELCOME, EXPECT_INITIATE, SEND_READY, DONE }

    private final boolean server;
    private final byte[] username;
    private final byte[] password;
    private State state;

    private PlainMechanism(boolean server, byte[] username, byte[] password, HandshakeContext ctx) {
        super(ctx);
        this.server = server;
        this.username = username;
        this.password = password;
        this.state = server ? State.EXPECT_HELLO : State.SEND_HELLO;
    }

    /**
     * A client that logs in with {@code username} and {@code password} (UTF-8, at most 255 bytes each).
     *
     * @throws IllegalArgumentException when a credential is longer than 255 bytes
     */
    public static PlainMechanism client(String username, String password, HandshakeContext ctx) {
        return client(username.getBytes(StandardCharsets.UTF_8), password.getBytes(StandardCharsets.UTF_8), ctx);
    }

    /** A client with raw credentials (at most 255 bytes each). */
    public static PlainMechanism client(byte[] username, byte[] password, HandshakeContext ctx) {
        return new PlainMechanism(false, checkLength(username, "username"), checkLength(password, "password"), ctx);
    }

    /** A server; credentials are checked by the ZAP handler when {@code ctx.zapEnabled()}. */
    public static PlainMechanism server(HandshakeContext ctx) {
        return new PlainMechanism(true, null, null, ctx);
    }

    @Override
    public String name() {
        return "PLAIN";
    }

    @Override
    public boolean asServer() {
        return server;
    }

    @Override
    Frame produce() {
        switch (state) {
            case SEND_HELLO -> {
                byte[] data = new byte[2 + username.length + password.length];
                data[0] = (byte) username.length;
                System.arraycopy(username, 0, data, 1, username.length);
                data[1 + username.length] = (byte) password.length;
                System.arraycopy(password, 0, data, 2 + username.length, password.length);
                state = State.EXPECT_WELCOME;
                return CommandBody.of("HELLO", data);
            }
            case SEND_INITIATE -> {
                state = State.EXPECT_READY;
                return CommandBody.of("INITIATE", localProperties());
            }
            case SEND_WELCOME -> {
                state = State.EXPECT_INITIATE;
                return CommandBody.of("WELCOME", new byte[0]);
            }
            case SEND_READY -> {
                state = State.DONE;
                return CommandBody.of("READY", localProperties());
            }
            default -> {
                return null;
            }
        }
    }

    @Override
    void consume(Frame body) {
        switch (state) {
            case EXPECT_HELLO -> {
                expect(body, "HELLO");
                processHello(CommandBody.data(body));
            }
            case EXPECT_WELCOME -> {
                expect(body, "WELCOME");
                if (!CommandBody.data(body).isEmpty()) {
                    throw ZmtpException.protocol("PLAIN WELCOME must carry no data; got "
                        + CommandBody.data(body).size() + " bytes");
                }
                state = State.SEND_INITIATE;
            }
            case EXPECT_INITIATE -> {
                expect(body, "INITIATE");
                setPeerMetadata(CommandBody.data(body));
                state = State.SEND_READY;
            }
            case EXPECT_READY -> {
                expect(body, "READY");
                setPeerMetadata(CommandBody.data(body));
                state = State.DONE;
            }
            default -> throw ZmtpException.protocol("PLAIN " + (server ? "server" : "client")
                + " did not expect a command now (state " + state + ")");
        }
    }

    private void processHello(Frame data) {
        int pos = 0;
        if (data.size() < 1) {
            throw ZmtpException.protocol("PLAIN HELLO carries no username");
        }
        int userLen = data.get(pos++) & 0xFF;
        if (data.size() - pos < userLen + 1) {
            throw ZmtpException.protocol("PLAIN HELLO username or password length runs past the command");
        }
        byte[] user = data.slice(pos, userLen).toByteArray();
        pos += userLen;
        int passLen = data.get(pos++) & 0xFF;
        if (data.size() - pos < passLen) {
            throw ZmtpException.protocol("PLAIN HELLO password length runs past the command");
        }
        byte[] pass = data.slice(pos, passLen).toByteArray();
        pos += passLen;
        if (pos != data.size()) {
            throw ZmtpException.protocol("PLAIN HELLO has " + (data.size() - pos) + " extra bytes after the password");
        }
        if (!ctx.zapEnabled()) {
            // libzmq 4.3's plain_server fails the handshake (no ERROR command, HANDSHAKE_FAILED_NO_DETAIL)
            // when it cannot reach a ZAP handler: PLAIN credentials are never admitted unchecked.
            throw new ZmtpException(ZmtpException.Kind.NO_ZAP_HANDLER,
                "PLAIN server has no ZAP handler to check the credentials; client refused");
        }
        state = State.SEND_WELCOME;
        requestZap(List.of(user, pass));
    }

    @Override
    boolean handshakeDone() {
        return state == State.DONE;
    }

    @Override
    void zapAccepted() {
        // state is already SEND_WELCOME
    }

    @Override
    public boolean encrypts() {
        return false;
    }

    @Override
    public Frame encode(Frame payload, boolean more, boolean command) {
        throw new UnsupportedOperationException("PLAIN does not wrap frames");
    }

    @Override
    public DecodedFrame decode(Frame messageCommandBody) {
        throw new UnsupportedOperationException("PLAIN does not wrap frames");
    }

    private void expect(Frame body, String name) {
        if (!CommandBody.is(body, name)) {
            throw ZmtpException.protocol("PLAIN " + (server ? "server" : "client") + " expected " + name
                + ", got " + describe(body));
        }
    }

    static String describe(Frame body) {
        try {
            return "'" + CommandBody.name(body) + "'";
        } catch (ZmtpException e) {
            return "a malformed command";
        }
    }

    private static byte[] checkLength(byte[] value, String what) {
        if (value.length > 255) {
            throw new IllegalArgumentException("PLAIN " + what + " must be at most 255 bytes, got " + value.length);
        }
        return value.clone();
    }
}
