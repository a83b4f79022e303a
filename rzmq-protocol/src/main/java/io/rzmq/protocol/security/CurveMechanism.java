package io.rzmq.protocol.security;

import io.rzmq.protocol.Frame;
import io.rzmq.protocol.ZmtpException;
import io.rzmq.protocol.wire.CommandBody;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;

/**
 * CURVE (RFC 25/26) byte for byte as libzmq 4.3 speaks it.
 *
 * <pre>
 * HELLO     05 'HELLO' 01 00, 72 zero bytes, C', short nonce(8), Box[64 zeros](C'->S)         = 200 bytes
 *           nonce "CurveZMQHELLO---" + short nonce
 * WELCOME   07 'WELCOME', long nonce(16), Box[S' + cookie](S->C')                             = 168 bytes
 *           nonce "WELCOME-" + long nonce; cookie = nonce(16) + SecretBox[C' + s'](K) with "COOKIE--"
 * INITIATE  08 'INITIATE', cookie(96), short nonce(8), Box[C + vouch nonce(16) + vouch(80) + metadata](C'->S')
 *           nonce "CurveZMQINITIATE" + short; vouch = Box[C' + S](C->S') with "VOUCH---" + vouch nonce
 * READY     05 'READY', short nonce(8), Box[metadata](S'->C'), nonce "CurveZMQREADY---" + short
 * MESSAGE   07 'MESSAGE', short nonce(8), Box[flags(1) + data](C'&lt;-&gt;S'),
 *           nonce "CurveZMQMESSAGEC"/"CurveZMQMESSAGES" + short (client/server sends); flags bit0 MORE, bit1 COMMAND
 * </pre>
 * Every box is tag(16) + ciphertext. Short nonces count from 1 per side (the client's HELLO is 1, its
 * INITIATE 2); a received MESSAGE nonce must exceed the peer's last one (HELLO, INITIATE or READY nonce
 * included), otherwise it is a replay: CRYPTOGRAPHIC. A box that does not open, a wrong server key, a
 * bad cookie or vouch: CRYPTOGRAPHIC (libzmq's HANDSHAKE_FAILED_PROTOCOL, ZMTP_CRYPTOGRAPHIC). The cookie key K is random per connection, so a cookie is worth
 * nothing outside its connection. With {@link HandshakeContext#zapEnabled()} the server asks ZAP with the
 * client's long-term public key; without a handler it admits every client that proves its key
 * ("Stonehouse" without authentication, libzmq's default).
 */
public final class CurveMechanism extends HandshakeMechanism {
    private enum State { SEND_HELLO, EXPECT_WELCOME, SEND_INITIATE, EXPECT_READY,
        EXPECT_HELLO, SEND_WELCOME, EXPECT_INITIATE, SEND_READY, DONE }

    private static final SecureRandom DEFAULT_RANDOM = new SecureRandom();

    static final byte[] HELLO_PREFIX = ascii("CurveZMQHELLO---");
    static final byte[] WELCOME_PREFIX = ascii("WELCOME-");
    static final byte[] COOKIE_PREFIX = ascii("COOKIE--");
    static final byte[] INITIATE_PREFIX = ascii("CurveZMQINITIATE");
    static final byte[] VOUCH_PREFIX = ascii("VOUCH---");
    static final byte[] READY_PREFIX = ascii("CurveZMQREADY---");
    static final byte[] MESSAGE_FROM_CLIENT = ascii("CurveZMQMESSAGEC");
    static final byte[] MESSAGE_FROM_SERVER = ascii("CurveZMQMESSAGES");

    static final int HELLO_SIZE = 200;
    static final int WELCOME_SIZE = 168;
    /** name(9) + cookie(96) + short nonce(8) + box of C, vouch nonce, vouch (16 + 128). */
    static final int INITIATE_MIN_SIZE = 257;
    /** name(6) + short nonce(8) + tag(16). */
    static final int READY_MIN_SIZE = 30;
    /** name(8) + short nonce(8) + tag(16) + flags(1). */
    static final int MESSAGE_MIN_SIZE = 33;

    private static final int FLAG_MORE = 1;
    private static final int FLAG_COMMAND = 2;

    private final boolean server;
    private final SecureRandom random;
    private final CurveCrypto crypto = new CurveCrypto();
    /** Our long-term pair (C or S). */
    private final CurveKeyPair longTerm;
    /** Our transient pair (C' or S'). */
    private final CurveKeyPair transientKeys;
    /** Client: the server's long-term key S. */
    private final byte[] serverPublic;
    /** Client: the server's transient key S', from WELCOME. */
    private byte[] serverTransient;
    /** Server: the client's transient key C'. */
    private byte[] peerTransient;
    /** Server: the client's long-term key C, once INITIATE proved it. */
    private byte[] clientPublic;
    /** Client: the cookie from WELCOME. */
    private byte[] cookie;
    /** Server: the per-connection cookie key. */
    private byte[] cookieKey;
    /** beforenm(C', S') from either side: boxes of INITIATE, READY and MESSAGE. */
    private byte[] precomputed;
    /** MESSAGE boxes, one per direction, made when the handshake is done (see {@link #boxes()}). */
    private CurveBox sendBox;
    private CurveBox receiveBox;

    private long nextNonce = 1;
    private long peerNonce;
    private State state;

    private CurveMechanism(boolean server, CurveKeyPair longTerm, byte[] serverPublic, HandshakeContext ctx,
                           SecureRandom random) {
        super(ctx);
        this.server = server;
        this.random = random;
        this.longTerm = longTerm;
        this.serverPublic = serverPublic;
        this.transientKeys = CurveKeyPair.generate(random);
        this.state = server ? State.EXPECT_HELLO : State.SEND_HELLO;
    }

    /**
     * A client with long-term keys {@code clientKeys} that trusts only the server whose long-term public
     * key is {@code serverPublicKey} (32 bytes; use {@link CurveKeyPair#decodePublicKey(String)} for Z85).
     */
    public static CurveMechanism client(CurveKeyPair clientKeys, byte[] serverPublicKey, HandshakeContext ctx) {
        return client(clientKeys, serverPublicKey, ctx, DEFAULT_RANDOM);
    }

    /** {@link #client(CurveKeyPair, byte[], HandshakeContext)} with a chosen source of randomness. */
    public static CurveMechanism client(CurveKeyPair clientKeys, byte[] serverPublicKey, HandshakeContext ctx,
                                        SecureRandom random) {
        if (clientKeys == null) {
            throw new NullPointerException("client key pair");
        }
        if (serverPublicKey == null || serverPublicKey.length != CurveKeyPair.KEY_BYTES) {
            throw new IllegalArgumentException("CURVE server public key must be 32 bytes");
        }
        return new CurveMechanism(false, clientKeys, serverPublicKey.clone(), ctx, random);
    }

    /** A server with long-term keys {@code serverKeys}. */
    public static CurveMechanism server(CurveKeyPair serverKeys, HandshakeContext ctx) {
        return server(serverKeys, ctx, DEFAULT_RANDOM);
    }

    /** {@link #server(CurveKeyPair, HandshakeContext)} with a chosen source of randomness. */
    public static CurveMechanism server(CurveKeyPair serverKeys, HandshakeContext ctx, SecureRandom random) {
        if (serverKeys == null) {
            throw new NullPointerException("server key pair");
        }
        return new CurveMechanism(true, serverKeys, null, ctx, random);
    }

    @Override
    public String name() {
        return "CURVE";
    }

    @Override
    public boolean asServer() {
        return server;
    }

    /** Server: the client's long-term public key once INITIATE proved it, else null. */
    public byte[] clientPublicKey() {
        return clientPublic == null ? null : clientPublic.clone();
    }

    // ---- handshake ------------------------------------------------------------------------------

    @Override
    Frame produce() {
        return switch (state) {
            case SEND_HELLO -> produceHello();
            case SEND_WELCOME -> produceWelcome();
            case SEND_INITIATE -> produceInitiate();
            case SEND_READY -> produceReady();
            default -> null;
        };
    }

    @Override
    void consume(Frame body) {
        switch (state) {
            case EXPECT_HELLO -> processHello(body);
            case EXPECT_WELCOME -> processWelcome(body);
            case EXPECT_INITIATE -> processInitiate(body);
            case EXPECT_READY -> processReady(body);
            default -> throw ZmtpException.protocol("CURVE " + (server ? "server" : "client")
                + " did not expect a command now (state " + state + ")");
        }
    }

    @Override
    boolean handshakeDone() {
        return state == State.DONE;
    }

    @Override
    void zapAccepted() {
        // state is already SEND_READY
    }

    private Frame produceHello() {
        long shortNonce = takeNonce();
        byte[] key = CurveCrypto.beforenm(serverPublic, transientKeys.secretKeyRef());
        byte[] box = crypto.seal(key, nonce(HELLO_PREFIX, shortNonce), new byte[64]);
        Arrays.fill(key, (byte) 0);
        byte[] out = new byte[HELLO_SIZE];
        put(out, 0, new byte[] {5, 'H', 'E', 'L', 'L', 'O', 1, 0});
        // bytes 8..80: anti-amplification padding, zero
        put(out, 80, transientKeys.publicKeyRef());
        putLong(out, 112, shortNonce);
        put(out, 120, box);
        state = State.EXPECT_WELCOME;
        return Frame.wrap(out);
    }

    private void processHello(Frame body) {
        expect(body, "HELLO");
        if (body.size() != HELLO_SIZE) {
            throw ZmtpException.protocol("CURVE HELLO must be 200 bytes, got " + body.size());
        }
        byte[] b = body.toByteArray();
        if (b[6] != 1 || b[7] != 0) {
            throw ZmtpException.protocol("CURVE HELLO announces version " + b[6] + "." + b[7] + "; only 1.0 is known");
        }
        peerTransient = Arrays.copyOfRange(b, 80, 112);
        long shortNonce = getLong(b, 112);
        byte[] key = CurveCrypto.beforenm(peerTransient, longTerm.secretKeyRef());
        byte[] plain = crypto.open(key, nonce(HELLO_PREFIX, shortNonce), b, 120, 80);
        Arrays.fill(key, (byte) 0);
        if (plain == null || !allZero(plain)) {
            throw ZmtpException.crypto("CURVE HELLO box does not open: the client uses a different server public key");
        }
        peerNonce = shortNonce;
        state = State.SEND_WELCOME;
    }

    private Frame produceWelcome() {
        cookieKey = randomBytes(32);
        byte[] cookieNonce = randomBytes(16);
        byte[] cookiePlain = new byte[64];
        put(cookiePlain, 0, peerTransient);
        put(cookiePlain, 32, transientKeys.secretKeyRef());
        byte[] cookieBox = crypto.seal(cookieKey, concat(COOKIE_PREFIX, cookieNonce), cookiePlain);
        Arrays.fill(cookiePlain, (byte) 0);

        byte[] welcomePlain = new byte[128];
        put(welcomePlain, 0, transientKeys.publicKeyRef());
        put(welcomePlain, 32, cookieNonce);
        put(welcomePlain, 48, cookieBox);
        byte[] welcomeNonce = randomBytes(16);
        byte[] key = CurveCrypto.beforenm(peerTransient, longTerm.secretKeyRef());
        byte[] box = crypto.seal(key, concat(WELCOME_PREFIX, welcomeNonce), welcomePlain);
        Arrays.fill(key, (byte) 0);

        byte[] out = new byte[WELCOME_SIZE];
        put(out, 0, new byte[] {7, 'W', 'E', 'L', 'C', 'O', 'M', 'E'});
        put(out, 8, welcomeNonce);
        put(out, 24, box);
        state = State.EXPECT_INITIATE;
        return Frame.wrap(out);
    }

    private void processWelcome(Frame body) {
        expect(body, "WELCOME");
        if (body.size() != WELCOME_SIZE) {
            throw ZmtpException.protocol("CURVE WELCOME must be 168 bytes, got " + body.size());
        }
        byte[] b = body.toByteArray();
        byte[] key = CurveCrypto.beforenm(serverPublic, transientKeys.secretKeyRef());
        byte[] plain = crypto.open(key, concat(WELCOME_PREFIX, Arrays.copyOfRange(b, 8, 24)), b, 24, 144);
        Arrays.fill(key, (byte) 0);
        if (plain == null) {
            throw ZmtpException.crypto("CURVE WELCOME box does not open: the server does not hold the expected key");
        }
        serverTransient = Arrays.copyOfRange(plain, 0, 32);
        cookie = Arrays.copyOfRange(plain, 32, 128);
        setPrecomputed(CurveCrypto.beforenm(serverTransient, transientKeys.secretKeyRef()));
        state = State.SEND_INITIATE;
    }

    private Frame produceInitiate() {
        // vouch = Box[C' + S](C->S'): proves that the holder of C speaks through C' to this server.
        byte[] vouchPlain = new byte[64];
        put(vouchPlain, 0, transientKeys.publicKeyRef());
        put(vouchPlain, 32, serverPublic);
        byte[] vouchNonce = randomBytes(16);
        byte[] vouchKey = CurveCrypto.beforenm(serverTransient, longTerm.secretKeyRef());
        byte[] vouch = crypto.seal(vouchKey, concat(VOUCH_PREFIX, vouchNonce), vouchPlain);
        Arrays.fill(vouchKey, (byte) 0);

        byte[] metadata = localProperties();
        byte[] plain = new byte[128 + metadata.length];
        put(plain, 0, longTerm.publicKeyRef());
        put(plain, 32, vouchNonce);
        put(plain, 48, vouch);
        put(plain, 128, metadata);
        long shortNonce = takeNonce();
        byte[] box = crypto.seal(precomputed, nonce(INITIATE_PREFIX, shortNonce), plain);

        byte[] out = new byte[113 + box.length];
        put(out, 0, new byte[] {8, 'I', 'N', 'I', 'T', 'I', 'A', 'T', 'E'});
        put(out, 9, cookie);
        putLong(out, 105, shortNonce);
        put(out, 113, box);
        state = State.EXPECT_READY;
        return Frame.wrap(out);
    }

    private void processInitiate(Frame body) {
        expect(body, "INITIATE");
        if (body.size() < INITIATE_MIN_SIZE) {
            throw ZmtpException.protocol("CURVE INITIATE must be at least 257 bytes, got " + body.size());
        }
        byte[] b = body.toByteArray();
        byte[] cookiePlain = crypto.open(cookieKey, concat(COOKIE_PREFIX, Arrays.copyOfRange(b, 9, 25)), b, 25, 80);
        if (cookiePlain == null) {
            throw ZmtpException.crypto("CURVE INITIATE cookie does not open");
        }
        boolean cookieMatches = MessageDigest.isEqual(Arrays.copyOfRange(cookiePlain, 0, 32), peerTransient)
            & MessageDigest.isEqual(Arrays.copyOfRange(cookiePlain, 32, 64), transientKeys.secretKeyRef());
        Arrays.fill(cookiePlain, (byte) 0);
        if (!cookieMatches) {
            throw ZmtpException.crypto("CURVE INITIATE cookie belongs to another handshake");
        }
        // The cookie is single use: forget its key.
        Arrays.fill(cookieKey, (byte) 0);

        setPrecomputed(CurveCrypto.beforenm(peerTransient, transientKeys.secretKeyRef()));
        long shortNonce = getLong(b, 105);
        byte[] plain = crypto.open(precomputed, nonce(INITIATE_PREFIX, shortNonce), b, 113, b.length - 113);
        if (plain == null) {
            throw ZmtpException.crypto("CURVE INITIATE box does not open");
        }
        byte[] client = Arrays.copyOfRange(plain, 0, 32);
        byte[] vouchKey = CurveCrypto.beforenm(client, transientKeys.secretKeyRef());
        byte[] vouch = crypto.open(vouchKey, concat(VOUCH_PREFIX, Arrays.copyOfRange(plain, 32, 48)), plain, 48, 80);
        Arrays.fill(vouchKey, (byte) 0);
        if (vouch == null) {
            throw ZmtpException.crypto("CURVE INITIATE vouch does not open: the client does not hold its long-term key");
        }
        if (!Arrays.equals(vouch, 0, 32, peerTransient, 0, 32) || !Arrays.equals(vouch, 32, 64, longTerm.publicKeyRef(), 0, 32)) {
            throw ZmtpException.crypto("CURVE INITIATE vouch names another connection key or server");
        }
        setPeerMetadata(Frame.wrap(plain, 128, plain.length - 128));
        clientPublic = client;
        peerNonce = shortNonce;
        state = State.SEND_READY;
        if (ctx.zapEnabled()) {
            requestZap(List.of(client.clone()));
        }
    }

    private Frame produceReady() {
        long shortNonce = takeNonce();
        byte[] box = crypto.seal(precomputed, nonce(READY_PREFIX, shortNonce), localProperties());
        byte[] out = new byte[14 + box.length];
        put(out, 0, new byte[] {5, 'R', 'E', 'A', 'D', 'Y'});
        putLong(out, 6, shortNonce);
        put(out, 14, box);
        state = State.DONE;
        transientKeys.wipe();
        return Frame.wrap(out);
    }

    private void processReady(Frame body) {
        expect(body, "READY");
        if (body.size() < READY_MIN_SIZE) {
            throw ZmtpException.protocol("CURVE READY must be at least 30 bytes, got " + body.size());
        }
        byte[] b = body.toByteArray();
        long shortNonce = getLong(b, 6);
        byte[] plain = crypto.open(precomputed, nonce(READY_PREFIX, shortNonce), b, 14, b.length - 14);
        if (plain == null) {
            throw ZmtpException.crypto("CURVE READY box does not open");
        }
        setPeerMetadata(Frame.wrap(plain));
        peerNonce = shortNonce;
        state = State.DONE;
        transientKeys.wipe();
    }

    private void setPrecomputed(byte[] key) {
        precomputed = key;
    }

    /** The per-direction boxes, made at the first MESSAGE from the nonces the handshake left. */
    private void boxes() {
        if (sendBox == null) {
            sendBox = new CurveBox(precomputed, server ? MESSAGE_FROM_SERVER : MESSAGE_FROM_CLIENT, nextNonce - 1);
            receiveBox = new CurveBox(precomputed, server ? MESSAGE_FROM_CLIENT : MESSAGE_FROM_SERVER, peerNonce);
        }
    }

    // ---- messages -------------------------------------------------------------------------------

    @Override
    public boolean encrypts() {
        return true;
    }

    /** Boxes one frame into a MESSAGE command body (one allocation: the body itself). */
    @Override
    public Frame encode(Frame payload, boolean more, boolean command) {
        byte[] out = new byte[CurveBox.sealedSize(payload.size())];
        encodeInto(payload, more, command, out, 0);
        return Frame.wrap(out);
    }

    @Override
    public int encodedSize(int payloadSize) {
        return CurveBox.sealedSize(payloadSize);
    }

    /** Boxes one frame into {@code dst} (the encoder's batch block): no allocation at all. */
    @Override
    public void encodeInto(Frame payload, boolean more, boolean command, byte[] dst, int offset) {
        if (status() != Status.READY) {
            throw new IllegalStateException("CURVE encode before the handshake is complete (" + status() + ")");
        }
        boxes();
        sendBox.seal(payload.unsafeArray(), payload.offset(), payload.size(),
            (more ? FLAG_MORE : 0) | (command ? FLAG_COMMAND : 0), dst, offset);
    }

    /**
     * Opens one MESSAGE command body.
     *
     * @throws ZmtpException PROTOCOL when it is not a well-formed MESSAGE; AUTHENTICATION when its nonce
     *         does not exceed the last one or its box does not open
     */
    @Override
    public DecodedFrame decode(Frame body) {
        if (status() != Status.READY) {
            throw new IllegalStateException("CURVE decode before the handshake is complete (" + status() + ")");
        }
        if (!CommandBody.is(body, "MESSAGE")) {
            throw ZmtpException.protocol("CURVE expected a MESSAGE command, got " + PlainMechanism.describe(body));
        }
        if (body.size() < MESSAGE_MIN_SIZE) {
            throw ZmtpException.protocol("CURVE MESSAGE must be at least 33 bytes, got " + body.size());
        }
        boxes();
        byte[] data = receiveBox.open(body.unsafeArray(), body.offset(), body.size());
        int flags = receiveBox.lastFlags();
        return new DecodedFrame(Frame.wrap(data), (flags & FLAG_MORE) != 0, (flags & FLAG_COMMAND) != 0);
    }

    // ---- helpers --------------------------------------------------------------------------------

    private long takeNonce() {
        if (nextNonce == -1L) {
            throw ZmtpException.protocol("CURVE short nonces exhausted on this connection");
        }
        return nextNonce++;
    }

    private void expect(Frame body, String name) {
        if (!CommandBody.is(body, name)) {
            throw ZmtpException.protocol("CURVE " + (server ? "server" : "client") + " expected " + name
                + ", got " + PlainMechanism.describe(body));
        }
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] nonce(byte[] prefix16, long shortNonce) {
        byte[] n = Arrays.copyOf(prefix16, 24);
        putLong(n, 16, shortNonce);
        return n;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static boolean allZero(byte[] b) {
        int acc = 0;
        for (byte x : b) {
            acc |= x;
        }
        return acc == 0;
    }

    private static void put(byte[] dst, int off, byte[] src) {
        System.arraycopy(src, 0, dst, off, src.length);
    }

    private static void putLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    private static long getLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
