package io.rzmq.protocol.fuzz;

import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import io.rzmq.protocol.wire.Greeting;

import java.util.Arrays;

import static io.rzmq.protocol.fuzz.Invariants.require;

/**
 * One mechanism side inside a real {@link io.rzmq.protocol.connection.ZmtpConnection}: the peer's valid
 * greeting arrives, then arbitrary bytes as the peer's handshake (and whatever follows it).
 *
 * <p>Input: options (bit 0: a ZAP handler is there; bits 1-3: its answer, see {@link Peers#zapAnswer}),
 * our socket type, MAXMSGSIZE selector, chunk seed, then the peer's bytes after its greeting.
 *
 * <p>Invariants: only ZmtpException escapes, and never through a safety net; a failed connection stays
 * failed; nothing delivered (metadata, messages, topics) is larger than the input or the limits; a peer
 * the ZAP handler refused (or a PLAIN client with no handler to ask) never gets a completed handshake;
 * a completed connection can send.
 */
final class HandshakeTarget {
    private HandshakeTarget() {
    }

    static final SocketType[] TYPES = SocketType.values();

    static Peers.Endpoint run(Peers.Side side, byte[] data) {
        FuzzInput in = new FuzzInput(data);
        int options = in.u8();
        boolean zap = (options & 1) != 0;
        SocketType type = TYPES[in.u8() % TYPES.length];
        long max = FrameDecoderFuzzTest.LIMITS[in.u8() % FrameDecoderFuzzTest.LIMITS.length];
        int seed = in.u8();
        byte[] stream = in.rest();

        Peers.Endpoint ours = new Peers.Endpoint(type, max, Peers.mechanism(side, type, zap, Peers.UNDER_TEST_SEED));
        ours.zapChoice = (options >>> 1) & 7;
        byte[] greeting = Greeting.encode(side.mechanism, side.counterpart().server);
        if (!ours.feed(greeting)) {
            // NULL asks its ZAP handler as soon as the greeting is done: only a refusal may fail it here.
            require(ours.zapRefused, "a valid " + side.mechanism + " greeting failed: " + ours.failure);
            return ours;
        }
        int off = 0;
        for (int len : FuzzInput.chunks(stream.length, seed)) {
            if (!ours.feed(Arrays.copyOfRange(stream, off, off + len))) {
                break;
            }
            off += len;
        }
        ours.output();
        if (side == Peers.Side.PLAIN_SERVER && !zap) {
            require(!ours.conn.isReady(), "a PLAIN server with no ZAP handler admitted a client");
        }
        if (ours.conn.isReady()) {
            ours.conn.send(Msg.of("after the handshake"));
            require(ours.output().length > 0, "a ready connection wrote nothing for a message");
        }
        return ours;
    }
}
