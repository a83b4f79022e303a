package io.rzmq.pekko.internal.transport;

import java.net.SocketAddress;
import java.util.concurrent.CompletionStage;

/** One bound listening socket. Thread-safe: every method may be called from any thread. */
public interface StreamListener {
    /** The endpoint as bound, with the real port or generated path: {@code tcp://127.0.0.1:41234}, {@code ipc:///tmp/x}. */
    String boundEndpoint();

    /** The address as bound. */
    SocketAddress boundAddress();

    /** Stops accepting for now (connections wait in the backlog); e.g. too many connections in handshake. */
    void pauseAccepting();

    /** Accepts again after {@link #pauseAccepting()} or after accept() failed ({@link StreamListenerHandler#onAcceptFailed}). */
    void resumeAccepting();

    /** Stops listening; completes when the port is free (tcp) or the socket file removed (ipc, if still ours). */
    CompletionStage<Void> close();
}
