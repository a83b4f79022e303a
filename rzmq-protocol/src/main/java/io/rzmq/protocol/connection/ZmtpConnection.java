package io.rzmq.protocol.connection;

import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Metadata;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import io.rzmq.protocol.ZmtpException;
import io.rzmq.protocol.security.DecodedFrame;
import io.rzmq.protocol.security.Mechanism;
import io.rzmq.protocol.security.ZapReply;
import io.rzmq.protocol.security.ZapRequest;
import io.rzmq.protocol.wire.CommandBody;
import io.rzmq.protocol.wire.Commands;
import io.rzmq.protocol.wire.FrameDecoder;
import io.rzmq.protocol.wire.FrameEncoder;
import io.rzmq.protocol.wire.Greeting;
import io.rzmq.protocol.wire.GreetingDecoder;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
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
 * The v2 engine's paths, beside those: {@link #receive(ByteBuffer)} for a read buffer valid only during
 * the call (frames are copied out of it, so small messages never pin a large read), {@link #bodyDestination()}
 * / {@link #bodyReceived(int)} to read a large frame's body straight into its own array, and
 * {@link #gatherOutput(ByteBuffer[])} / {@link #outputWritten(long)} for gather writes with no allocation
 * per flush. Use one input path and one output path per connection.
 * Any protocol violation throws {@link io.rzmq.protocol.ZmtpException} from the call that saw it; the
 * connection is then dead and the runtime closes the transport after writing any pending output
 * (which may hold an ERROR command).
 *
 * <p>Details the RFCs leave open:
 * <ul>
 *   <li>Greeting: the 10-byte signature goes out in {@link #start()}, the other 54 bytes as soon as the
 *   peer's signature has arrived; the first handshake command once the peer's whole greeting has been
 *   checked. ZMTP 1.0/2.0 peers are refused (PROTOCOL). A different mechanism name, or two sides that
 *   both claim (or both disclaim) the server role of PLAIN/CURVE, is a PROTOCOL error.</li>
 *   <li>With an encrypting mechanism every frame after the handshake, commands included, goes through
 *   {@link Mechanism#encode}/{@link Mechanism#decode}. The wrapped frame travels as a plain data frame
 *   with no flags, as libzmq 4.3 and JeroMQ put it on the wire (libzmq would take a COMMAND-flagged
 *   MESSAGE frame's content for a command); we accept either flag on receipt.</li>
 *   <li>After the handshake, ERROR from the peer fails with PEER_ERROR, PING is answered with PONG
 *   (one PONG at most waits in the output batch: PINGs until the next {@link #takeOutput} share it),
 *   unknown commands are ignored (as libzmq does).</li>
 *   <li>PUB/XPUB: a one-frame data message whose first byte is 1 or 0 is a ZMTP/3.0 subscription (from
 *   any peer version). Other data messages sent to a PUB are dropped; an XPUB gets them as messages.</li>
 *   <li>While a ZAP request is outstanding, decoding holds the bytes that arrive; {@link #zapReply}
 *   continues.</li>
 * </ul>
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

    /** ERROR reason sent to a peer whose socket type may not talk to ours (libzmq's wording). */
    public static final String INVALID_SOCKET_TYPE_REASON = "Invalid socket type";

    private enum State { NEW, GREETING, HANDSHAKE, READY, FAILED }

    private final ZmtpConfig config;
    private final Mechanism mechanism;
    private final Handler handler;
    private final boolean pubSide;

    private final GreetingDecoder greeting = new GreetingDecoder();
    private final FrameDecoder decoder;
    private final FrameEncoder encoder = new FrameEncoder();
    /** Chunks received while decoding was held (paused or waiting for ZAP). */
    private final ArrayDeque<Frame> heldChunks = new ArrayDeque<>();
    /** Held chunks are our own copies of buffer input: decode them with frames copied out (no pinning). */
    private boolean copyFrames;
    /** Greeting bytes of a direct buffer input (at most one greeting's worth). */
    private byte[] greetingScratch;
    /** Bytes in {@link #heldChunks}. */
    private long heldBytes;
    /** Parts of the multipart message being received, after the first. */
    private final ArrayList<Frame> parts = new ArrayList<>();
    private Frame firstPart;

    private State state = State.NEW;
    private boolean greetingTailSent;
    private boolean peer31;
    private int peerMinor;
    private boolean encrypting;
    /**
     * A PONG waits in the output batch: a peer that sends PINGs and never reads must not grow the batch,
     * so PINGs answered until the next {@link #takeOutput} share that one PONG (libzmq's engine keeps one
     * pending PONG as well). Liveness only needs some PONG to come back.
     */
    private boolean pongWaiting;
    /** The same for our own heartbeat PING: timers keep firing while a peer that does not read blocks the batch. */
    private boolean pingWaiting;
    private boolean paused;
    private boolean zapNotified;
    /** The handler's answer, kept to say why a refused handshake failed. */
    private ZapReply zapAnswer;
    private boolean decoding;
    private long wrappedMessageBytes;
    private int wrappedMessageFrames;
    private PeerInfo peer;
    private Metadata messageProperties = Metadata.EMPTY;
    private ZmtpException failure;

    public ZmtpConnection(ZmtpConfig config, Mechanism mechanism, Handler handler) {
        this.config = config;
        this.mechanism = mechanism;
        this.handler = handler;
        this.pubSide = config.socketType() == SocketType.PUB || config.socketType() == SocketType.XPUB;
        this.decoder = new FrameDecoder(config.maxMessageSize(), config.limits().maxMessageFrames());
        this.decoder.setHandshakeLimit(config.limits().maxHandshakeCommandSize());
    }

    /** Queues the first part of our greeting. */
    public void start() {
        if (state != State.NEW) {
            throw new IllegalStateException("connection already started");
        }
        encoder.writeRaw(Greeting.signature());
        state = State.GREETING;
    }

    /**
     * Feeds bytes read from the transport. The connection takes ownership of {@code chunk}: decoded frames
     * may be slices of it, so the caller must never reuse or modify it.
     */
    public void receive(byte[] chunk, int offset, int length) {
        checkAlive();
        if (state == State.NEW) {
            throw new IllegalStateException("start() the connection before feeding it bytes");
        }
        if (length == 0) {
            return;
        }
        try {
            if (state == State.GREETING) {
                int n = greeting.feed(chunk, offset, length);
                offset += n;
                length -= n;
                onGreetingProgress();
                if (length == 0) {
                    return;
                }
            }
            if (decoding || held() || decoder.remaining() > 0) {
                heldChunks.add(Frame.wrap(chunk, offset, length));
                heldBytes += length;
                if (!decoding && !held()) {
                    decodeLoop();
                }
            } else {
                decoder.setInput(chunk, offset, length);
                decodeLoop();
            }
            checkHandshakeBuffer();
        } catch (ZmtpException e) {
            throw fail(e);
        }
    }

    /**
     * Feeds bytes read from the transport, between {@code data}'s position and limit; {@code data} is valid
     * only during this call (the loop's shared read buffer). Every frame handed up owns its bytes; when
     * decoding is held (paused, ZAP), the bytes not decoded are copied and kept. Moves {@code data}'s
     * position to its limit.
     */
    public void receive(ByteBuffer data) {
        checkAlive();
        if (state == State.NEW) {
            throw new IllegalStateException("start() the connection before feeding it bytes");
        }
        if (!data.hasRemaining()) {
            return;
        }
        copyFrames = true;
        try {
            if (state == State.GREETING) {
                int n;
                if (data.hasArray()) {
                    n = greeting.feed(data.array(), data.arrayOffset() + data.position(), data.remaining());
                } else {
                    if (greetingScratch == null) {
                        greetingScratch = new byte[Greeting.SIZE];
                    }
                    int len = Math.min(data.remaining(), greetingScratch.length);
                    data.get(data.position(), greetingScratch, 0, len);
                    n = greeting.feed(greetingScratch, 0, len);
                }
                data.position(data.position() + n);
                onGreetingProgress();
                if (!data.hasRemaining()) {
                    return;
                }
            }
            if (decoding || held() || decoder.remaining() > 0) {
                byte[] copy = new byte[data.remaining()];
                data.get(copy);
                heldChunks.add(Frame.wrap(copy));
                heldBytes += copy.length;
                if (!decoding && !held()) {
                    decodeLoop();
                }
            } else {
                decoder.setInput(data);
                data.position(data.limit());
                decodeLoop();
                // Held with bytes left: keep a copy, the buffer is gone after this call.
                decoder.detachInput();
            }
            checkHandshakeBuffer();
        } catch (ZmtpException e) {
            throw fail(e);
        }
    }

    /**
     * The rest of the body of a large frame being received, as a writable buffer over the frame's own
     * array, for the transport to read into directly; null when there is none (see
     * {@link FrameDecoder#bodyDestination()}) or decoding is held. After reading {@code n} bytes into it,
     * call {@link #bodyReceived(int)}.
     */
    public ByteBuffer bodyDestination() {
        // Held bytes come first: reading past them would reorder the stream.
        if (state == State.FAILED || decoding || held() || !heldChunks.isEmpty()) {
            return null;
        }
        return decoder.bodyDestination();
    }

    /** {@code n} bytes were read into the last {@link #bodyDestination()}; decodes what they complete. */
    public void bodyReceived(int n) {
        checkAlive();
        try {
            decoder.bodyWritten(n);
            decodeLoop();
            decoder.detachInput();
            checkHandshakeBuffer();
        } catch (ZmtpException e) {
            throw fail(e);
        }
    }

    /** Continues decoding after a handler returned false. */
    public void resumeDecoding() {
        checkAlive();
        paused = false;
        if (decoding) {
            return;
        }
        try {
            decodeLoop();
        } catch (ZmtpException e) {
            throw fail(e);
        }
    }

    /**
     * Bytes of input this connection holds and has not turned into messages yet: the unfinished frame,
     * the undecoded rest of the current chunk and chunks held while decoding waits (paused, or ZAP).
     * Before the handshake completes it never exceeds {@link ZmtpLimits#maxHandshakeBuffered()}.
     */
    public long bufferedBytes() {
        return decoder.bufferedBytes() + decoder.remaining() + heldBytes;
    }

    /** Before the handshake a peer has no business sending more than the command we are handling. */
    private void checkHandshakeBuffer() {
        if (state == State.READY || state == State.FAILED) {
            return;
        }
        long held = bufferedBytes();
        int max = config.limits().maxHandshakeBuffered();
        if (held > max) {
            throw ZmtpException.protocol("peer sent " + held + " bytes that wait before the handshake completed; at most "
                + max + " may (rzmq.handshake.max-buffered)");
        }
    }

    /** True while decoding is paused by the handler. */
    public boolean isPaused() {
        return paused;
    }

    /** True once the handshake is complete. */
    public boolean isReady() {
        return state == State.READY;
    }

    /** True once a call has thrown: the connection must be closed. */
    public boolean isFailed() {
        return state == State.FAILED;
    }

    /** The failure that ended the connection, null while alive. */
    public ZmtpException failure() {
        return failure;
    }

    /** The peer, once ready; null before. */
    public PeerInfo peer() {
        return peer;
    }

    /** The mechanism this connection runs. */
    public Mechanism mechanism() {
        return mechanism;
    }

    /** Encodes a whole message into the output batch (only when ready). */
    public void send(Msg msg) {
        requireReady();
        int last = msg.frameCount() - 1;
        for (int i = 0; i <= last; i++) {
            writeFrame(msg.frame(i), i < last, false);
        }
    }

    /**
     * Sends a subscription or cancellation in the form the peer understands: a SUBSCRIBE/CANCEL command
     * to a ZMTP/3.1 peer, a data message starting with 1/0 to a ZMTP/3.0 peer (only when ready).
     */
    public void sendSubscription(Frame topic, boolean subscribe) {
        requireReady();
        if (peer31) {
            writeFrame(subscribe ? Commands.subscribe(topic) : Commands.cancel(topic), false, true);
        } else if (encrypting) {
            writeFrame(Commands.subscriptionMessage(topic, subscribe), false, false);
        } else {
            encoder.writePrefixedFrame(0, (byte) (subscribe ? 1 : 0), topic);
        }
    }

    /**
     * Sends PING with our HEARTBEAT_TTL in deciseconds and an optional context (up to 16 bytes); nothing
     * when a PING of ours is still in the output batch (not yet taken by {@link #takeOutput}).
     */
    public void sendPing(int ttlDeciseconds, Frame context) {
        requireReady();
        if (pingWaiting) {
            return;
        }
        pingWaiting = true;
        writeFrame(Commands.ping(ttlDeciseconds, context == null ? Frame.EMPTY : context), false, true);
    }

    /** Delivers the ZAP handler's reply to the mechanism; continues or fails the handshake. */
    public void zapReply(ZapReply reply) {
        checkAlive();
        if (state != State.HANDSHAKE || mechanism.status() != Mechanism.Status.WAITING_FOR_ZAP) {
            throw new IllegalStateException("no ZAP request is outstanding");
        }
        try {
            zapAnswer = reply;
            mechanism.zapReply(reply);
            pumpMechanism();
            if (!decoding) {
                decodeLoop();
            }
        } catch (ZmtpException e) {
            throw fail(e);
        }
    }

    /** Bytes waiting in the output batch. */
    public int pendingOutputBytes() {
        return encoder.pendingBytes();
    }

    /**
     * The output not written yet as buffers in {@code batch} (see {@link FrameEncoder#gather}); returns how
     * many. Report what the transport took with {@link #outputWritten(long)}; the buffers stay valid until
     * then. Nothing is allocated per call in steady state.
     */
    public int gatherOutput(ByteBuffer[] batch) {
        pongWaiting = false;
        pingWaiting = false;
        return encoder.gather(batch);
    }

    /** The transport took {@code n} bytes of the gathered output; their buffers may be reused. */
    public void outputWritten(long n) {
        encoder.written(n);
    }

    /** Everything encoded since the last call, in order, as slices the caller may write as they are. */
    public List<Frame> takeOutput() {
        pongWaiting = false;
        pingWaiting = false;
        return encoder.takeOutput();
    }

    // ---- greeting and handshake ----

    private void onGreetingProgress() {
        if (!greetingTailSent && greeting.signatureReceived()) {
            encoder.writeRaw(Greeting.tail(mechanism.name(), mechanism.asServer()));
            greetingTailSent = true;
        }
        if (!greeting.isComplete()) {
            return;
        }
        String peerMechanism = greeting.mechanism();
        if (!peerMechanism.equals(mechanism.name())) {
            throw ZmtpException.protocol("security mechanism mismatch: we use " + mechanism.name()
                + ", the peer uses " + peerMechanism);
        }
        // libzmq 4.3 sends as-server = 0 whatever its role, so a peer claiming "client" may be a libzmq
        // server: only two declared servers are certainly wrong (two clients fail in the handshake).
        if (!"NULL".equals(mechanism.name()) && greeting.asServer() && mechanism.asServer()) {
            throw ZmtpException.protocol("both sides of this " + mechanism.name()
                + " connection are servers; exactly one must be the server");
        }
        peerMinor = greeting.minor();
        peer31 = greeting.isAtLeast31();
        state = State.HANDSHAKE;
        pumpMechanism();
    }

    /** Sends what the mechanism has to send and reacts to its status. */
    private void pumpMechanism() {
        Frame cmd;
        while ((cmd = mechanism.nextHandshakeCommand()) != null) {
            encoder.writeCommand(cmd);
        }
        switch (mechanism.status()) {
            case WAITING_FOR_ZAP -> {
                if (!zapNotified) {
                    zapNotified = true;
                    handler.onZapRequest(mechanism.zapRequest());
                }
            }
            case ERROR -> throw refused();
            case READY -> completeHandshake();
            default -> {
            }
        }
    }

    private ZmtpException refused() {
        if (zapAnswer == null) {
            return ZmtpException.auth(mechanism.name() + " handshake refused the peer");
        }
        String code = zapAnswer.statusCode();
        String text = zapAnswer.statusText() == null || zapAnswer.statusText().isEmpty() ? ""
            : ": " + zapAnswer.statusText();
        return new ZmtpException(ZmtpException.Kind.AUTHENTICATION, mechanism.name()
            + " handshake refused the peer: ZAP handler answered " + code + text, ZmtpException.zapStatusCode(code));
    }

    private void completeHandshake() {
        if (state != State.HANDSHAKE) {
            return;
        }
        Metadata md = mechanism.peerMetadata();
        // The command cap already bounded what the peer's metadata could cost; these are its own bounds.
        ZmtpLimits limits = config.limits();
        if (md.size() > limits.maxProperties()) {
            throw ZmtpException.protocol("peer metadata has " + md.size() + " properties, more than "
                + limits.maxProperties() + " (rzmq.handshake.max-properties)");
        }
        if (md.encodedSize() > limits.maxPropertiesSize()) {
            throw ZmtpException.protocol("peer metadata of " + md.encodedSize() + " bytes exceeds "
                + limits.maxPropertiesSize() + " (rzmq.handshake.max-properties-size)");
        }
        String typeName = md.getString(Metadata.SOCKET_TYPE).orElseThrow(
            () -> ZmtpException.protocol("peer metadata has no Socket-Type property"));
        SocketType peerType = SocketType.fromZmtpName(typeName);
        encrypting = mechanism.encrypts();
        if (peerType == null) {
            throw ZmtpException.protocol("peer announced an unknown Socket-Type '" + typeName + "'");
        }
        if (!config.socketType().canTalkTo(peerType)) {
            writeFrame(Commands.error(INVALID_SOCKET_TYPE_REASON), false, true);
            throw new ZmtpException(ZmtpException.Kind.INCOMPATIBLE_SOCKET_TYPE,
                "a " + config.socketType() + " socket cannot talk to a " + peerType + " peer");
        }
        String userId = mechanism.userId() == null ? "" : mechanism.userId();
        peer = new PeerInfo(peerMinor, peerType, md, userId);
        messageProperties = messageProperties(md, userId);
        decoder.setWrapped(encrypting);
        decoder.setHandshakeLimit(-1);
        state = State.READY;
        handler.onHandshakeComplete(peer);
    }

    /**
     * The properties of every message from this peer, with libzmq's precedence: Peer-Address over what the
     * ZAP handler said (User-Id, then its metadata) over the peer's own READY properties. A peer cannot
     * claim a User-Id or Peer-Address of its own: those two names in its metadata are dropped.
     */
    private Metadata messageProperties(Metadata peerMetadata, String userId) {
        boolean zapAnswered = zapAnswer != null;
        boolean spoofable = peerMetadata.contains(Metadata.USER_ID) || peerMetadata.contains(Metadata.PEER_ADDRESS);
        if (!zapAnswered && !spoofable && config.peerAddress().isEmpty()) {
            return peerMetadata;
        }
        Metadata.Builder b = Metadata.builder();
        for (var e : peerMetadata.entries()) {
            if (!e.getKey().equalsIgnoreCase(Metadata.USER_ID) && !e.getKey().equalsIgnoreCase(Metadata.PEER_ADDRESS)) {
                b.put(e.getKey(), e.getValue());
            }
        }
        if (zapAnswered) {
            b.putAll(mechanism.zapMetadata());
            b.put(Metadata.USER_ID, userId);
        }
        if (!config.peerAddress().isEmpty()) {
            b.put(Metadata.PEER_ADDRESS, config.peerAddress());
        }
        return b.build();
    }

    // ---- decoding ----

    private boolean held() {
        return paused || (state == State.HANDSHAKE && mechanism.status() == Mechanism.Status.WAITING_FOR_ZAP);
    }

    private void decodeLoop() {
        decoding = true;
        try {
            while (!held()) {
                if (!decoder.next()) {
                    Frame next = heldChunks.poll();
                    if (next == null) {
                        return;
                    }
                    heldBytes -= next.size();
                    if (copyFrames) {
                        decoder.setInput(ByteBuffer.wrap(next.unsafeArray(), next.offset(), next.size()));
                    } else {
                        decoder.setInput(next.unsafeArray(), next.offset(), next.size());
                    }
                    continue;
                }
                onFrame(decoder.frame(), decoder.more(), decoder.command());
                if (state == State.FAILED) {
                    return;
                }
            }
        } finally {
            decoding = false;
        }
    }

    private void onFrame(Frame payload, boolean more, boolean command) {
        if (state == State.HANDSHAKE) {
            if (!command) {
                throw ZmtpException.protocol("data frame during the " + mechanism.name() + " handshake");
            }
            try {
                mechanism.processHandshakeCommand(payload);
            } catch (ZmtpException e) {
                throw e;
            } catch (RuntimeException e) {
                throw mechanismBug("handshake command " + Commands.describe(payload), e);
            }
            pumpMechanism();
            return;
        }
        if (encrypting) {
            DecodedFrame d;
            try {
                d = mechanism.decode(payload);
            } catch (ZmtpException e) {
                throw e;
            } catch (RuntimeException e) {
                throw mechanismBug("wrapped frame", e);
            }
            payload = d.payload();
            more = d.more();
            command = d.command();
            if (command) {
                if (more) {
                    throw ZmtpException.protocol("a command frame may not have the MORE flag");
                }
                if (firstPart != null) {
                    throw ZmtpException.protocol("command frame inside a multipart message");
                }
            } else {
                checkWrappedSize(payload.size(), more);
            }
        }
        if (command) {
            onCommand(payload);
            return;
        }
        if (more) {
            if (firstPart == null) {
                firstPart = payload;
            } else {
                parts.add(payload);
            }
            return;
        }
        Frame[] frames;
        if (firstPart == null) {
            if (pubSide && payload.size() > 0 && (payload.get(0) == 1 || payload.get(0) == 0)) {
                deliverResult(handler.onSubscription(payload.slice(1, payload.size() - 1), payload.get(0) == 1));
                return;
            }
            frames = new Frame[] {payload};
        } else {
            frames = new Frame[parts.size() + 2];
            frames[0] = firstPart;
            for (int i = 0; i < parts.size(); i++) {
                frames[i + 1] = parts.get(i);
            }
            frames[frames.length - 1] = payload;
            firstPart = null;
            parts.clear();
        }
        if (config.socketType() == SocketType.PUB) {
            return; // a PUB takes nothing but subscriptions
        }
        deliverResult(handler.onMessage(Msg.ofFrames(messageProperties, frames)));
    }

    /** Peer bytes that made the mechanism throw something other than ZmtpException are still bad input. */
    private ZmtpException mechanismBug(String what, RuntimeException e) {
        return new ZmtpException(ZmtpException.Kind.PROTOCOL,
            mechanism.name() + " could not process the peer's " + what + ": " + e, e);
    }

    /** The unwrapped frames' message totals, counted as {@link FrameDecoder} counts plain ones. */
    private void checkWrappedSize(int size, boolean more) {
        int maxFrames = config.limits().maxMessageFrames();
        if (maxFrames >= 0 && wrappedMessageFrames >= maxFrames) {
            throw new ZmtpException(ZmtpException.Kind.MESSAGE_TOO_LARGE,
                "message of more than " + maxFrames + " frames (rzmq.message.max-frames)");
        }
        long total = wrappedMessageBytes + size + (more ? FrameDecoder.FRAME_OVERHEAD : 0);
        long max = config.maxMessageSize();
        if (max >= 0 && total > max) {
            throw new ZmtpException(ZmtpException.Kind.MESSAGE_TOO_LARGE,
                "message of at least " + total + " bytes exceeds MAXMSGSIZE " + max);
        }
        wrappedMessageBytes = more ? total : 0;
        wrappedMessageFrames = more ? wrappedMessageFrames + 1 : 0;
    }

    private void deliverResult(boolean keepGoing) {
        if (!keepGoing) {
            paused = true;
        }
    }

    private void onCommand(Frame body) {
        if (CommandBody.is(body, Commands.PING)) {
            Commands.Ping ping = Commands.parsePing(body);
            if (!pongWaiting) {
                pongWaiting = true;
                writeFrame(Commands.pong(ping.context()), false, true);
            }
            handler.onPing(ping.ttlDeciseconds());
        } else if (CommandBody.is(body, Commands.SUBSCRIBE)) {
            deliverResult(handler.onSubscription(CommandBody.data(body), true));
        } else if (CommandBody.is(body, Commands.CANCEL)) {
            deliverResult(handler.onSubscription(CommandBody.data(body), false));
        } else if (CommandBody.is(body, Commands.ERROR)) {
            String reason = Commands.parseError(body);
            throw new ZmtpException(ZmtpException.Kind.PEER_ERROR, "peer sent ERROR '" + reason + "'",
                ZmtpException.zapStatusCode(reason));
        } else {
            CommandBody.name(body); // malformed names are a protocol error; PONG and unknown commands are ignored
        }
    }

    // ---- encoding ----

    private void writeFrame(Frame payload, boolean more, boolean command) {
        if (encrypting) {
            int size = mechanism.encodedSize(payload.size());
            if (size >= 0 && size < FrameEncoder.COPY_THRESHOLD) {
                // The box is sealed straight into the batch: no array per message.
                int at = encoder.reserveFrame(0, size);
                mechanism.encodeInto(payload, more, command, encoder.reservedArray(), at);
            } else {
                encoder.writeFrame(0, mechanism.encode(payload, more, command));
            }
        } else {
            encoder.writeFrame((more ? FrameDecoder.FLAG_MORE : 0) | (command ? FrameDecoder.FLAG_COMMAND : 0), payload);
        }
    }

    private void requireReady() {
        checkAlive();
        if (state != State.READY) {
            throw new IllegalStateException("the handshake is not complete");
        }
    }

    private void checkAlive() {
        if (state == State.FAILED) {
            throw failure;
        }
    }

    private ZmtpException fail(ZmtpException e) {
        if (state != State.FAILED) {
            state = State.FAILED;
            failure = e;
        }
        return e;
    }
}
