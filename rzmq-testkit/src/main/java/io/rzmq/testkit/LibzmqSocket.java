package io.rzmq.testkit;

import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * A libzmq socket of any type in a pyzmq process of its own ({@link PyPeer}'s "drive" mode), for testing
 * code against the reference implementation over a real transport. Needs /usr/bin/python3 with pyzmq:
 * check {@link #available()} and skip the test otherwise.
 *
 * <pre>{@code
 * try (LibzmqSocket pull = LibzmqSocket.bind(SocketType.PULL, "tcp://127.0.0.1:*")) {
 *     // connect your PUSH to pull.endpoint() and send
 *     Msg got = pull.receive();
 * }
 * }</pre>
 */
public final class LibzmqSocket implements PeerSocket {
    private final PyPeer peer;
    private final String endpoint;

    private LibzmqSocket(PyPeer peer, String endpoint) {
        this.peer = peer;
        this.endpoint = endpoint;
    }

    /** Whether a libzmq peer can run here (python3 with pyzmq at /usr/bin/python3). */
    public static boolean available() {
        return PyPeer.available();
    }

    /** Binds {@code where} (wildcards allowed: "tcp://127.0.0.1:*", "ipc://*"). */
    public static LibzmqSocket bind(SocketType type, String where) {
        return open(Map.of(), type, true, where);
    }

    /** Connects to {@code endpoint}. */
    public static LibzmqSocket connect(SocketType type, String endpoint) {
        return open(Map.of(), type, false, endpoint);
    }

    /**
     * With the peer's environment: security (CURVE_SERVER_SECRET; CURVE_CLIENT_PUBLIC/_SECRET with
     * CURVE_SERVER_PUBLIC; PLAIN_SERVER admitting admin/secret; PLAIN_USERNAME/PLAIN_PASSWORD), socket
     * options ("OPTS" = "NAME=int,...") and MONITOR=1 (its monitor events as lines, see {@link #peer()}).
     */
    public static LibzmqSocket open(Map<String, String> env, SocketType type, boolean bind, String where) {
        PyPeer py = PyPeer.start(env, "drive", bind ? "bind" : "connect", where, type.name().toLowerCase(Locale.ROOT));
        try {
            String endpoint = py.awaitReady();
            if (type == SocketType.SUB) {
                py.commandAndWait("SUBSCRIBE");
            }
            return new LibzmqSocket(py, endpoint);
        } catch (RuntimeException | Error e) {
            py.close();
            throw e;
        }
    }

    /** The process, for its other lines (monitor events) and signals. */
    public PyPeer peer() {
        return peer;
    }

    @Override
    public String endpoint() {
        return endpoint;
    }

    @Override
    public void send(Msg msg) {
        peer.command("SEND " + Msgs.line(msg).substring("MSG ".length()));
    }

    @Override
    public Msg receive(Duration timeout) {
        String line = peer.nextLine(l -> l.startsWith("MSG "), timeout);
        return line == null ? null : Msgs.parse(line);
    }

    @Override
    public void close() {
        peer.close();
    }

    @Override
    public String toString() {
        return "libzmq peer";
    }
}
