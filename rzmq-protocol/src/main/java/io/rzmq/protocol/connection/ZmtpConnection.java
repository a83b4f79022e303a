package io.rzmq.protocol.connection;

import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.security.Mechanism;
import io.rzmq.protocol.security.ZapReply;
import io.rzmq.protocol.security.ZapRequest;

import java.util.List;

/**
 * One ZMTP connection with no I/O: bytes in, bytes and events out. The runtime's Engine owns one per
 * live connection and drives it from one thread at a time:
 * <ol>
 *   <li>{@link #start()} queues our greeting; libzmq sends its greeting in stages and waits for ours,
 *   so we send eagerly and parse incrementally;</li>
 *   <li>every chunk read from the transport goes to {@link #receive(byte[], int, int)}: it runs the
 *   greeting, the mechanism's handshake, then decodes frames into whole messages and commands and
 *   calls the {@link Handler};</li>
 *   <li>{@link #send(Msg)} and the other senders encode into the output batch; {@link #takeOutput()}
 *   hands the runtime everything to write as a list of slices (small frames coalesced into one
 *   buffer, large payloads referenced without copying), so one transport write carries many messages.</li>
 * </ol>
 * Any protocol violation throws {@link io.rzmq.protocol.ZmtpException} from the call that saw it; the
 * connection is then dead and the runtime closes the transport after writing any pending output
 * (which may hold an ERROR command).
 */
public final class ZmtpConnection {

    /** Events of one connection, called synchronously from {@link #receive} and {@link #resumeDecoding}. */
    public interface Handler {
        /** The greeting and handshake are done; messages may flow both ways. */
        void onHandshakeComplete(PeerInfo peer);

        /**
         * A whole multipart message arrived. Return false to pause decoding (the receiving pipe is full):
         * the connection keeps the undecoded bytes until {@link #resumeDecoding()}.
         */
        boolean onMessage(Msg msg);

        /**
         * A subscription (subscribe = true) or cancellation arrived: a ZMTP/3.1 SUBSCRIBE/CANCEL command,
         * or, when our socket is PUB or XPUB, a ZMTP/3.0 data message whose first byte is 1 or 0.
         * Return false to pause decoding, as for {@link #onMessage}.
         */
        boolean onSubscription(Frame topic, boolean subscribe);

        /** The mechanism needs the ZAP handler's verdict; answer with {@link #zapReply(ZapReply)}. */
        default void onZapRequest(ZapRequest request) {
        }

        /** The peer sent PING (already answered with PONG); ttl in deciseconds, 0 for none. */
        default void onPing(int ttlDeciseconds) {
        }
    }

    public ZmtpConnection(ZmtpConfig config, Mechanism mechanism, Handler handler) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Queues the first part of our greeting. */
    public void start() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * Feeds bytes read from the transport. The connection takes ownership of {@code chunk}: decoded frames
     * may be slices of it, so the caller must never reuse or modify it.
     */
    public void receive(byte[] chunk, int offset, int length) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Continues decoding after a handler returned false. */
    public void resumeDecoding() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** True while decoding is paused by the handler. */
    public boolean isPaused() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** True once the handshake is complete. */
    public boolean isReady() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** The peer, once ready; null before. */
    public PeerInfo peer() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Encodes a whole message into the output batch (only when ready). */
    public void send(Msg msg) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * Sends a subscription or cancellation in the form the peer understands: a SUBSCRIBE/CANCEL command
     * to a ZMTP/3.1 peer, a data message starting with 1/0 to a ZMTP/3.0 peer (only when ready).
     */
    public void sendSubscription(Frame topic, boolean subscribe) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Sends PING with our HEARTBEAT_TTL in deciseconds and an optional context (up to 16 bytes). */
    public void sendPing(int ttlDeciseconds, Frame context) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Delivers the ZAP handler's reply to the mechanism; continues or fails the handshake. */
    public void zapReply(ZapReply reply) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Bytes waiting in the output batch. */
    public int pendingOutputBytes() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Everything encoded since the last call, in order, as slices the caller may write as they are. */
    public List<Frame> takeOutput() {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
