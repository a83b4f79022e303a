package io.rzmq.pekko.internal.transport;

import org.apache.pekko.io.Inet;

import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A listener's socket options (keepalive, buffer sizes) wrapped so that a failure to apply them to an
 * accepted connection is not lost. Pekko IO applies a Bind's options to each accepted socket inside the
 * new connection's actor; an exception there stops that actor and only logs, so the bind handler would
 * never hear of the connection. This wrapper catches the failure instead and remembers it by the peer's
 * address; the Connected that follows at once (from the same actor) is then aborted by the listener and
 * reported as ACCEPT_FAILED, as libzmq does when tuning an accepted socket fails.
 *
 * <p>Failures before the bind (the listening socket's own options) are not caught: the bind fails.
 */
public final class AcceptTuning extends Inet.AbstractSocketOptionV2 {
    /** Failures waiting for their Connected; a connection is set up right after its options, so few wait. */
    private static final int MAX_WAITING = 1024;

    private final List<Inet.SocketOption> options;
    private final ConcurrentHashMap<SocketAddress, String> failures = new ConcurrentHashMap<>();

    public AcceptTuning(List<Inet.SocketOption> options) {
        this.options = List.copyOf(options);
    }

    /** The wrapped options. */
    public List<Inet.SocketOption> options() {
        return options;
    }

    @Override
    public void beforeServerSocketBind(ServerSocket s) {
        for (Inet.SocketOption o : options) {
            o.beforeServerSocketBind(s);
        }
    }

    @Override
    public void afterBind(ServerSocket s) {
        for (Inet.SocketOption o : options) {
            if (o instanceof Inet.SocketOptionV2 v2) {
                v2.afterBind(s);
            }
        }
    }

    @Override
    public void afterConnect(Socket s) {
        try {
            for (Inet.SocketOption o : options) {
                o.afterConnect(s);
            }
        } catch (RuntimeException e) {
            SocketAddress peer = s.getRemoteSocketAddress();
            if (peer == null || failures.size() >= MAX_WAITING) {
                throw e; // cannot be matched with its Connected: let Pekko IO drop the connection
            }
            failures.put(peer, describe(e));
        }
    }

    /** The failure recorded for the connection from {@code peer}, removed; null when it was tuned fine. */
    public String takeFailure(SocketAddress peer) {
        return failures.isEmpty() ? null : failures.remove(peer);
    }

    private static String describe(Throwable e) {
        StringBuilder b = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            b.append(": ").append(c.getMessage());
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return "AcceptTuning" + options;
    }
}
