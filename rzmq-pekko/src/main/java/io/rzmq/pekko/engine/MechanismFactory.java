package io.rzmq.pekko.engine;

import io.rzmq.pekko.transport.SocketSetup;
import io.rzmq.protocol.security.HandshakeContext;
import io.rzmq.protocol.security.Mechanism;

/**
 * Makes the security mechanism for one new connection. The seam where PLAIN and CURVE plug in: a
 * factory can look at the socket's options (server role, credentials, keys) in {@code setup}.
 */
@FunctionalInterface
public interface MechanismFactory {
    /**
     * @param setup     the socket this connection belongs to
     * @param context   our metadata, ZAP settings and the peer's address
     * @param connected true on the connecting side, false on the accepting side
     */
    Mechanism create(SocketSetup setup, HandshakeContext context, boolean connected);

    /** The NULL mechanism (no security), what libzmq uses by default. */
    static MechanismFactory nullMechanism() {
        return NullMechanismFactory.INSTANCE;
    }
}
