package io.rzmq.protocol.security;

import io.rzmq.protocol.Metadata;

import java.util.function.BooleanSupplier;

/**
 * What every mechanism needs to know about its side of the connection.
 *
 * @param localMetadata our READY/INITIATE properties (Socket-Type, Identity, application X- props)
 * @param zapHandler    whether a ZAP handler is there to ask, asked at the moment the mechanism needs to
 *                      know (as libzmq's {@code zap_connect}): the runtime knows, the protocol does not
 * @param zapDomain     ZAP_DOMAIN of the socket, "" when unset
 * @param peerAddress   the peer's address as text, for the ZAP request
 */
public record HandshakeContext(Metadata localMetadata, BooleanSupplier zapHandler, String zapDomain,
                               String peerAddress) {
    private static final BooleanSupplier NO_HANDLER = () -> false;
    private static final BooleanSupplier HANDLER = () -> true;

    public HandshakeContext {
        if (localMetadata == null || zapHandler == null || zapDomain == null || peerAddress == null) {
            throw new NullPointerException("HandshakeContext fields must not be null");
        }
    }

    /** A context whose ZAP handler is there ({@code zapEnabled}) or not, for good. */
    public HandshakeContext(Metadata localMetadata, boolean zapEnabled, String zapDomain, String peerAddress) {
        this(localMetadata, zapEnabled ? HANDLER : NO_HANDLER, zapDomain, peerAddress);
    }

    public static HandshakeContext of(Metadata localMetadata) {
        return new HandshakeContext(localMetadata, false, "", "");
    }

    /** Whether a ZAP handler is there to ask now. */
    public boolean zapEnabled() {
        return zapHandler.getAsBoolean();
    }
}
