package io.rzmq.protocol.fuzz;

import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Metadata;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import io.rzmq.protocol.security.ZapCodec;
import io.rzmq.protocol.security.ZapReply;
import io.rzmq.protocol.security.ZapRequest;
import io.rzmq.protocol.wire.Commands;
import io.rzmq.protocol.wire.FrameEncoder;
import io.rzmq.protocol.wire.Greeting;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The valid inputs the fuzz corpus starts from: libzmq's own bytes where the interop facts give them,
 * handshakes recorded from our mechanisms (deterministic, see {@link Peers}), RFC 32's Z85 vector, a
 * certificate. Regenerate them (after a wire change) from the rzmq-protocol directory with
 * <pre>
 *   mvn -B -ntp -q test-compile exec:java -Dexec.classpathScope=test \
 *       -Dexec.mainClass=io.rzmq.protocol.fuzz.SeedCorpus
 * </pre>
 * Only files named {@code seed-*} are rewritten; findings ({@code crash-*}, {@code timeout-*}) and other
 * hand-written entries are left alone. {@code SeedCorpusTest} checks that the handshake seeds still
 * complete a handshake.
 */
public final class SeedCorpus {
    private SeedCorpus() {
    }

    /** The body of libzmq 4.3's READY from a DEALER, byte for byte (shared/design/interop-facts.md). */
    static final byte[] LIBZMQ_DEALER_READY = cat(bytes(5), ascii("READY"), bytes(11), ascii("Socket-Type"), bytes(0, 0, 0, 6),
        ascii("DEALER"), bytes(8), ascii("Identity"), bytes(0, 0, 0, 0));
    /** The same as a frame on the wire: a short command frame of 0x29 bytes. */
    static final byte[] LIBZMQ_DEALER_READY_FRAME = cat(bytes(0x04, 0x29), LIBZMQ_DEALER_READY);

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : "src/test/resources/io/rzmq/protocol/fuzz");
        for (Map.Entry<String, byte[]> e : all().entrySet()) {
            Path file = root.resolve(e.getKey());
            Files.createDirectories(file.getParent());
            Files.write(file, e.getValue());
        }
        System.out.println("wrote " + all().size() + " seeds under " + root.toAbsolutePath());
    }

    /** Relative path (Class + "Inputs/" + method + "/seed-name") to bytes. */
    static Map<String, byte[]> all() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        String fd = "FrameDecoderFuzzTestInputs/decode/seed-";
        byte[] dealerStream = cat(LIBZMQ_DEALER_READY_FRAME, frame(0x01, "part1"), frame(0x00, "part2"), frame(0x02, new byte[300]));
        seeds.put(fd + "libzmq-dealer-ready-then-messages", cat(bytes(0, 0, 0), dealerStream));
        seeds.put(fd + "same-in-small-chunks-limit-1000", cat(bytes(6, 0, 7), dealerStream));
        seeds.put(fd + "wrapped-long-frame", cat(bytes(7, 1, 3), frame(0x02, new byte[70])));
        seeds.put(fd + "ping-command", cat(bytes(3, 0, 1), frame(0x04, Commands.ping(100, Frame.of("ctx")).toByteArray())));

        String gd = "GreetingDecoderFuzzTestInputs/feed/seed-";
        seeds.put(gd + "null-3.1", cat(bytes(0), Greeting.encode("NULL", false)));
        seeds.put(gd + "curve-server-bytewise", cat(bytes(1), Greeting.encode("CURVE", true)));
        byte[] v30 = Greeting.encode("PLAIN", false);
        v30[Greeting.MINOR_OFFSET] = 0;
        seeds.put(gd + "plain-3.0-chunked", cat(bytes(9), v30));

        for (Peers.Side side : Peers.Side.values()) {
            String dir = switch (side) {
                case NULL -> "NullHandshake";
                case PLAIN_CLIENT -> "PlainClient";
                case PLAIN_SERVER -> "PlainServer";
                case CURVE_CLIENT -> "CurveClient";
                case CURVE_SERVER -> "CurveServer";
            } + "FuzzTestInputs/peerBytes/seed-";
            SocketType ours = side.server ? SocketType.ROUTER : SocketType.DEALER;
            SocketType theirs = side.server ? SocketType.DEALER : SocketType.ROUTER;
            boolean zapAlways = side == Peers.Side.PLAIN_SERVER;
            seeds.put(dir + "handshake-then-messages", handshakeSeed(side, ours, theirs, zapAlways, 0));
            seeds.put(dir + "handshake-in-chunks", handshakeSeed(side, ours, theirs, zapAlways, 11));
            if (side.server || side == Peers.Side.NULL) {
                seeds.put(dir + "with-zap", handshakeSeed(side, ours, theirs, true, 0));
            }
            if (side == Peers.Side.NULL) {
                seeds.put(dir + "pub-sub", handshakeSeed(side, SocketType.PUB, SocketType.SUB, false, 5));
            }
        }

        String zc = "ZmtpConnectionFuzzTestInputs/peerStream/seed-";
        byte[] libzmqGreeting = Greeting.encode("NULL", false);
        seeds.put(zc + "libzmq-dealer-to-router", cat(bytes(6, 0, 0, 0), libzmqGreeting, frame(0x04, LIBZMQ_DEALER_READY),
            frame(0x01, ""), frame(0x00, "hello")));
        seeds.put(zc + "dealer-ping-pauses-chunks", cat(bytes(5, 6, 17, 0xAA), libzmqGreeting,
            frame(0x04, LIBZMQ_DEALER_READY), frame(0x04, Commands.ping(50, Frame.of("abc")).toByteArray()),
            frame(0x01, "a"), frame(0x01, "b"), frame(0x00, "c"), frame(0x00, "d")));
        byte[] subReady = Commands.ready(Metadata.builder().put(Metadata.SOCKET_TYPE, "SUB").build()).toByteArray();
        seeds.put(zc + "sub-to-pub-3.1-and-3.0-subscriptions", cat(bytes(1, 0, 0, 0), libzmqGreeting, frame(0x04, subReady),
            frame(0x04, Commands.subscribe(Frame.of("topic")).toByteArray()), frame(0x00, "\u0001news"),
            frame(0x04, Commands.cancel(Frame.of("topic")).toByteArray()), frame(0x00, "\u0000news")));
        byte[] xsubReady = Commands.ready(Metadata.builder().put(Metadata.SOCKET_TYPE, "XSUB").build()).toByteArray();
        seeds.put(zc + "xsub-to-xpub-message", cat(bytes(9, 4, 3, 0), libzmqGreeting, frame(0x04, xsubReady),
            frame(0x00, "\u0001a"), frame(0x00, "plain message")));
        seeds.put(zc + "error-after-ready", cat(bytes(6, 0, 0, 0), libzmqGreeting, frame(0x04, LIBZMQ_DEALER_READY),
            frame(0x04, Commands.error("go away").toByteArray())));

        String hm = "HandshakeMutationFuzzTestInputs/mutate/seed-";
        seeds.put(hm + "null-untouched", bytes(0, 0, 0));
        seeds.put(hm + "plain-untouched", bytes(1, 0, 0));
        seeds.put(hm + "curve-untouched-zap", bytes(2, 2, 0));
        seeds.put(hm + "curve-flip-in-hello", bytes(2, 0, 1, 0, 100, 0, 3));
        seeds.put(hm + "null-insert-in-ready", bytes(0, 1, 1, 0, 70, 1, 0x20));

        String zap = "ZapCodecFuzzTestInputs/decode/seed-";
        seeds.put(zap + "plain-request", cat(bytes(0), lengthPrefixed(ZapCodec.encodeRequest(new ZapRequest(
            "1".getBytes(StandardCharsets.US_ASCII), "global", "127.0.0.1", "id".getBytes(StandardCharsets.US_ASCII), "PLAIN",
            List.of("admin".getBytes(StandardCharsets.US_ASCII), "secret".getBytes(StandardCharsets.US_ASCII)))))));
        seeds.put(zap + "curve-request", cat(bytes(0), lengthPrefixed(ZapCodec.encodeRequest(new ZapRequest(
            "7".getBytes(StandardCharsets.US_ASCII), "", "10.0.0.1", new byte[0], "CURVE", List.of(Peers.CLIENT_KEYS.publicKey()))))));
        seeds.put(zap + "null-request", cat(bytes(0), lengthPrefixed(ZapCodec.encodeRequest(new ZapRequest(
            "1".getBytes(StandardCharsets.US_ASCII), "d", "", new byte[0], "NULL", List.of())))));
        seeds.put(zap + "reply-200-with-metadata", cat(bytes(1), lengthPrefixed(ZapCodec.encodeReply(new ZapReply(
            "1".getBytes(StandardCharsets.US_ASCII), "200", "OK", "alice", Metadata.builder().put("X-Role", "admin").build())))));
        seeds.put(zap + "reply-400", cat(bytes(1), lengthPrefixed(ZapCodec.encodeReply(new ZapReply(
            "2".getBytes(StandardCharsets.US_ASCII), "400", "denied", "", Metadata.EMPTY)))));

        String cm = "CommandsFuzzTestInputs/parse/seed-";
        seeds.put(cm + "libzmq-dealer-ready", LIBZMQ_DEALER_READY);
        seeds.put(cm + "ready-identity", Commands.ready(Metadata.builder().put(Metadata.SOCKET_TYPE, "ROUTER")
            .put(Metadata.IDENTITY, "me").put("X-Long", new byte[300]).build()).toByteArray());
        seeds.put(cm + "error", Commands.error("Invalid socket type").toByteArray());
        seeds.put(cm + "ping", Commands.ping(300, Frame.of("0123456789abcdef")).toByteArray());
        seeds.put(cm + "pong", Commands.pong(Frame.of("ctx")).toByteArray());
        seeds.put(cm + "subscribe", Commands.subscribe(Frame.of("weather")).toByteArray());
        seeds.put(cm + "cancel", Commands.cancel(Frame.EMPTY).toByteArray());

        String z = "Z85FuzzTestInputs/roundTrip/seed-";
        // RFC 32's test vector and libzmq's CURVE test keys.
        seeds.put(z + "rfc32-hello-world", cat(bytes(1), "HelloWorld".getBytes(StandardCharsets.US_ASCII)));
        seeds.put(z + "rfc32-bytes", cat(bytes(0), hex("864FD26FB559F75B")));
        seeds.put(z + "libzmq-server-public-key", cat(bytes(1),
            "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7".getBytes(StandardCharsets.US_ASCII)));
        seeds.put(z + "key-bytes", cat(bytes(0), Peers.SERVER_KEYS.publicKey()));

        String zp = "ZplFuzzTestInputs/parse/seed-";
        seeds.put(zp + "certificate", ("#   ****  Generated on 2026-01-01 by rzmq  ****\n"
            + "#   ZeroMQ CURVE Public Certificate\n\nmetadata\n    name = \"server\"\n    email = 'a@b.c'\n"
            + "curve\n    public-key = \"" + Peers.SERVER_KEYS.publicKeyZ85() + "\"\n").getBytes(StandardCharsets.UTF_8));
        seeds.put(zp + "rfc4-example", ("context\n    iothreads = 1\n    verbose = 1      #   Ask for a trace\nmain\n"
            + "    type = zqueue    #  ZMQ_DEVICE type\n    frontend\n        option\n            hwm = 1000\n"
            + "            swap = 25000000     #  25MB\n        bind = 'inproc://addr1'\n        bind = 'ipc://addr2'\n"
            + "    backend\n        bind = inproc://addr3\r\n").getBytes(StandardCharsets.UTF_8));
        return seeds;
    }

    /**
     * Target input for {@link HandshakeTarget}: options, our type, no limit, chunk seed, then what a real
     * counterpart sends after its greeting (handshake, a message, for a SUB a subscription).
     */
    static byte[] handshakeSeed(Peers.Side side, SocketType ours, SocketType theirs, boolean zap, int chunkSeed) {
        Peers.Endpoint us = new Peers.Endpoint(ours, -1, Peers.mechanism(side, ours, zap, Peers.UNDER_TEST_SEED));
        Peers.Endpoint peer = new Peers.Endpoint(theirs, -1, Peers.mechanism(side.counterpart(), theirs,
            side.counterpart() == Peers.Side.PLAIN_SERVER, Peers.PEER_SEED));
        ByteArrayOutputStream recorded = new ByteArrayOutputStream();
        for (int round = 0; round < 20; round++) {
            byte[] mine = us.output();
            byte[] his = peer.output();
            recorded.writeBytes(his);
            if (mine.length > 0) {
                peer.feed(mine);
            }
            if (his.length > 0) {
                us.feed(his);
            }
            if (mine.length == 0 && his.length == 0) {
                break;
            }
        }
        if (!us.conn.isReady() || !peer.conn.isReady()) {
            throw new IllegalStateException(side + " seed handshake did not complete: " + us.failure + " / " + peer.failure);
        }
        if (theirs == SocketType.SUB) {
            peer.conn.sendSubscription(Frame.of("news"), true);
        } else {
            peer.conn.send(theirs == SocketType.ROUTER ? Msg.of("", "hello") : Msg.of("hello", "world"));
        }
        peer.conn.sendPing(10, Frame.of("hb"));
        recorded.writeBytes(peer.output());
        byte[] all = recorded.toByteArray();
        byte[] afterGreeting = java.util.Arrays.copyOfRange(all, Greeting.SIZE, all.length);
        int typeIndex = List.of(HandshakeTarget.TYPES).indexOf(ours);
        return cat(bytes(zap ? 1 : 0, typeIndex, 0, chunkSeed), afterGreeting);
    }

    static byte[] frame(int flags, String text) {
        return frame(flags, text.getBytes(StandardCharsets.ISO_8859_1));
    }

    static byte[] frame(int flags, byte[] body) {
        FrameEncoder enc = new FrameEncoder();
        enc.writeFrame(flags & ~0x02, Frame.wrap(body.clone()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Frame f : enc.takeOutput()) {
            out.write(f.unsafeArray(), f.offset(), f.size());
        }
        return out.toByteArray();
    }

    static byte[] lengthPrefixed(List<Frame> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Frame f : frames) {
            out.write(f.size());
            out.writeBytes(f.toByteArray());
        }
        return out.toByteArray();
    }

    static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }
}
