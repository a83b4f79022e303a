package io.rzmq.protocol.connection;

import io.rzmq.protocol.SocketType;

/**
 * What a connection needs from its socket's options.
 *
 * @param socketType     our socket type (checked against the peer's Socket-Type; PUB/XPUB also turn
 *                       ZMTP/3.0 subscription messages into subscription events)
 * @param maxMessageSize MAXMSGSIZE in bytes, -1 for no limit; a larger frame or message is refused
 *                       before anything of its declared size is allocated
 */
public record ZmtpConfig(SocketType socketType, long maxMessageSize) {
    public static ZmtpConfig of(SocketType type) {
        return new ZmtpConfig(type, -1);
    }
}
