package io.rzmq.protocol.fuzz;

/** Either NULL side (NULL has no roles; with or without a ZAP handler) after a valid greeting, fed arbitrary peer bytes: see {@link HandshakeTarget}. */
class NullHandshakeFuzzTest {
    @ProtocolFuzzTest
    void peerBytes(byte[] data) {
        HandshakeTarget.run(Peers.Side.NULL, data);
    }
}
