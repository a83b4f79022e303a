package io.rzmq.protocol.fuzz;

/** The CURVE server after a valid greeting, fed arbitrary peer bytes: see {@link HandshakeTarget}. */
class CurveServerFuzzTest {
    @ProtocolFuzzTest
    void peerBytes(byte[] data) {
        HandshakeTarget.run(Peers.Side.CURVE_SERVER, data);
    }
}
