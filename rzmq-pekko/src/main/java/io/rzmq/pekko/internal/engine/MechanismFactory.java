package io.rzmq.pekko.internal.engine;

import io.rzmq.protocol.security.CurveKeyPair;
import io.rzmq.protocol.security.CurveMechanism;
import io.rzmq.protocol.security.HandshakeContext;
import io.rzmq.protocol.security.Mechanism;
import io.rzmq.protocol.security.PlainMechanism;

/**
 * Makes the security mechanism for one new connection: the seam where PLAIN and CURVE plug in. A factory
 * can look at the socket's options in {@code setup}; the role (client or server) comes from the factory,
 * not from bind/connect, as in libzmq.
 *
 * <p>{@code context.zapEnabled()} says whether a ZAP handler is bound at {@code inproc://zeromq.zap.01} in
 * the socket's context when the mechanism asks; the engine carries the requests to it. Without one, a CURVE
 * server admits every client that proves its key and a PLAIN server refuses everyone (libzmq 4.3).
 */
@FunctionalInterface
public interface MechanismFactory {
    /**
     * @param setup     the socket this connection belongs to
     * @param context   our metadata, ZAP settings and the peer's address
     * @param connected true on the connecting side, false on the accepting side
     */
    Mechanism create(SocketSetup setup, HandshakeContext context, boolean connected);

    /**
     * The mechanism the socket's own options select (PLAIN_*, CURVE_*; NULL when none is set), the default
     * of the built-in transports. The options were checked at socket creation
     * ({@link io.rzmq.pekko.model.SocketOptions#checkSecurity()}).
     */
    static MechanismFactory fromOptions() {
        return OptionsMechanismFactory.INSTANCE;
    }

    /** The NULL mechanism (no security), what libzmq uses by default. */
    static MechanismFactory nullMechanism() {
        return NullMechanismFactory.INSTANCE;
    }

    /** PLAIN client logging in with a user name and password (sent in clear text). */
    static MechanismFactory plainClient(String username, String password) {
        return (setup, context, connected) -> PlainMechanism.client(username, password, context);
    }

    /** CURVE client with its long-term keys, trusting the server whose public key is given. */
    static MechanismFactory curveClient(CurveKeyPair clientKeys, byte[] serverPublicKey) {
        byte[] serverKey = serverPublicKey.clone();
        return (setup, context, connected) -> CurveMechanism.client(clientKeys, serverKey, context);
    }

    /** CURVE server with its long-term keys. */
    static MechanismFactory curveServer(CurveKeyPair serverKeys) {
        return (setup, context, connected) -> CurveMechanism.server(serverKeys, context);
    }
}
