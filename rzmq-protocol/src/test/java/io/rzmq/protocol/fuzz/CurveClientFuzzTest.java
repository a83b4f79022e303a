package io.rzmq.protocol.fuzz;

/** The CURVE client after a valid greeting, fed arbitrary peer bytes: see {@link HandshakeTarget}. */
class CurveClientFuzzTest {
    @ProtocolFuzzTest
    void peerBytes(byte[] data) {
        HandshakeTarget.run(Peers.Side.CURVE_CLIENT, data);
    }
}
