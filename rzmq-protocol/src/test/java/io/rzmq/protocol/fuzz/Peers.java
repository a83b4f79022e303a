package io.rzmq.protocol.fuzz;

import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Metadata;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import io.rzmq.protocol.ZmtpException;
import io.rzmq.protocol.connection.PeerInfo;
import io.rzmq.protocol.connection.ZmtpConfig;
import io.rzmq.protocol.connection.ZmtpConnection;
import io.rzmq.protocol.security.CurveKeyPair;
import io.rzmq.protocol.security.CurveMechanism;
import io.rzmq.protocol.security.HandshakeContext;
import io.rzmq.protocol.security.Mechanism;
import io.rzmq.protocol.security.NullMechanism;
import io.rzmq.protocol.security.PlainMechanism;
import io.rzmq.protocol.security.ZapReply;
import io.rzmq.protocol.security.ZapRequest;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import static io.rzmq.protocol.fuzz.Invariants.require;

/**
 * Mechanisms and connections as the fuzz targets and the seed writer build them. Every source of
 * randomness is a {@link FixedRandom}, so a handshake recorded once replays byte for byte: a CURVE
 * server built here sends the same WELCOME (cookie included) every time, and the recorded INITIATE
 * that answers it stays valid.
 */
final class Peers {
    private Peers() {
    }

    static final CurveKeyPair SERVER_KEYS = CurveKeyPair.generate(new FixedRandom(1));
    static final CurveKeyPair CLIENT_KEYS = CurveKeyPair.generate(new FixedRandom(2));
    static final String USER = "admin";
    static final String PASSWORD = "secret";
    static final String ZAP_DOMAIN = "fuzz";

    /** The mechanism kinds on the side under test. NULL has no roles; PLAIN and CURVE have two. */
    enum Side {
        NULL("NULL", false), PLAIN_CLIENT("PLAIN", false), PLAIN_SERVER("PLAIN", true),
        CURVE_CLIENT("CURVE", false), CURVE_SERVER("CURVE", true);

        final String mechanism;
        final boolean server;

        Side(String mechanism, boolean server) {
            this.mechanism = mechanism;
            this.server = server;
        }

        /** The side a real peer of this one takes. */
        Side counterpart() {
            return switch (this) {
                case NULL -> NULL;
                case PLAIN_CLIENT -> PLAIN_SERVER;
                case PLAIN_SERVER -> PLAIN_CLIENT;
                case CURVE_CLIENT -> CURVE_SERVER;
                case CURVE_SERVER -> CURVE_CLIENT;
            };
        }
    }

    static HandshakeContext context(SocketType type, boolean zap) {
        Metadata md = Metadata.builder().put(Metadata.SOCKET_TYPE, type.zmtpName()).put("X-Fuzz", "1").build();
        return new HandshakeContext(md, zap, zap ? ZAP_DOMAIN : "", "127.0.0.1");
    }

    /** A fresh mechanism for {@code side}; {@code randomSeed} fixes CURVE's transient keys and cookie. */
    static Mechanism mechanism(Side side, SocketType type, boolean zap, long randomSeed) {
        HandshakeContext ctx = context(type, zap);
        return switch (side) {
            case NULL -> new NullMechanism(ctx);
            case PLAIN_CLIENT -> PlainMechanism.client(USER, PASSWORD, ctx);
            case PLAIN_SERVER -> PlainMechanism.server(ctx);
            case CURVE_CLIENT -> CurveMechanism.client(CLIENT_KEYS, SERVER_KEYS.publicKey(), ctx, new FixedRandom(randomSeed));
            case CURVE_SERVER -> CurveMechanism.server(SERVER_KEYS, ctx, new FixedRandom(randomSeed));
        };
    }

    /** The seed of the side under test in the targets (the recorded peer uses another one). */
    static final long UNDER_TEST_SEED = 3;
    static final long PEER_SEED = 4;

    /** ZAP answers the targets can give: index 0 admits, the rest refuse or are malformed. */
    static ZapReply zapAnswer(ZapRequest request, int choice) {
        byte[] id = request.requestId();
        return switch (choice % 6) {
            case 0 -> new ZapReply(id, "200", "OK", "user", Metadata.builder().put("X-Zap", "yes").build());
            case 1 -> new ZapReply(id, "300", "later", "", Metadata.EMPTY);
            case 2 -> new ZapReply(id, "400", "no", "", Metadata.EMPTY);
            case 3 -> new ZapReply(id, "500", "broken", "", Metadata.EMPTY);
            case 4 -> new ZapReply("other".getBytes(), "200", "OK", "user", Metadata.EMPTY);
            default -> new ZapReply(id, "999", "?", "", Metadata.EMPTY);
        };
    }

    /**
     * A connection with a handler that records what it delivers and checks each delivery against the
     * limits, and answers ZAP requests with {@link #zapAnswer}.
     */
    static final class Endpoint implements ZmtpConnection.Handler {
        final ZmtpConnection conn;
        final long maxMessageSize;
        final List<Msg> messages = new ArrayList<>();
        final List<Frame> subscriptions = new ArrayList<>();
        int pauseMask;
        /** When set, chunks go in through this one reused buffer (the v2 loop's read path). */
        java.nio.ByteBuffer sharedBuffer;
        int callbacks;
        ZapRequest pendingZap;
        int zapChoice;
        boolean zapRefused;
        long bytesIn;
        ZmtpException failure;

        Endpoint(SocketType type, long maxMessageSize, Mechanism mechanism) {
            this.maxMessageSize = maxMessageSize;
            this.conn = new ZmtpConnection(new ZmtpConfig(type, maxMessageSize, "127.0.0.1"), mechanism, this);
            conn.start();
        }

        @Override
        public void onHandshakeComplete(PeerInfo peer) {
            callbacks++;
            require(!conn.isFailed(), "handshake completed on a failed connection");
        }

        @Override
        public boolean onMessage(Msg msg) {
            callbacks++;
            long size = msg.byteSize();
            require(size <= bytesIn, "message of " + size + " bytes from " + bytesIn + " bytes of input");
            require(maxMessageSize < 0 || size <= maxMessageSize, "message of " + size + " bytes passed MAXMSGSIZE " + maxMessageSize);
            require(msg.frameCount() >= 1, "message without frames");
            messages.add(msg);
            return (pauseMask & (1 << (callbacks & 7))) == 0;
        }

        @Override
        public boolean onSubscription(Frame topic, boolean subscribe) {
            callbacks++;
            Invariants.notAmplified(topic, bytesIn, "subscription topic");
            subscriptions.add(topic);
            return (pauseMask & (1 << (callbacks & 7))) == 0;
        }

        @Override
        public void onZapRequest(ZapRequest request) {
            require(pendingZap == null, "a second ZAP request while one is outstanding");
            pendingZap = request;
        }

        /**
         * Feeds one chunk (a fresh array: the connection keeps slices of it), then answers ZAP and resumes a
         * paused decoder until it settles. Returns false once the connection has failed.
         */
        boolean feed(byte[] chunk) {
            if (failure != null) {
                return false;
            }
            bytesIn += chunk.length;
            failure = Invariants.protocolOnly(() -> {
                if (sharedBuffer != null) {
                    sharedBuffer.clear();
                    sharedBuffer.put(chunk).flip();
                    conn.receive(sharedBuffer);
                    // The loop reuses its buffer for the next read: nothing may refer to it now.
                    sharedBuffer.clear();
                    for (int i = 0; i < chunk.length; i++) {
                        sharedBuffer.put(i, (byte) 0x5A);
                    }
                } else {
                    conn.receive(chunk, 0, chunk.length);
                }
                settle();
            });
            BoundsAssertions.connection(conn, bytesIn, maxMessageSize);
            afterCall();
            return failure == null;
        }

        private void settle() {
            for (int i = 0; i < 10_000; i++) {
                if (pendingZap != null && !conn.isFailed()) {
                    ZapRequest r = pendingZap;
                    pendingZap = null;
                    ZapReply answer = zapAnswer(r, zapChoice);
                    zapRefused |= !answer.accepted() || !java.util.Arrays.equals(answer.requestId(), r.requestId());
                    conn.zapReply(answer);
                } else if (conn.isPaused() && !conn.isFailed()) {
                    conn.resumeDecoding();
                } else {
                    return;
                }
            }
            throw new AssertionError("the connection did not settle after 10000 resumes (a hang)");
        }

        private void afterCall() {
            if (failure != null) {
                require(conn.isFailed() && conn.failure() == failure, "a thrown ZmtpException must fail the connection");
                ZmtpException again = Invariants.protocolOnly(() -> conn.receive(new byte[] {0}, 0, 1));
                require(again == failure, "a failed connection must keep failing with its first failure");
            }
            if (conn.isReady()) {
                PeerInfo peer = conn.peer();
                require(peer != null, "ready without a peer");
                Invariants.notAmplified(peer.metadata(), bytesIn, "peer metadata");
                require(!zapRefused, "the handshake completed although the ZAP handler refused the peer");
            }
        }

        /** Everything this side wants to send, as one array. */
        byte[] output() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (Frame f : conn.takeOutput()) {
                out.write(f.unsafeArray(), f.offset(), f.size());
            }
            return out.toByteArray();
        }
    }
}
