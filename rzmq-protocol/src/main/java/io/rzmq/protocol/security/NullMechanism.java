package io.rzmq.protocol.security;

import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Metadata;
import io.rzmq.protocol.ZmtpException;
import io.rzmq.protocol.wire.CommandBody;
import io.rzmq.protocol.wire.Commands;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The NULL mechanism (RFC 23/37): each side sends READY with its metadata and expects the peer's READY
 * as the first command. An ERROR from the peer fails with {@link ZmtpException.Kind#PEER_ERROR} (with the
 * ZAP status code when the reason is one).
 *
 * <p>ZAP, as libzmq 4.3 does it: NULL has no client or server role; a side asks its ZAP handler only
 * when a ZAP domain is set ({@code mechanism_base_t::zap_required()} is "ZAP_DOMAIN not empty") and a
 * handler is bound to ask ({@link HandshakeContext#zapEnabled()}, asked once, when the greeting is done
 * and the first command is due, as libzmq's {@code zap_connect} in {@code next_handshake_command}).
 * ZAP_ENFORCE_DOMAIN (failing when a domain is set but no handler is bound) is not supported.
 * Like libzmq, we send our READY only after the handler admitted the peer; a 400 or 500 refusal queues
 * an ERROR command whose reason is the ZAP status code, a 300 closes without one. As in libzmq, the
 * request carries request id "1" and our own Identity property in its identity frame.
 */
public final class NullMechanism implements Mechanism {
    public static final String NAME = "NULL";
    /** libzmq's NULL mechanism asks ZAP with request id "1", and accepts only a reply to "1". */
    private static final byte[] REQUEST_ID = {'1'};

    private final HandshakeContext context;
    /** Decided on first need: null until then. */
    private Boolean zapRequired;

    private boolean readySent;
    private boolean readyReceived;
    private boolean zapReplied;
    private String errorToSend;
    private boolean failed;
    private Metadata peerMetadata = Metadata.EMPTY;
    private Metadata zapMetadata = Metadata.EMPTY;
    private String userId = "";
    private ZapRequest zapRequest;

    public NullMechanism(HandshakeContext context) {
        this.context = context;
    }

    private boolean zapRequired() {
        if (zapRequired == null) {
            zapRequired = !context.zapDomain().isEmpty() && context.zapEnabled();
        }
        return zapRequired;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** libzmq announces as-server 0 for NULL. */
    @Override
    public boolean asServer() {
        return false;
    }

    @Override
    public Frame nextHandshakeCommand() {
        if (errorToSend != null) {
            Frame error = Commands.error(errorToSend);
            errorToSend = null;
            return error;
        }
        if (failed || readySent || (zapRequired() && !zapReplied)) {
            return null;
        }
        readySent = true;
        return Commands.ready(context.localMetadata());
    }

    @Override
    public void processHandshakeCommand(Frame commandBody) {
        if (failed) {
            throw ZmtpException.protocol("NULL handshake already failed");
        }
        if (CommandBody.is(commandBody, Commands.ERROR)) {
            failed = true;
            String reason = Commands.parseError(commandBody);
            throw new ZmtpException(ZmtpException.Kind.PEER_ERROR, "peer refused the NULL handshake: ERROR '" + reason + "'",
                ZmtpException.zapStatusCode(reason));
        }
        if (readyReceived) {
            failed = true;
            throw ZmtpException.protocol("unexpected " + Commands.describe(commandBody) + " after READY in the NULL handshake");
        }
        if (!CommandBody.is(commandBody, Commands.READY)) {
            failed = true;
            throw ZmtpException.protocol("NULL handshake expects READY first, got " + Commands.describe(commandBody));
        }
        Metadata md;
        try {
            md = Commands.parseReady(commandBody);
        } catch (ZmtpException e) {
            failed = true;
            throw e;
        }
        if (!md.contains(Metadata.SOCKET_TYPE)) {
            failed = true;
            throw ZmtpException.protocol("peer's READY has no Socket-Type property");
        }
        peerMetadata = md;
        readyReceived = true;
    }

    @Override
    public Status status() {
        if (failed) {
            return Status.ERROR;
        }
        if (zapRequired() && !zapReplied) {
            return Status.WAITING_FOR_ZAP;
        }
        return readySent && readyReceived ? Status.READY : Status.HANDSHAKING;
    }

    @Override
    public ZapRequest zapRequest() {
        if (!zapRequired() || zapReplied || failed) {
            return null;
        }
        if (zapRequest == null) {
            zapRequest = new ZapRequest(REQUEST_ID.clone(), context.zapDomain(), context.peerAddress(),
                context.localMetadata().get(Metadata.IDENTITY).orElse(new byte[0]), NAME, List.of());
        }
        return zapRequest;
    }

    @Override
    public void zapReply(ZapReply reply) {
        if (!zapRequired() || zapReplied) {
            throw new IllegalStateException("NULL mechanism is not waiting for a ZAP reply");
        }
        zapReplied = true;
        // As libzmq's zap_client: a reply for another request, or with a status code ZAP does not have,
        // is a protocol failure (no ERROR command to the peer), never an admission.
        if (!Arrays.equals(reply.requestId(), REQUEST_ID)) {
            failed = true;
            throw ZmtpException.protocol("ZAP reply answers request '" + new String(reply.requestId(), StandardCharsets.UTF_8)
                + "', not ours '1'");
        }
        String code = reply.statusCode();
        if (!"200".equals(code) && !"300".equals(code) && !"400".equals(code) && !"500".equals(code)) {
            failed = true;
            throw ZmtpException.protocol("ZAP status code must be 200, 300, 400 or 500; got '" + code + "'");
        }
        if (reply.accepted()) {
            userId = reply.userId() == null ? "" : reply.userId();
            zapMetadata = reply.metadata() == null ? Metadata.EMPTY : reply.metadata();
        } else {
            failed = true;
            // libzmq: a temporary failure (300) closes without an ERROR command.
            errorToSend = "300".equals(reply.statusCode()) ? null : reply.statusCode();
        }
    }

    @Override
    public Metadata peerMetadata() {
        return peerMetadata;
    }

    /** The metadata the ZAP handler returned with its 200 reply (empty when none or no ZAP). */
    public Metadata zapMetadata() {
        return zapMetadata;
    }

    @Override
    public String userId() {
        return userId;
    }

    @Override
    public boolean encrypts() {
        return false;
    }

    @Override
    public Frame encode(Frame payload, boolean more, boolean command) {
        throw new UnsupportedOperationException("NULL does not wrap frames");
    }

    @Override
    public DecodedFrame decode(Frame messageCommandBody) {
        throw new UnsupportedOperationException("NULL does not wrap frames");
    }
}
