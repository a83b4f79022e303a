package io.rzmq.protocol.connection;

import io.rzmq.protocol.Metadata;
import io.rzmq.protocol.SocketType;

/**
 * What we learned about the peer by the end of the handshake.
 *
 * @param minorVersion ZMTP minor version the peer announced (1 for 3.1, 0 for 3.0)
 * @param socketType   the peer's Socket-Type
 * @param metadata     all of the peer's READY/INITIATE properties (Identity, X- properties...)
 * @param userId       the User-Id the ZAP handler gave, "" when none
 */
public record PeerInfo(int minorVersion, SocketType socketType, Metadata metadata, String userId) {
    /** The peer's Identity property (its routing id), empty when it set none. */
    public byte[] identity() {
        return metadata.get(Metadata.IDENTITY).orElse(new byte[0]);
    }
}
