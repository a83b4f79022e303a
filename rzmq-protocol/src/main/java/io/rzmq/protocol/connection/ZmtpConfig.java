package io.rzmq.protocol.connection;

import io.rzmq.protocol.SocketType;

/**
 * What a connection needs from its socket's options and its transport.
 *
 * @param socketType     our socket type (checked against the peer's Socket-Type; PUB/XPUB also turn
 *                       ZMTP/3.0 subscription messages into subscription events)
 * @param maxMessageSize MAXMSGSIZE in bytes, -1 for no limit; a larger frame or message is refused
 *                       before anything of its declared size is allocated
 * @param peerAddress    the peer's address as libzmq gives it (the IP address for tcp, {@code localhost:uid:gid:pid}
 *                       for ipc): every received message carries it as its Peer-Address property; "" for none
 * @param limits         handshake, metadata and frame-count bounds
 */
public record ZmtpConfig(SocketType socketType, long maxMessageSize, String peerAddress, ZmtpLimits limits) {
    public ZmtpConfig {
        if (peerAddress == null) {
            throw new NullPointerException("peerAddress");
        }
        if (limits == null) {
            throw new NullPointerException("limits");
        }
    }

    /** The default limits. */
    public ZmtpConfig(SocketType socketType, long maxMessageSize, String peerAddress) {
        this(socketType, maxMessageSize, peerAddress, ZmtpLimits.DEFAULT);
    }

    /** No peer address to show, the default limits. */
    public ZmtpConfig(SocketType socketType, long maxMessageSize) {
        this(socketType, maxMessageSize, "");
    }

    public static ZmtpConfig of(SocketType type) {
        return new ZmtpConfig(type, -1);
    }

    public ZmtpConfig withLimits(ZmtpLimits v) {
        return new ZmtpConfig(socketType, maxMessageSize, peerAddress, v);
    }
}
