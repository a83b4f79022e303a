package io.rzmq.pekko.internal.engine;

import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.protocol.security.CurveMechanism;
import io.rzmq.protocol.security.HandshakeContext;
import io.rzmq.protocol.security.Mechanism;
import io.rzmq.protocol.security.NullMechanism;
import io.rzmq.protocol.security.PlainMechanism;

/**
 * Picks each connection's mechanism from its socket's options, as libzmq does: the role (client or server)
 * comes from PLAIN_SERVER / CURVE_SERVER, not from bind or connect.
 */
final class OptionsMechanismFactory implements MechanismFactory {
    static final OptionsMechanismFactory INSTANCE = new OptionsMechanismFactory();

    private OptionsMechanismFactory() {
    }

    @Override
    public Mechanism create(SocketSetup setup, HandshakeContext context, boolean connected) {
        SocketOptions o = setup.options();
        return switch (o.mechanism()) {
            case NULL -> new NullMechanism(context);
            case PLAIN -> o.securityServer()
                ? PlainMechanism.server(context)
                : PlainMechanism.client(o.plainUsername(), o.plainPassword(), context);
            case CURVE -> o.securityServer()
                ? CurveMechanism.server(o.curveKeyPair(), context)
                : CurveMechanism.client(o.curveKeyPair(), o.curveServerKey(), context);
        };
    }
}
