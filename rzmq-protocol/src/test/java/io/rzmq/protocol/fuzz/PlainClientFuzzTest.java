package io.rzmq.protocol.fuzz;

/** The PLAIN client after a valid greeting, fed arbitrary peer bytes: see {@link HandshakeTarget}. */
class PlainClientFuzzTest {
    @ProtocolFuzzTest
    void peerBytes(byte[] data) {
        HandshakeTarget.run(Peers.Side.PLAIN_CLIENT, data);
    }
}
