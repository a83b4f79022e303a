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

        Peers.Endpoint ours = new Peers.Endpoint(type, max, new NullMechanism(Peers.context(type, false)));
        ours.pauseMask = pauseMask;
        int off = 0;
        for (int len : FuzzInput.chunks(stream.length, seed)) {
            if (!ours.feed(Arrays.copyOfRange(stream, off, off + len))) {
                break;
            }
            off += len;
        }
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
}
