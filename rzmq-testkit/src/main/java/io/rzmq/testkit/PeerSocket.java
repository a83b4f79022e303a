package io.rzmq.testkit;

import io.rzmq.protocol.Msg;

import java.time.Duration;

/**
 * One socket of another ZeroMQ implementation, driven from the test thread: {@link LibzmqSocket} (libzmq
 * through pyzmq) or {@link JeromqSocket}. It binds or connects once, then sends and receives whole messages.
 * Which socket types make sense is ZeroMQ's business: a REQ alternates send and receive, a SUB made here
 * subscribes to everything.
 */
public interface PeerSocket extends AutoCloseable {

    /** The endpoint it bound (wildcards resolved) or the one it connected to. */
    String endpoint();

    void send(Msg msg);

    /** The next message within {@code timeout}, or null. */
    Msg receive(Duration timeout);

    /** The next message within {@link Awaits#TIMEOUT}; fails the test when none comes. */
    default Msg receive() {
        Msg m = receive(Awaits.TIMEOUT);
        if (m == null) {
            throw new AssertionError(this + " received nothing within " + Awaits.TIMEOUT);
        }
        return m;
    }

    @Override
    void close();
}
