package io.rzmq.protocol.fuzz;

/** The PLAIN server after a valid greeting, fed arbitrary peer bytes: see {@link HandshakeTarget}. */
class PlainServerFuzzTest {
    @ProtocolFuzzTest
    void peerBytes(byte[] data) {
        HandshakeTarget.run(Peers.Side.PLAIN_SERVER, data);
    }
}
