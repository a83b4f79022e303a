package io.rzmq.protocol.security;

import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Metadata;

/**
 * A ZMTP security mechanism as a state machine with no I/O. The connection calls
 * {@link #nextHandshakeCommand()} until it returns null, sends those commands, and feeds every command
 * the peer sends to {@link #processHandshakeCommand(Frame)}, until {@link #status()} is READY. Each
 * mechanism also sends and validates the READY/INITIATE metadata, so that on READY
 * {@link #peerMetadata()} holds the peer's Socket-Type and Identity.
 *
 * <p>One instance serves one connection, from one thread at a time.
 */
public interface Mechanism {
    enum Status {
        /** Commands are still to be exchanged. */
        HANDSHAKING,
        /** The server waits for the ZAP handler's reply ({@link #zapRequest()} has the request). */
        WAITING_FOR_ZAP,
        /** Handshake complete: messages may flow. */
        READY,
        /** The handshake failed; the connection must be closed (an ERROR command may be pending to send). */
        ERROR
    }

    /** The mechanism name as it appears in the greeting: "NULL", "PLAIN" or "CURVE". */
    String name();

    /** The greeting's as-server flag for our side. */
    boolean asServer();

    /**
     * The next handshake command to send, as a command body (name length, name, data), or null when
     * nothing is to be sent now.
     */
    Frame nextHandshakeCommand();

    /**
     * A command the peer sent during the handshake (command body: name length, name, data).
     *
     * @throws io.rzmq.protocol.ZmtpException PROTOCOL for malformed or unexpected commands,
     *         AUTHENTICATION for refused credentials or boxes that do not open
     */
    void processHandshakeCommand(Frame commandBody);

    Status status();

    /** The ZAP request to route to the handler while {@link #status()} is WAITING_FOR_ZAP, else null. */
    ZapRequest zapRequest();

    /** The handler's answer to {@link #zapRequest()}; a refusal moves to ERROR (with an ERROR command to send). */
    void zapReply(ZapReply reply);

    /** The peer's READY/INITIATE properties, complete once READY. */
    Metadata peerMetadata();

    /** The User-Id the ZAP handler gave, or "" when none. */
    String userId();

    /**
     * The metadata the ZAP handler attached to its 200 reply (libzmq exposes it as message properties),
     * empty when there was no ZAP round trip.
     */
    default Metadata zapMetadata() {
        return Metadata.EMPTY;
    }

    /** Whether frames after the handshake are wrapped in MESSAGE commands (CURVE) instead of sent as they are. */
    boolean encrypts();

    /**
     * Wraps one outgoing frame after the handshake (only when {@link #encrypts()}); returns the MESSAGE
     * command body ({@code 07 'MESSAGE' ...}). Send it as a DATA frame with neither MORE nor COMMAND set
     * on the wire (only LONG as its size needs): that is what libzmq 4.3 sends and the only form it
     * accepts (a COMMAND-flagged MESSAGE is dropped). The real MORE/COMMAND flags travel inside the box.
     */
    Frame encode(Frame payload, boolean more, boolean command);

    /**
     * Size of {@link #encode}'s output for a payload of {@code payloadSize} bytes, or -1 when the mechanism
     * cannot write it in place ({@link #encodeInto}).
     */
    default int encodedSize(int payloadSize) {
        return -1;
    }

    /**
     * {@link #encode} written into {@code dst[offset..offset+encodedSize(payload.size()))} instead of a new
     * array (the encoder's batch), for mechanisms whose {@link #encodedSize} is not -1.
     */
    default void encodeInto(Frame payload, boolean more, boolean command, byte[] dst, int offset) {
        throw new UnsupportedOperationException(name() + " does not encode in place");
    }

    /**
     * Unwraps one incoming MESSAGE command body (only when {@link #encrypts()}). libzmq sends it in a frame
     * whose wire flags are 0 (not COMMAND, not MORE): after the handshake every frame from an encrypting
     * peer goes through here, and the returned flags say whether it continues a message or is a command.
     *
     * @throws io.rzmq.protocol.ZmtpException AUTHENTICATION when the box does not open or the nonce is replayed
     */
    DecodedFrame decode(Frame messageCommandBody);
}
