package io.rzmq.pekko.internal.transport.ipc;

import org.newsclub.net.unix.AFUNIXSocketAddress;

import java.io.File;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * ipc:// addresses as libzmq writes them: a filesystem path (absolute or relative to the working
 * directory), {@code @name} for a Linux abstract-namespace name, or {@code *} for a fresh path under the
 * temporary directory (bind only).
 *
 * <p>Pekko IO's protocol carries {@link InetSocketAddress}es; an ipc address travels in it as an
 * <em>unresolved</em> one whose host string is the address and whose port is 0 (see {@link #carrier}).
 * The remote address of a connection also carries, after a NUL (which no ipc address contains), the
 * peer's credentials as libzmq writes them for ZAP ({@link #peerCarrier}).
 */
final class IpcAddresses {
    /** sun_path holds 108 bytes on Linux, one of them the terminating NUL of a path. */
    static final int MAX_PATH_BYTES = 107;
    static final String WILDCARD = "*";

    private static final AtomicLong WILDCARD_COUNTER = new AtomicLong();

    private IpcAddresses() {
    }

    /** The ipc address {@code address} in Pekko IO's address type. */
    static InetSocketAddress carrier(String address) {
        return InetSocketAddress.createUnresolved(address, 0);
    }

    /** What libzmq's getnameinfo says of a Unix-domain peer, before the credentials. */
    static final String LOCALHOST = "localhost";

    /** The ipc address a {@link #carrier} (or {@link #peerCarrier}) carries. */
    static String address(InetSocketAddress carrier) {
        String s = carrier.getHostString();
        int nul = s.indexOf('\0');
        return nul < 0 ? s : s.substring(0, nul);
    }

    /** A connection's remote address: the ipc address and the peer's {@code localhost:uid:gid:pid}. */
    static InetSocketAddress peerCarrier(String address, String credentials) {
        return InetSocketAddress.createUnresolved(address + '\0' + credentials, 0);
    }

    /** The credentials a {@link #peerCarrier} carries; "localhost" when unknown (as libzmq without SO_PEERCRED). */
    static String peerCredentials(InetSocketAddress carrier) {
        String s = carrier.getHostString();
        int nul = s.indexOf('\0');
        return nul < 0 ? LOCALHOST : s.substring(nul + 1);
    }

    /** {@code localhost:uid:gid:pid} of the process at the other end of {@code channel}, as libzmq on Linux. */
    static String credentialsOf(org.newsclub.net.unix.AFUNIXSocketChannel channel) {
        try {
            org.newsclub.net.unix.AFUNIXSocketCredentials c = channel.getPeerCredentials();
            if (c == null || c.isEmpty()) {
                return LOCALHOST;
            }
            return LOCALHOST + ":" + c.getUid() + ":" + c.getGid() + ":" + (c.getPid() < 0 ? "" : c.getPid());
        } catch (java.io.IOException | RuntimeException e) {
            return LOCALHOST;
        }
    }

    static boolean isAbstract(String address) {
        return address.startsWith("@");
    }

    /**
     * Checks what can be checked without touching the filesystem.
     *
     * @throws IllegalArgumentException with the reason
     */
    static void validate(String address, boolean forBind) {
        if (address.equals(WILDCARD)) {
            if (!forBind) {
                throw new IllegalArgumentException("cannot connect to a wildcard ipc address: ipc://*");
            }
            return;
        }
        if (address.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("ipc address contains a NUL byte: ipc://" + address.replace("\0", "\\0"));
        }
        if (isAbstract(address)) {
            if (address.length() == 1) {
                throw new IllegalArgumentException("ipc abstract name is empty: ipc://@");
            }
            // The leading NUL takes the '@'s place: the same 107 bytes are left for the name.
            if (bytes(address.substring(1)) > MAX_PATH_BYTES) {
                throw new IllegalArgumentException("ipc abstract name is longer than " + MAX_PATH_BYTES
                    + " bytes: ipc://" + address);
            }
            return;
        }
        if (bytes(address) > MAX_PATH_BYTES) {
            throw new IllegalArgumentException("ipc path is longer than " + MAX_PATH_BYTES + " bytes: ipc://" + address);
        }
    }

    /** The socket address for a path or {@code @name} (not the wildcard). */
    static AFUNIXSocketAddress socketAddress(String address) throws SocketException {
        if (isAbstract(address)) {
            return AFUNIXSocketAddress.inAbstractNamespace(address.substring(1));
        }
        return AFUNIXSocketAddress.of(new File(address));
    }

    /** A new path under the temporary directory for {@code ipc://*}, unlikely to exist. */
    static String freshPath() {
        String name = "rzmq-" + ProcessHandle.current().pid() + "-" + WILDCARD_COUNTER.incrementAndGet() + "-"
            + Integer.toHexString(ThreadLocalRandom.current().nextInt()) + ".ipc";
        return Path.of(System.getProperty("java.io.tmpdir"), name).toString();
    }

    private static int bytes(String s) {
        return s.getBytes(AFUNIXSocketAddress.addressCharset()).length;
    }
}
