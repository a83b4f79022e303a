package io.rzmq.protocol.security;

import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Metadata;
import io.rzmq.protocol.ZmtpException;
import io.rzmq.protocol.wire.CommandBody;
import io.rzmq.protocol.wire.Properties;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What PLAIN and CURVE share: the status, the peer's metadata, ERROR commands both ways, and the ZAP
 * round trip with libzmq 4.3's outcomes (200 admits; 300 fails silently; 400 and 500 fail with an ERROR
 * command carrying the status code).
 */
abstract class HandshakeMechanism implements Mechanism {
    /** ZAP request ids are unique per process so one handler connection can serve many handshakes. */
    private static final AtomicLong ZAP_REQUEST_IDS = new AtomicLong();

    protected final HandshakeContext ctx;
    private Status status = Status.HANDSHAKING;
    private ZapRequest zapRequest;
    private Frame errorToSend;
    private Metadata peerMetadata = Metadata.EMPTY;
    private Metadata zapMetadata = Metadata.EMPTY;
    private String userId = "";

    HandshakeMechanism(HandshakeContext ctx) {
        if (ctx == null) {
            throw new NullPointerException("HandshakeContext");
        }
        this.ctx = ctx;
    }

    @Override
    public final Status status() {
        return status;
    }

    @Override
    public final ZapRequest zapRequest() {
        return status == Status.WAITING_FOR_ZAP ? zapRequest : null;
    }

    @Override
    public final Metadata peerMetadata() {
        return peerMetadata;
    }

    @Override
    public final String userId() {
        return userId;
    }

    /** The metadata the ZAP handler attached to its 200 reply (empty without ZAP). */
    @Override
    public final Metadata zapMetadata() {
        return zapMetadata;
    }

    @Override
    public final Frame nextHandshakeCommand() {
        if (errorToSend != null) {
            Frame error = errorToSend;
            errorToSend = null;
            return error;
        }
        if (status != Status.HANDSHAKING) {
            return null;
        }
        Frame next = produce();
        if (next != null && handshakeDone()) {
            status = Status.READY;
        }
        return next;
    }

    @Override
    public final void processHandshakeCommand(Frame commandBody) {
        if (status != Status.HANDSHAKING) {
            throw fail(ZmtpException.protocol(name() + " handshake command arrived while " + status));
        }
        try {
            if (CommandBody.is(commandBody, "ERROR")) {
                throw peerError(CommandBody.data(commandBody));
            }
            if (isLibzmqPlainError(commandBody)) {
                throw peerError(commandBody.slice(LIBZMQ_PLAIN_ERROR.length, commandBody.size() - LIBZMQ_PLAIN_ERROR.length));
            }
            consume(commandBody);
            if (handshakeDone()) {
                status = Status.READY;
            }
        } catch (ZmtpException e) {
            throw fail(e);
        } catch (RuntimeException e) {
            // A decoding slip on hostile input must still surface as a protocol error.
            throw fail(new ZmtpException(ZmtpException.Kind.PROTOCOL, name() + " malformed command: " + e, e));
        }
    }

    @Override
    public final void zapReply(ZapReply reply) {
        if (status != Status.WAITING_FOR_ZAP) {
            throw new IllegalStateException(name() + " mechanism got a ZAP reply while " + status);
        }
        ZapRequest request = zapRequest;
        zapRequest = null;
        if (!Arrays.equals(reply.requestId(), request.requestId())) {
            throw fail(ZmtpException.protocol("ZAP reply answers request '"
                + new String(reply.requestId(), StandardCharsets.UTF_8) + "', not ours '"
                + new String(request.requestId(), StandardCharsets.UTF_8) + "'"));
        }
        String code = reply.statusCode();
        switch (code == null ? "" : code) {
            case "200" -> {
                userId = reply.userId() == null ? "" : reply.userId();
                zapMetadata = reply.metadata() == null ? Metadata.EMPTY : reply.metadata();
                status = Status.HANDSHAKING;
                zapAccepted();
            }
            // libzmq: a temporary failure closes without an ERROR command (CurveZMQ RFC).
            case "300" -> status = Status.ERROR;
            case "400", "500" -> {
                errorToSend = errorCommand(code);
                status = Status.ERROR;
            }
            default -> throw fail(ZmtpException.protocol("ZAP status code must be 200, 300, 400 or 500; got '" + code + "'"));
        }
    }

    // ---- for subclasses -------------------------------------------------------------------------

    /** The next command in the current state, or null. */
    abstract Frame produce();

    /** Handles a non-ERROR command from the peer; throws ZmtpException on anything wrong. */
    abstract void consume(Frame commandBody);

    /** True once the last handshake command has been produced or consumed. */
    abstract boolean handshakeDone();

    /** Called when the ZAP handler said 200. */
    abstract void zapAccepted();

    /** Asks the ZAP handler: moves to WAITING_FOR_ZAP with a request carrying {@code credentials}. */
    final void requestZap(List<byte[]> credentials) {
        byte[] id = Long.toString(ZAP_REQUEST_IDS.incrementAndGet()).getBytes(StandardCharsets.US_ASCII);
        // libzmq sends its own socket's routing id as the request's identity.
        byte[] identity = ctx.localMetadata().get(Metadata.IDENTITY).orElse(new byte[0]);
        zapRequest = new ZapRequest(id, ctx.zapDomain(), ctx.peerAddress(), identity, name(), List.copyOf(credentials));
        status = Status.WAITING_FOR_ZAP;
    }

    final void setPeerMetadata(Frame properties) {
        peerMetadata = Properties.decode(properties);
    }

    final byte[] localProperties() {
        return Properties.encode(ctx.localMetadata());
    }

    final ZmtpException fail(ZmtpException e) {
        status = Status.ERROR;
        return e;
    }

    static Frame errorCommand(String reason) {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        byte[] data = new byte[1 + r.length];
        data[0] = (byte) r.length;
        System.arraycopy(r, 0, data, 1, r.length);
        return CommandBody.of("ERROR", data);
    }

    /** libzmq 4.3's PLAIN ERROR name: "\x05ERROR" in C is 0x5E followed by "RROR". */
    private static final byte[] LIBZMQ_PLAIN_ERROR = {0x5E, 'R', 'R', 'O', 'R'};

    private static boolean isLibzmqPlainError(Frame body) {
        if (body.size() < LIBZMQ_PLAIN_ERROR.length) {
            return false;
        }
        for (int i = 0; i < LIBZMQ_PLAIN_ERROR.length; i++) {
            if (body.get(i) != LIBZMQ_PLAIN_ERROR[i]) {
                return false;
            }
        }
        return true;
    }

    private ZmtpException peerError(Frame data) {
        if (data.isEmpty() || (data.get(0) & 0xFF) > data.size() - 1) {
            return ZmtpException.protocol("malformed ERROR command (reason length does not fit)");
        }
        String reason = data.slice(1, data.get(0) & 0xFF).asString();
        return new ZmtpException(ZmtpException.Kind.PEER_ERROR, "peer refused the " + name() + " handshake: " + reason,
            ZmtpException.zapStatusCode(reason));
    }
}
