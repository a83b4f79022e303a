package io.rzmq.pekko.internal.transport;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;

/**
 * Who is at the other end of a {@link ByteStream}. tcp: the remote and local socket addresses. ipc: the
 * listener's path (for both ends, as libzmq reports it) and, when the OS says (SO_PEERCRED on Linux), the
 * peer process's user and group names; the peer's pid is not available through the JDK (see the plan).
 *
 * @param remote the peer's address (tcp) or the socket path (ipc)
 * @param local  our end's address (tcp) or the socket path (ipc)
 * @param user   ipc peer's user name, or null when unknown or tcp
 * @param group  ipc peer's group name, or null when unknown or tcp
 */
public record PeerAddress(SocketAddress remote, SocketAddress local, String user, String group) {

    public static PeerAddress tcp(InetSocketAddress remote, InetSocketAddress local) {
        return new PeerAddress(remote, local, null, null);
    }

    public static PeerAddress ipc(UnixDomainSocketAddress path, String user, String group) {
        return new PeerAddress(path, path, user, group);
    }

    public boolean isIpc() {
        return remote instanceof UnixDomainSocketAddress;
    }

    /** {@code host:port} for tcp (as monitor events show it), the path for ipc. */
    public String display() {
        if (remote instanceof InetSocketAddress a) {
            return (a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString()) + ":" + a.getPort();
        }
        if (remote instanceof UnixDomainSocketAddress u) {
            return u.getPath().toString();
        }
        return String.valueOf(remote);
    }

    @Override
    public String toString() {
        return display();
    }
}
