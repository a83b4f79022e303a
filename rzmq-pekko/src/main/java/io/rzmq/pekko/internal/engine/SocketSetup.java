package io.rzmq.pekko.internal.engine;

import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.pekko.internal.security.ZapGate;
import io.rzmq.protocol.Metadata;
import io.rzmq.protocol.SocketType;

/**
 * What a transport needs to know about the socket it serves: its type, its options at the time of the
 * bind/connect, the metadata it announces in READY (Socket-Type, Identity), and its context's ZAP
 * entrance (whether a handler is bound, where the mechanisms' requests go).
 */
public record SocketSetup(SocketType type, SocketOptions options, Metadata localMetadata, ZapGate zap) {
    public SocketSetup {
        if (zap == null) {
            throw new NullPointerException("zap (use ZapGate.NONE for none)");
        }
    }

    /** Socket-Type and (when set) Identity, as libzmq announces them; no ZAP handler. */
    public static SocketSetup of(SocketType type, SocketOptions options) {
        return of(type, options, ZapGate.NONE);
    }

    /** Socket-Type and (when set) Identity, as libzmq announces them; ZAP through {@code zap}. */
    public static SocketSetup of(SocketType type, SocketOptions options, ZapGate zap) {
        return new SocketSetup(type, options, Metadata.builder()
            .put(Metadata.SOCKET_TYPE, type.zmtpName())
            .put(Metadata.IDENTITY, options.routingId())
            .build(), zap);
    }
}
