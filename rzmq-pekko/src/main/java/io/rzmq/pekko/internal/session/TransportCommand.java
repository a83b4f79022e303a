package io.rzmq.pekko.internal.session;

import java.time.Duration;

/** What a SocketCore tells its listeners and sessions. */
public sealed interface TransportCommand {
    /**
     * Stop: a listener stops accepting and closes its connections; a session stops reconnecting, lets its
     * engine flush what the socket queued for up to {@code linger} (negative: no limit, zero: discard),
     * then stops. The socket watches the actor and treats its termination as done.
     */
    record Close(Duration linger) implements TransportCommand {
    }
}
