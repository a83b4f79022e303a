package io.rzmq.pekko.internal.engine;

import io.rzmq.protocol.security.HandshakeContext;
import io.rzmq.protocol.security.Mechanism;
import io.rzmq.protocol.security.NullMechanism;

/** Creates a NULL mechanism per connection. */
final class NullMechanismFactory implements MechanismFactory {
    static final NullMechanismFactory INSTANCE = new NullMechanismFactory();

    private NullMechanismFactory() {
    }

    @Override
    public Mechanism create(SocketSetup setup, HandshakeContext context, boolean connected) {
        return new NullMechanism(context);
    }
}
