package io.rzmq.protocol.connection;

import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Metadata;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import io.rzmq.protocol.ZmtpException;
import io.rzmq.protocol.security.HandshakeContext;
import io.rzmq.protocol.security.NullMechanism;
import io.rzmq.protocol.security.ZapReply;
import io.rzmq.protocol.wire.Bytes;
import io.rzmq.protocol.wire.Commands;
import io.rzmq.protocol.wire.Greeting;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static io.rzmq.protocol.wire.Bytes.commandFrame;
import static io.rzmq.protocol.wire.Bytes.of;
import static io.rzmq.protocol.wire.Bytes.zeros;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A connection fed hand-written peer bytes; its output checked byte for byte. */
class ZmtpConnectionScriptedTest {
    private static final byte[] SIGNATURE = of(0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0x7F);
    private static final byte[] NULL_31 = of(SIGNATURE, 3, 1, "NULL", zeros(16), 0, zeros(31));
    private static final byte[] NULL_30 = of(SIGNATURE, 3, 0, "NULL", zeros(16), 0, zeros(31));
    private static final byte[] LIBZMQ_DEALER_READY =
        of(0x04, 0x29, 0x05, "READY", 0x0B, "Socket-Type", 0, 0, 0, 6, "DEALER", 0x08, "Identity", 0, 0, 0, 0);

    private static Metadata local(SocketType t) {
        return Metadata.builder().put(Metadata.SOCKET_TYPE, t.zmtpName()).build();
    }

    private static ZmtpConnection connection(SocketType t, RecordingHandler h, long max) {
        return new ZmtpConnection(new ZmtpConfig(t, max), new NullMechanism(HandshakeContext.of(local(t))), h);
    }

    private static void feed(ZmtpConnection c, byte[] bytes) {
        c.receive(bytes, 0, bytes.length);
    }

    private static byte[] out(ZmtpConnection c) {
        return Bytes.concat(c.takeOutput());
    }

    private static void assertKind(Runnable r, ZmtpException.Kind kind) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(ZmtpException.class, e -> assertThat(e.kind()).isEqualTo(kind));
    }

    /** A connection of type {@code t} that completed its handshake with a libzmq-like peer of type peerType. */
    private static ZmtpConnection ready(SocketType t, SocketType peerType, byte[] peerGreeting, RecordingHandler h, long max) {
        ZmtpConnection c = connection(t, h, max);
        c.start();
        feed(c, peerGreeting);
        feed(c, commandFrame(Commands.ready(local(peerType))));
        assertThat(c.isReady()).isTrue();
        out(c);
        return c;
    }

    @Test
    void greetingIsStagedAndReadFromSingleBytes() {
        RecordingHandler h = new RecordingHandler();
        ZmtpConnection c = connection(SocketType.DEALER, h, -1);
        c.start();
        assertThat(out(c)).isEqualTo(SIGNATURE);
        for (int i = 0; i < 64; i++) {
            c.receive(new byte[] {NULL_31[i]}, 0, 1);
            byte[] sent = out(c);
            if (i == 9) {
                // The peer's signature is complete: the rest of our greeting goes out now.
                assertThat(sent).isEqualTo(Arrays.copyOfRange(Greeting.encode("NULL", false), 10, 64));
            } else if (i == 63) {
                assertThat(sent).isEqualTo(commandFrame(Commands.ready(local(SocketType.DEALER))));
            } else {
                assertThat(sent).as("output after peer byte " + i).isEmpty();
            }
        }
        assertThat(c.isReady()).isFalse();
        for (byte b : LIBZMQ_DEALER_READY) {
            c.receive(new byte[] {b}, 0, 1);
        }
        assertThat(c.isReady()).isTrue();
        assertThat(h.peer.socketType()).isEqualTo(SocketType.DEALER);
        assertThat(h.peer.minorVersion()).isEqualTo(1);
        assertThat(h.peer.identity()).isEmpty();
    }

    @Test
    void greetingHandshakeAndMessagesInOneChunk() {
        RecordingHandler h = new RecordingHandler();
        ZmtpConnection c = connection(SocketType.DEALER, h, -1);
        c.start();
        feed(c, of(NULL_31, LIBZMQ_DEALER_READY, 0x01, 1, "a", 0x00, 1, "b", 0x00, 0));
        assertThat(h.messages).containsExactly(Msg.of("a", "b"), Msg.of(new byte[0]));
        assertThat(out(c)).isEqualTo(of(Greeting.encode("NULL", false), commandFrame(Commands.ready(local(SocketType.DEALER)))));
    }

    @Test
    void mechanismMismatchIsAProtocolError() {
        ZmtpConnection c = connection(SocketType.DEALER, new RecordingHandler(), -1);
        c.start();
        byte[] plain = of(SIGNATURE, 3, 1, "PLAIN", zeros(15), 1, zeros(31));
        assertThatThrownBy(() -> feed(c, plain)).isInstanceOfSatisfying(ZmtpException.class, e -> {
            assertThat(e.kind()).isEqualTo(ZmtpException.Kind.PROTOCOL);
            assertThat(e.getMessage()).contains("NULL").contains("PLAIN");
        });
        assertThat(c.isFailed()).isTrue();
        assertThatThrownBy(() -> feed(c, of(0))).isInstanceOf(ZmtpException.class);
    }

    @Test
    void unknownMechanismIsAProtocolError() {
        ZmtpConnection c = connection(SocketType.DEALER, new RecordingHandler(), -1);
        c.start();
        assertKind(() -> feed(c, of(SIGNATURE, 3, 1, "GSSAPI", zeros(14), 0, zeros(31))), ZmtpException.Kind.PROTOCOL);
    }

    @Test
    void twoServersOfANonNullMechanismAreRefused() {
        Metadata md = local(SocketType.DEALER);
        ZmtpConnection c = new ZmtpConnection(ZmtpConfig.of(SocketType.DEALER), new XorTestMechanism(md, true), new RecordingHandler());
        c.start();
        assertKind(() -> feed(c, Greeting.encode(XorTestMechanism.NAME, true)), ZmtpException.Kind.PROTOCOL);
    }

    @Test
    void aPeerDeclaringClientMayBeALibzmqServer() {
        // libzmq 4.3 writes as-server = 0 even for a CURVE/PLAIN server: the greeting alone cannot refuse it.
        Metadata md = local(SocketType.DEALER);
        ZmtpConnection c = new ZmtpConnection(ZmtpConfig.of(SocketType.DEALER), new XorTestMechanism(md, false), new RecordingHandler());
        c.start();
        feed(c, Greeting.encode(XorTestMechanism.NAME, false));
        assertThat(c.isFailed()).isFalse();
    }

    @Test
    void olderZmtpPeersAreRefusedWithoutWaiting() {
        ZmtpConnection v2 = connection(SocketType.DEALER, new RecordingHandler(), -1);
        v2.start();
        assertThatThrownBy(() -> feed(v2, of(SIGNATURE, 0x01))).isInstanceOfSatisfying(ZmtpException.class, e -> {
            assertThat(e.kind()).isEqualTo(ZmtpException.Kind.PROTOCOL);
            assertThat(e.getMessage()).contains("older ZMTP");
        });
        ZmtpConnection v1 = connection(SocketType.DEALER, new RecordingHandler(), -1);
        v1.start();
        assertKind(() -> feed(v1, of(0x06, 0x00, "hello")), ZmtpException.Kind.PROTOCOL);
    }

    @Test
    void dataFrameDuringHandshakeIsRefused() {
        ZmtpConnection c = connection(SocketType.DEALER, new RecordingHandler(), -1);
        c.start();
        assertKind(() -> feed(c, of(NULL_31, 0x00, 2, "hi")), ZmtpException.Kind.PROTOCOL);
    }

    @Test
    void truncatedReadyIsRefused() {
        ZmtpConnection c = connection(SocketType.DEALER, new RecordingHandler(), -1);
        c.start();
        assertKind(() -> feed(c, of(NULL_31, 0x04, 0x0A, 0x05, "READY", 0x0B, "Soc")), ZmtpException.Kind.PROTOCOL);
    }

    @Test
    void incompatibleSocketTypeQueuesErrorAndFails() {
        ZmtpConnection c = connection(SocketType.PUSH, new RecordingHandler(), -1);
        c.start();
        feed(c, NULL_31);
        out(c);
        assertKind(() -> feed(c, LIBZMQ_DEALER_READY), ZmtpException.Kind.INCOMPATIBLE_SOCKET_TYPE);
        assertThat(out(c)).isEqualTo(commandFrame(Commands.error("Invalid socket type")));
        assertThat(c.isReady()).isFalse();
    }

    @Test
    void unknownSocketTypeIsAProtocolError() {
        ZmtpConnection c = connection(SocketType.DEALER, new RecordingHandler(), -1);
        c.start();
        feed(c, NULL_31);
        assertKind(() -> feed(c, commandFrame(Commands.ready(Metadata.builder().put("Socket-Type", "CLIENT").build()))),
            ZmtpException.Kind.PROTOCOL);
    }

    @Test
    void pingIsAnsweredWithPongEchoingContext() {
        RecordingHandler h = new RecordingHandler();
        ZmtpConnection c = ready(SocketType.DEALER, SocketType.DEALER, NULL_31, h, -1);
        feed(c, of(0x04, 10, 4, "PING", 0, 50, "ctx"));
        assertThat(out(c)).isEqualTo(of(0x04, 8, 4, "PONG", "ctx"));
        assertThat(h.pings).containsExactly(50);
        feed(c, of(0x04, 5, 4, "PONG"));
        feed(c, of(0x04, 6, 5, "XHELO"));
        assertThat(c.isFailed()).as("PONG and unknown commands are ignored").isFalse();
    }

    @Test
    void sendPingIsByteExact() {
        ZmtpConnection c = ready(SocketType.DEALER, SocketType.DEALER, NULL_31, new RecordingHandler(), -1);
        c.sendPing(300, Frame.of("ab"));
        assertThat(out(c)).isEqualTo(of(0x04, 9, 4, "PING", 0x01, 0x2C, "ab"));
    }

    @Test
    void errorAfterHandshakeIsPeerError() {
        ZmtpConnection c = ready(SocketType.DEALER, SocketType.DEALER, NULL_31, new RecordingHandler(), -1);
        assertThatThrownBy(() -> feed(c, commandFrame(Commands.error("bye")))).isInstanceOfSatisfying(ZmtpException.class, e -> {
            assertThat(e.kind()).isEqualTo(ZmtpException.Kind.PEER_ERROR);
            assertThat(e.getMessage()).contains("bye");
        });
    }

    @Test
    void subscriptionsTakeThePeersForm() {
        ZmtpConnection to31 = ready(SocketType.SUB, SocketType.PUB, NULL_31, new RecordingHandler(), -1);
        to31.sendSubscription(Frame.of("news"), true);
        to31.sendSubscription(Frame.of("news"), false);
        assertThat(out(to31)).isEqualTo(of(0x04, 14, 9, "SUBSCRIBE", "news", 0x04, 11, 6, "CANCEL", "news"));

        ZmtpConnection to30 = ready(SocketType.SUB, SocketType.PUB, NULL_30, new RecordingHandler(), -1);
        assertThat(to30.peer().minorVersion()).isZero();
        to30.sendSubscription(Frame.of("news"), true);
        to30.sendSubscription(Frame.of("news"), false);
        assertThat(out(to30)).isEqualTo(of(0x00, 5, 1, "news", 0x00, 5, 0, "news"));
    }

    @Test
    void publisherTurnsZmtp30MessagesIntoSubscriptionsAndDropsTheRest() {
        RecordingHandler h = new RecordingHandler();
        ZmtpConnection pub = ready(SocketType.PUB, SocketType.SUB, NULL_30, h, -1);
        feed(pub, of(0x00, 5, 1, "news", 0x00, 3, 0, "ab", 0x00, 1, 1, 0x00, 2, "hi", 0x04, 13, 9, "SUBSCRIBE", "cmd"));
        assertThat(h.subscriptions).containsExactly("+news", "-ab", "+", "+cmd");
        assertThat(h.messages).isEmpty();
    }

    @Test
    void xpubGetsOtherMessagesAsMessages() {
        RecordingHandler h = new RecordingHandler();
        ZmtpConnection xpub = ready(SocketType.XPUB, SocketType.SUB, NULL_30, h, -1);
        feed(xpub, of(0x00, 5, 1, "news", 0x00, 2, "hi", 0x01, 2, 1, "a", 0x00, 1, "b"));
        assertThat(h.subscriptions).containsExactly("+news");
        assertThat(h.messages).containsExactly(Msg.of("hi"), Msg.ofFrames(Frame.wrap(of(1, "a")), Frame.of("b")));
    }

    @Test
    void subscriberDoesNotTreatDataAsSubscriptions() {
        RecordingHandler h = new RecordingHandler();
        ZmtpConnection sub = ready(SocketType.SUB, SocketType.PUB, NULL_30, h, -1);
        feed(sub, of(0x00, 5, 1, "news"));
        assertThat(h.subscriptions).isEmpty();
        assertThat(h.messages).containsExactly(Msg.of(of(1, "news")));
    }

    @Test
    void pauseKeepsUndecodedBytesUntilResume() {
        RecordingHandler h = new RecordingHandler();
        ZmtpConnection c = ready(SocketType.DEALER, SocketType.DEALER, NULL_31, h, -1);
        h.accept = false;
        feed(c, of(0x00, 1, "a", 0x00, 1, "b", 0x01, 1, "c"));
        assertThat(h.messages).containsExactly(Msg.of("a"));
        assertThat(c.isPaused()).isTrue();
        feed(c, of(0x00, 1, "d"));
        feed(c, of(0x00, 1, "e"));
        assertThat(h.messages).hasSize(1);
        c.resumeDecoding();
        assertThat(h.messages).containsExactly(Msg.of("a"), Msg.of("b"));
        h.accept = true;
        c.resumeDecoding();
        assertThat(c.isPaused()).isFalse();
        assertThat(h.messages).containsExactly(Msg.of("a"), Msg.of("b"), Msg.of("c", "d"), Msg.of("e"));
        feed(c, of(0x00, 1, "f"));
        assertThat(h.messages).hasSize(5);
    }

    @Test
    void subscriptionHandlerCanPauseToo() {
        RecordingHandler h = new RecordingHandler();
        ZmtpConnection pub = ready(SocketType.PUB, SocketType.SUB, NULL_31, h, -1);
        h.accept = false;
        feed(pub, of(0x04, 11, 9, "SUBSCRIBE", "a", 0x04, 11, 9, "SUBSCRIBE", "b"));
        assertThat(h.subscriptions).containsExactly("+a");
        h.accept = true;
        pub.resumeDecoding();
        assertThat(h.subscriptions).containsExactly("+a", "+b");
    }

    @Test
    void maxMessageSizeAppliesToTheWholeMessage() {
        RecordingHandler h = new RecordingHandler();
        ZmtpConnection c = ready(SocketType.DEALER, SocketType.DEALER, NULL_31, h, 10);
        feed(c, of(0x00, 10, "0123456789"));
        assertThat(h.messages).hasSize(1);
        assertKind(() -> feed(c, of(0x01, 6, "abcdef", 0x00, 6, "ghijkl")), ZmtpException.Kind.MESSAGE_TOO_LARGE);
    }

    @Test
    void hugeDeclaredFrameIsRefusedAfterHandshake() {
        ZmtpConnection c = ready(SocketType.DEALER, SocketType.DEALER, NULL_31, new RecordingHandler(), 1_000_000);
        assertKind(() -> feed(c, of(0x02, 0, 0, 0x01, 0, 0, 0, 0, 0)), ZmtpException.Kind.MESSAGE_TOO_LARGE);
    }

    @Test
    void sendingBeforeTheHandshakeIsAnError() {
        ZmtpConnection c = connection(SocketType.DEALER, new RecordingHandler(), -1);
        c.start();
        assertThatThrownBy(() -> c.send(Msg.of("x"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void zapAcceptCompletesTheHandshake() {
        RecordingHandler h = new RecordingHandler();
        Metadata md = Metadata.builder().put(Metadata.SOCKET_TYPE, "DEALER").build();
        ZmtpConnection c = new ZmtpConnection(ZmtpConfig.of(SocketType.DEALER),
            new NullMechanism(new HandshakeContext(md, true, "dom", "tcp://127.0.0.1:5")), h);
        c.start();
        feed(c, NULL_31);
        assertThat(h.zapRequests).hasSize(1);
        assertThat(h.zapRequests.get(0).domain()).isEqualTo("dom");
        out(c);
        feed(c, of(LIBZMQ_DEALER_READY, 0x00, 1, "m"));
        assertThat(out(c)).as("no READY while ZAP is pending").isEmpty();
        assertThat(h.messages).isEmpty();
        c.zapReply(new ZapReply(h.zapRequests.get(0).requestId(), "200", "OK", "bob", Metadata.EMPTY));
        assertThat(out(c)).isEqualTo(commandFrame(Commands.ready(md)));
        assertThat(c.isReady()).isTrue();
        assertThat(h.peer.userId()).isEqualTo("bob");
        assertThat(h.messages).containsExactly(Msg.of("m"));
        assertThat(h.messages.get(0).properties().getString(Metadata.USER_ID)).contains("bob");
    }

    @Test
    void zapDenialSendsErrorAndFailsWithAuthentication() {
        RecordingHandler h = new RecordingHandler();
        Metadata md = Metadata.builder().put(Metadata.SOCKET_TYPE, "DEALER").build();
        ZmtpConnection c = new ZmtpConnection(ZmtpConfig.of(SocketType.DEALER),
            new NullMechanism(new HandshakeContext(md, true, "dom", "peer")), h);
        c.start();
        feed(c, NULL_31);
        out(c);
        assertKind(() -> c.zapReply(new ZapReply(h.zapRequests.get(0).requestId(), "400", "No", "", Metadata.EMPTY)),
            ZmtpException.Kind.AUTHENTICATION);
        assertThat(out(c)).isEqualTo(commandFrame(Commands.error("400")));
    }

    @Test
    void zapReplyFromInsideTheRequestCallbackWorks() {
        Metadata md = Metadata.builder().put(Metadata.SOCKET_TYPE, "DEALER").build();
        ZmtpConnection[] self = new ZmtpConnection[1];
        RecordingHandler h = new RecordingHandler() {
            @Override
            public void onZapRequest(io.rzmq.protocol.security.ZapRequest request) {
                super.onZapRequest(request);
                self[0].zapReply(new ZapReply(request.requestId(), "200", "OK", "u", Metadata.EMPTY));
            }
        };
        ZmtpConnection c = new ZmtpConnection(ZmtpConfig.of(SocketType.DEALER),
            new NullMechanism(new HandshakeContext(md, true, "dom", "peer")), h);
        self[0] = c;
        c.start();
        feed(c, of(NULL_31, LIBZMQ_DEALER_READY, 0x00, 1, "m"));
        assertThat(h.zapRequests).hasSize(1);
        assertThat(c.isReady()).isTrue();
        assertThat(h.messages).containsExactly(Msg.of("m"));
        assertThat(out(c)).isEqualTo(of(Greeting.encode("NULL", false), commandFrame(Commands.ready(md))));
    }

    @Test
    void handlerMaySendAndFeedFromItsCallbacks() {
        ZmtpConnection[] self = new ZmtpConnection[1];
        RecordingHandler h = new RecordingHandler() {
            @Override
            public boolean onMessage(Msg msg) {
                super.onMessage(msg);
                self[0].send(Msg.of("reply-" + msg.firstString()));
                if (msg.firstString().equals("a")) {
                    self[0].receive(of(0x00, 1, "z"), 0, 3); // arrives after what is already buffered
                }
                return true;
            }
        };
        ZmtpConnection c = ready(SocketType.DEALER, SocketType.DEALER, NULL_31, h, -1);
        self[0] = c;
        feed(c, of(0x00, 1, "a", 0x00, 1, "b"));
        assertThat(h.messages).containsExactly(Msg.of("a"), Msg.of("b"), Msg.of("z"));
        assertThat(out(c)).isEqualTo(of(0x00, 7, "reply-a", 0x00, 7, "reply-b", 0x00, 7, "reply-z"));
    }

    @Test
    void mechanismFailingOnPeerBytesWithAnyExceptionIsAProtocolError() {
        io.rzmq.protocol.security.Mechanism sloppy = new NullMechanism(HandshakeContext.of(local(SocketType.DEALER)));
        io.rzmq.protocol.security.Mechanism throwing = (io.rzmq.protocol.security.Mechanism) java.lang.reflect.Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {io.rzmq.protocol.security.Mechanism.class}, (proxy, method, args) -> {
                if (method.getName().equals("processHandshakeCommand")) {
                    throw new IndexOutOfBoundsException("sloppy parser");
                }
                try {
                    return method.invoke(sloppy, args);
                } catch (java.lang.reflect.InvocationTargetException e) {
                    throw e.getCause();
                }
            });
        ZmtpConnection c = new ZmtpConnection(ZmtpConfig.of(SocketType.DEALER), throwing, new RecordingHandler());
        c.start();
        assertThatThrownBy(() -> feed(c, of(NULL_31, LIBZMQ_DEALER_READY))).isInstanceOfSatisfying(ZmtpException.class, e -> {
            assertThat(e.kind()).isEqualTo(ZmtpException.Kind.PROTOCOL);
            assertThat(e.getCause()).isInstanceOf(IndexOutOfBoundsException.class);
        });
    }
    @Test
    void zapAnswerAndPeerAddressBecomeMessagePropertiesThePeerCannotSpoof() {
        RecordingHandler h = new RecordingHandler();
        Metadata md = local(SocketType.DEALER);
        ZmtpConnection c = new ZmtpConnection(new ZmtpConfig(SocketType.DEALER, -1, "10.1.2.3"),
            new NullMechanism(new HandshakeContext(md, true, "dom", "10.1.2.3")), h);
        c.start();
        feed(c, NULL_31);
        assertThat(h.zapRequests.get(0).address()).isEqualTo("10.1.2.3");
        Metadata spoofing = Metadata.builder().put(Metadata.SOCKET_TYPE, "DEALER").put("User-Id", "root")
            .put("Peer-Address", "1.1.1.1").put("X-Own", "mine").build();
        feed(c, commandFrame(Commands.ready(spoofing)));
        c.zapReply(new ZapReply(h.zapRequests.get(0).requestId(), "200", "OK", "",
            Metadata.builder().put("X-Role", "ops").put("Peer-Address", "2.2.2.2").build()));
        feed(c, of(0x00, 1, "m"));
        Metadata props = h.messages.get(0).properties();
        assertThat(props.getString(Metadata.USER_ID)).as("an empty User-Id from ZAP still overrides the peer's").contains("");
        assertThat(props.getString(Metadata.PEER_ADDRESS)).contains("10.1.2.3");
        assertThat(props.getString("X-Role")).contains("ops");
        assertThat(props.getString("X-Own")).contains("mine");
    }

    @Test
    void withoutZapAPeerClaimingAUserIdIsNotBelieved() {
        RecordingHandler h = new RecordingHandler();
        ZmtpConnection c = new ZmtpConnection(new ZmtpConfig(SocketType.DEALER, -1, ""),
            new NullMechanism(HandshakeContext.of(local(SocketType.DEALER))), h);
        c.start();
        feed(c, NULL_31);
        feed(c, commandFrame(Commands.ready(Metadata.builder().put(Metadata.SOCKET_TYPE, "DEALER")
            .put("User-Id", "root").build())));
        feed(c, of(0x00, 1, "m"));
        assertThat(h.messages.get(0).properties().contains(Metadata.USER_ID)).isFalse();
        assertThat(h.messages.get(0).properties().contains(Metadata.PEER_ADDRESS)).isFalse();
    }

    @Test
    void zapDenialCarriesTheStatusCodeAndTextAndTheRefusedPeerSeesTheCode() {
        RecordingHandler h = new RecordingHandler();
        Metadata md = local(SocketType.DEALER);
        ZmtpConnection server = new ZmtpConnection(ZmtpConfig.of(SocketType.DEALER),
            new NullMechanism(new HandshakeContext(md, true, "dom", "peer")), h);
        server.start();
        feed(server, NULL_31);
        out(server);
        assertThatThrownBy(() -> server.zapReply(new ZapReply(h.zapRequests.get(0).requestId(), "500", "Bad day", "",
            Metadata.EMPTY))).isInstanceOfSatisfying(ZmtpException.class, e -> {
                assertThat(e.kind()).isEqualTo(ZmtpException.Kind.AUTHENTICATION);
                assertThat(e.statusCode()).isEqualTo(500);
                assertThat(e.getMessage()).contains("500").contains("Bad day");
            });
        byte[] error = out(server);

        ZmtpConnection client = connection(SocketType.DEALER, new RecordingHandler(), -1);
        client.start();
        feed(client, NULL_31);
        assertThatThrownBy(() -> feed(client, error)).isInstanceOfSatisfying(ZmtpException.class, e -> {
            assertThat(e.kind()).isEqualTo(ZmtpException.Kind.PEER_ERROR);
            assertThat(e.statusCode()).isEqualTo(500);
        });
    }

    @Test
    void aTemporaryZapFailureClosesWithoutAnErrorCommand() {
        RecordingHandler h = new RecordingHandler();
        ZmtpConnection c = new ZmtpConnection(ZmtpConfig.of(SocketType.DEALER),
            new NullMechanism(new HandshakeContext(local(SocketType.DEALER), true, "dom", "peer")), h);
        c.start();
        feed(c, NULL_31);
        out(c);
        assertThatThrownBy(() -> c.zapReply(new ZapReply(h.zapRequests.get(0).requestId(), "300", "later", "",
            Metadata.EMPTY))).isInstanceOfSatisfying(ZmtpException.class, e -> assertThat(e.statusCode()).isEqualTo(300));
        assertThat(out(c)).isEmpty();
    }

    @Test
    void nullAsksWhetherAHandlerIsThereOnlyWhenTheGreetingIsDone() {
        boolean[] handler = {false};
        RecordingHandler h = new RecordingHandler();
        ZmtpConnection c = new ZmtpConnection(ZmtpConfig.of(SocketType.DEALER),
            new NullMechanism(new HandshakeContext(local(SocketType.DEALER), () -> handler[0], "dom", "peer")), h);
        c.start();
        handler[0] = true; // bound after the connection started, before the greeting completed
        feed(c, NULL_31);
        assertThat(h.zapRequests).hasSize(1);
    }
}
