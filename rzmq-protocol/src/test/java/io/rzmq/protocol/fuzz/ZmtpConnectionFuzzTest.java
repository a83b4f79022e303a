package io.rzmq.protocol.fuzz;

import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import io.rzmq.protocol.security.NullMechanism;

import java.util.Arrays;

import static io.rzmq.protocol.fuzz.Invariants.require;

/**
 * A whole NULL connection from the first byte: greeting, handshake, messages, subscriptions, PING, ERROR,
 * with a handler that pauses decoding now and then. Input: our socket type, MAXMSGSIZE selector, chunk
 * seed, pause mask (which deliveries return false), then the peer's bytes from its greeting on.
 *
 * <p>Invariants: those of {@link Peers.Endpoint} (only ZmtpException, failed stays failed, nothing
 * larger than the input or MAXMSGSIZE, the handshake settles), plus: only PUB and XPUB see ZMTP/3.0
 * subscription messages, a PUB never delivers a message, and a ready connection can send.
 */
class ZmtpConnectionFuzzTest {
    @ProtocolFuzzTest
    void peerStream(byte[] data) {
        FuzzInput in = new FuzzInput(data);
        SocketType type = HandshakeTarget.TYPES[in.u8() % HandshakeTarget.TYPES.length];
        long max = FrameDecoderFuzzTest.LIMITS[in.u8() % FrameDecoderFuzzTest.LIMITS.length];
        int seed = in.u8();
        int pauseMask = in.u8();
        byte[] stream = in.rest();

        Peers.Endpoint ours = run(type, max, seed, pauseMask, stream, false);
        // The same bytes through one reused buffer (the v2 read path) deliver the same, and hold the same bounds.
        Peers.Endpoint buffered = run(type, max, seed, pauseMask, stream, true);
        require(summary(ours).equals(summary(buffered)), "buffer input changed the result: arrays " + summary(ours)
            + ", buffer " + summary(buffered));
        require(ours.conn.isFailed() || ours.conn.isReady() || ours.messages.isEmpty(),
            "messages delivered before the handshake completed");
        if (type == SocketType.PUB) {
            require(ours.messages.isEmpty(), "a PUB delivered a message");
        }
        if (ours.conn.isReady()) {
            require(type.canTalkTo(ours.conn.peer().socketType()), "a " + type + " completed a handshake with a "
                + ours.conn.peer().socketType());
            ours.output();
            ours.conn.send(Msg.of("reply"));
            require(ours.output().length > 0, "a ready connection wrote nothing for a message");
        }
    }

    private static Peers.Endpoint run(SocketType type, long max, int seed, int pauseMask, byte[] stream, boolean viaBuffer) {
        Peers.Endpoint ep = new Peers.Endpoint(type, max, new NullMechanism(Peers.context(type, false)));
        ep.pauseMask = pauseMask;
        if (viaBuffer) {
            ep.sharedBuffer = java.nio.ByteBuffer.allocateDirect(Math.max(1, stream.length));
        }
        int off = 0;
        for (int len : FuzzInput.chunks(stream.length, seed)) {
            if (!ep.feed(Arrays.copyOfRange(stream, off, off + len))) {
                break;
            }
            off += len;
        }
        return ep;
    }

    /** What a run delivered, read after the run (a frame still referring to a reused buffer would differ). */
    private static String summary(Peers.Endpoint ep) {
        StringBuilder sb = new StringBuilder();
        for (Msg m : ep.messages) {
            sb.append('[');
            for (int i = 0; i < m.frameCount(); i++) {
                sb.append(Arrays.hashCode(m.frame(i).toByteArray())).append(',');
            }
            sb.append(']');
        }
        for (io.rzmq.protocol.Frame t : ep.subscriptions) {
            sb.append('s').append(Arrays.hashCode(t.toByteArray()));
        }
        sb.append(ep.failure == null ? " ok" : " " + ep.failure.kind());
        return sb.toString();
    }
}
