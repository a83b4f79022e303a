package io.rzmq.protocol.security;

import io.rzmq.protocol.Metadata;

/**
 * What every mechanism needs to know about its side of the connection.
 *
 * @param localMetadata our READY/INITIATE properties (Socket-Type, Identity, application X- props)
 * @param zapEnabled    whether a ZAP handler is there to ask (the runtime knows; the protocol does not)
 * @param zapDomain     ZAP_DOMAIN of the socket, "" when unset
 * @param peerAddress   the peer's address as text, for the ZAP request
 */
public record HandshakeContext(Metadata localMetadata, boolean zapEnabled, String zapDomain, String peerAddress) {
    public HandshakeContext {
        if (localMetadata == null || zapDomain == null || peerAddress == null) {
            throw new NullPointerException("HandshakeContext fields must not be null");
        }
    }

    public static HandshakeContext of(Metadata localMetadata) {
        return new HandshakeContext(localMetadata, false, "", "");
    }
}
