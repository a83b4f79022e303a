package io.rzmq.pekko.transport;

import io.rzmq.pekko.SocketOptions;
import io.rzmq.protocol.Metadata;
import io.rzmq.protocol.SocketType;

/**
 * What a transport needs to know about the socket it serves: its type, its options at the time of the
 * bind/connect, and the metadata it announces in READY (Socket-Type, Identity).
 */
public record SocketSetup(SocketType type, SocketOptions options, Metadata localMetadata) {
    /** Socket-Type and (when set) Identity, as libzmq announces them. */
    public static SocketSetup of(SocketType type, SocketOptions options) {
        return new SocketSetup(type, options, Metadata.builder()
            .put(Metadata.SOCKET_TYPE, type.zmtpName())
            .put(Metadata.IDENTITY, options.routingId())
            .build());
    }
}
