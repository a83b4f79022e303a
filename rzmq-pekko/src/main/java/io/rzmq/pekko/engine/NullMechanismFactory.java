package io.rzmq.pekko.engine;

import io.rzmq.pekko.transport.SocketSetup;
import io.rzmq.protocol.security.HandshakeContext;
import io.rzmq.protocol.security.Mechanism;

/** Creates a NULL mechanism per connection. */
final class NullMechanismFactory implements MechanismFactory {
    static final NullMechanismFactory INSTANCE = new NullMechanismFactory();

    private NullMechanismFactory() {
    }

    @Override
    public Mechanism create(SocketSetup setup, HandshakeContext context, boolean connected) {
        // Replaced by `new NullMechanism(context)` once the codec branch is merged.
        throw new UnsupportedOperationException("NULL mechanism not available yet");
    }
}
