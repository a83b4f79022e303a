package io.rzmq.protocol.security;

import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Metadata;
import io.rzmq.protocol.ZmtpException;
import io.rzmq.protocol.wire.CommandBody;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static io.rzmq.protocol.security.Handshakes.ctx;
import static io.rzmq.protocol.security.Handshakes.zapCtx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CurveMechanismTest {
    static final CurveKeyPair SERVER = CurveKeyPair.fromSecretKey(CurveKeyPairTest.SERVER_SECRET);
    static final CurveKeyPair CLIENT = CurveKeyPair.fromSecretKey(CurveKeyPairTest.CLIENT_SECRET);

    private static ZmtpException.Kind kindOf(Throwable t) {
        return ((ZmtpException) t).kind();
    }

    private static CurveMechanism client() {
        return CurveMechanism.client(CLIENT, SERVER.publicKey(), ctx("DEALER", "client-id"));
    }

    private static CurveMechanism server() {
        return CurveMechanism.server(SERVER, ctx("ROUTER", "server-id"));
    }

    private static CurveMechanism[] connected() {
        CurveMechanism c = client();
        CurveMechanism s = server();
        Handshakes.run(c, s);
        assertThat(c.status()).isEqualTo(Mechanism.Status.READY);
        assertThat(s.status()).isEqualTo(Mechanism.Status.READY);
        return new CurveMechanism[] {c, s};
    }

    @Test
    void handshakeCompletesWithLibzmqLayoutsAndCarriesMetadata() {
        CurveMechanism c = client();
        CurveMechanism s = server();
        List<Handshakes.Sent> log = Handshakes.run(c, s);

        assertThat(log).extracting(x -> CommandBody.name(x.body())).containsExactly("HELLO", "WELCOME", "INITIATE", "READY");
        byte[] hello = log.get(0).body().toByteArray();
        assertThat(hello).hasSize(200);
        assertThat(Arrays.copyOfRange(hello, 0, 8)).containsExactly(5, 'H', 'E', 'L', 'L', 'O', 1, 0);
        assertThat(Arrays.copyOfRange(hello, 8, 80)).containsOnly(0);
        assertThat(Arrays.copyOfRange(hello, 112, 120)).containsExactly(0, 0, 0, 0, 0, 0, 0, 1);
        assertThat(log.get(1).body().size()).isEqualTo(168);
        byte[] initiate = log.get(2).body().toByteArray();
        int clientMd = io.rzmq.protocol.wire.Properties.encodedSize(ctx("DEALER", "client-id").localMetadata());
        assertThat(initiate).hasSize(113 + 16 + 128 + clientMd);
        assertThat(Arrays.copyOfRange(initiate, 105, 113)).containsExactly(0, 0, 0, 0, 0, 0, 0, 2);
        byte[] ready = log.get(3).body().toByteArray();
        int serverMd = io.rzmq.protocol.wire.Properties.encodedSize(ctx("ROUTER", "server-id").localMetadata());
        assertThat(ready).hasSize(14 + 16 + serverMd);
        assertThat(Arrays.copyOfRange(ready, 6, 14)).containsExactly(0, 0, 0, 0, 0, 0, 0, 1);

        assertThat(s.peerMetadata().getString(Metadata.SOCKET_TYPE)).contains("DEALER");
        assertThat(s.peerMetadata().getString(Metadata.IDENTITY)).contains("client-id");
        assertThat(c.peerMetadata().getString(Metadata.SOCKET_TYPE)).contains("ROUTER");
        assertThat(c.peerMetadata().getString(Metadata.IDENTITY)).contains("server-id");
        assertThat(s.clientPublicKey()).isEqualTo(CLIENT.publicKey());
        assertThat(c.encrypts()).isTrue();
        assertThat(s.asServer()).isTrue();
        assertThat(c.asServer()).isFalse();
    }

    @Test
    void messagesFlowBothWaysWithFlags() {
        CurveMechanism[] pair = connected();
        Random random = new Random(42);
        for (int i = 0; i < 300; i++) {
            boolean fromClient = i % 3 != 0;
            CurveMechanism sender = pair[fromClient ? 0 : 1];
            CurveMechanism receiver = pair[fromClient ? 1 : 0];
            int size = switch (i % 5) {
                case 0 -> 0;
                case 1 -> 1;
                case 2 -> 63;
                case 3 -> 64 + random.nextInt(200);
                default -> random.nextInt(70_000);
            };
            byte[] payload = new byte[size];
            random.nextBytes(payload);
            boolean more = random.nextBoolean();
            boolean command = random.nextBoolean();
            // a slice in a larger array, to prove offsets are honoured
            byte[] backing = new byte[size + 7];
            System.arraycopy(payload, 0, backing, 3, size);
            Frame wire = sender.encode(Frame.wrap(backing, 3, size), more, command);
            assertThat(wire.size()).isEqualTo(8 + 8 + 16 + 1 + size);
            assertThat(CommandBody.is(wire, "MESSAGE")).isTrue();
            DecodedFrame got = receiver.decode(wire);
            assertThat(got.payload().toByteArray()).isEqualTo(payload);
            assertThat(got.more()).isEqualTo(more);
            assertThat(got.command()).isEqualTo(command);
        }
    }

    @Test
    void messageNoncesContinueTheHandshakeCounters() {
        CurveMechanism[] pair = connected();
        Frame fromClient = pair[0].encode(Frame.of("a"), false, false);
        Frame fromServer = pair[1].encode(Frame.of("b"), false, false);
        assertThat(fromClient.slice(8, 8).toByteArray()).containsExactly(0, 0, 0, 0, 0, 0, 0, 3);
        assertThat(fromServer.slice(8, 8).toByteArray()).containsExactly(0, 0, 0, 0, 0, 0, 0, 2);
    }

    @Test
    void replayedOrDecreasingNoncesAreCryptographicFailures() {
        CurveMechanism[] pair = connected();
        Frame first = pair[0].encode(Frame.of("one"), false, false);
        Frame second = pair[0].encode(Frame.of("two"), false, false);
        Frame third = pair[0].encode(Frame.of("three"), false, false);
        assertThat(pair[1].decode(second).payload().asString()).isEqualTo("two");
        assertThatThrownBy(() -> pair[1].decode(second))
            .isInstanceOf(ZmtpException.class).satisfies(e -> assertThat(kindOf(e)).isEqualTo(ZmtpException.Kind.CRYPTOGRAPHIC))
            .hasMessageContaining("replayed");
        assertThatThrownBy(() -> pair[1].decode(first))
            .isInstanceOf(ZmtpException.class).satisfies(e -> assertThat(kindOf(e)).isEqualTo(ZmtpException.Kind.CRYPTOGRAPHIC));
        // a gap is fine: nonces must increase, not be consecutive
        assertThat(pair[1].decode(third).payload().asString()).isEqualTo("three");
    }

    @Test
    void aMessageCannotBeReflectedBackToItsSender() {
        CurveMechanism[] pair = connected();
        Frame fromClient = pair[0].encode(Frame.of("mirror"), false, false);
        assertThatThrownBy(() -> pair[0].decode(fromClient))
            .isInstanceOf(ZmtpException.class).satisfies(e -> assertThat(kindOf(e)).isEqualTo(ZmtpException.Kind.CRYPTOGRAPHIC));
    }

    @Test
    void everyFlippedBitInAMessageIsACryptographicFailure() {
        CurveMechanism[] pair = connected();
        Frame wire = pair[1].encode(Frame.of("payload that spans a few bytes"), true, false);
        for (int i = 8; i < wire.size(); i++) {
            for (int bit = 0; bit < 8; bit += 3) {
                Frame tampered = Handshakes.flipBit(wire, i, bit);
                int at = i;
                assertThatThrownBy(() -> pair[0].decode(tampered)).as("byte %d", at)
                    .isInstanceOf(ZmtpException.class)
                    .satisfies(e -> assertThat(kindOf(e)).isEqualTo(ZmtpException.Kind.CRYPTOGRAPHIC));
            }
        }
        // the untouched original still opens: failed attempts did not advance the nonce
        assertThat(pair[0].decode(wire).payload().asString()).isEqualTo("payload that spans a few bytes");
    }

    @Test
    void malformedMessagesAreProtocolErrors() {
        CurveMechanism[] pair = connected();
        Frame wire = pair[0].encode(Frame.of("x"), false, false);
        assertThatThrownBy(() -> pair[1].decode(wire.slice(0, 32)))
            .isInstanceOf(ZmtpException.class).satisfies(e -> assertThat(kindOf(e)).isEqualTo(ZmtpException.Kind.PROTOCOL));
        assertThatThrownBy(() -> pair[1].decode(Frame.of("\u0004PING\u0000\u0000")))
            .isInstanceOf(ZmtpException.class).satisfies(e -> assertThat(kindOf(e)).isEqualTo(ZmtpException.Kind.PROTOCOL));
        assertThatThrownBy(() -> pair[1].decode(Frame.EMPTY)).isInstanceOf(ZmtpException.class);
    }

    @Test
    void flippedBitInAnyHandshakeBoxIsACryptographicFailure() {
        // command index -> byte ranges whose corruption must not go unnoticed
        int[][] targets = {
            {0, 80, 200},   // HELLO: C', short nonce, box
            {1, 8, 168},    // WELCOME: long nonce, box
            {2, 9, 113 + 16 + 128 + 10}, // INITIATE: cookie, short nonce, box (part of the metadata too)
            {3, 6, 30},     // READY: short nonce, tag (metadata ciphertext follows)
        };
        for (int[] t : targets) {
            for (int i = t[1]; i < t[2]; i += 7) {
                int command = t[0];
                int index = i;
                CurveMechanism c = client();
                CurveMechanism s = server();
                assertThatThrownBy(() -> Handshakes.run(c, s, r -> null,
                    (n, f) -> n == command ? Handshakes.flipBit(f, index, index % 8) : f))
                    .as("command %d byte %d", command, index)
                    .isInstanceOf(ZmtpException.class)
                    .satisfies(e -> assertThat(kindOf(e)).isEqualTo(ZmtpException.Kind.CRYPTOGRAPHIC));
                assertThat(c.status() == Mechanism.Status.ERROR || s.status() == Mechanism.Status.ERROR).isTrue();
            }
        }
    }

    @Test
    void wrongServerKeyFailsAtHello() {
        CurveMechanism c = CurveMechanism.client(CLIENT, CurveKeyPair.generate().publicKey(), ctx("DEALER", ""));
        CurveMechanism s = server();
        assertThatThrownBy(() -> Handshakes.run(c, s))
            .isInstanceOf(ZmtpException.class)
            .satisfies(e -> assertThat(kindOf(e)).isEqualTo(ZmtpException.Kind.CRYPTOGRAPHIC))
            .hasMessageContaining("server public key");
        assertThat(s.status()).isEqualTo(Mechanism.Status.ERROR);
    }

    @Test
    void welcomeFromAnotherConnectionIsRefused() {
        CurveMechanism c = client();
        c.nextHandshakeCommand();
        // a WELCOME boxed for another client's transient key does not open for this client
        CurveMechanism other = client();
        CurveMechanism otherServer = server();
        otherServer.processHandshakeCommand(other.nextHandshakeCommand());
        Frame foreignWelcome = otherServer.nextHandshakeCommand();
        assertThatThrownBy(() -> c.processHandshakeCommand(foreignWelcome))
            .isInstanceOf(ZmtpException.class)
            .satisfies(e -> assertThat(kindOf(e)).isEqualTo(ZmtpException.Kind.CRYPTOGRAPHIC));
    }

    @Test
    void initiateFromAnotherConnectionIsRefused() {
        CurveMechanism c1 = client();
        CurveMechanism s1 = server();
        s1.processHandshakeCommand(c1.nextHandshakeCommand());
        c1.processHandshakeCommand(s1.nextHandshakeCommand());
        Frame initiate1 = c1.nextHandshakeCommand();

        CurveMechanism c2 = client();
        CurveMechanism s2 = server();
        s2.processHandshakeCommand(c2.nextHandshakeCommand());
        s2.nextHandshakeCommand();
        assertThatThrownBy(() -> s2.processHandshakeCommand(initiate1))
            .isInstanceOf(ZmtpException.class)
            .satisfies(e -> assertThat(kindOf(e)).isEqualTo(ZmtpException.Kind.CRYPTOGRAPHIC))
            .hasMessageContaining("cookie");
    }

    @Test
    void zapAcceptCarriesTheClientLongTermKey() {
        CurveMechanism c = client();
        CurveMechanism s = CurveMechanism.server(SERVER, zapCtx("ROUTER", "dom", "tcp://127.0.0.1:5555"));
        List<ZapRequest> asked = new ArrayList<>();
        Handshakes.run(c, s, r -> {
            asked.add(r);
            return new ZapReply(r.requestId(), "200", "OK", "client-user", Metadata.EMPTY);
        }, (i, f) -> f);
        assertThat(asked).hasSize(1);
        assertThat(asked.get(0).mechanism()).isEqualTo("CURVE");
        assertThat(asked.get(0).domain()).isEqualTo("dom");
        assertThat(asked.get(0).address()).isEqualTo("tcp://127.0.0.1:5555");
        assertThat(asked.get(0).credentials()).hasSize(1);
        assertThat(asked.get(0).credentials().get(0)).isEqualTo(CLIENT.publicKey());
        assertThat(s.status()).isEqualTo(Mechanism.Status.READY);
        assertThat(c.status()).isEqualTo(Mechanism.Status.READY);
        assertThat(s.userId()).isEqualTo("client-user");
    }

    @Test
    void zapDenialSendsErrorThatTheClientReports() {
        CurveMechanism c = client();
        CurveMechanism s = CurveMechanism.server(SERVER, zapCtx("ROUTER", "", ""));
        assertThatThrownBy(() -> Handshakes.run(c, s,
            r -> new ZapReply(r.requestId(), "400", "denied", "", Metadata.EMPTY), (i, f) -> f))
            .isInstanceOf(ZmtpException.class)
            .satisfies(e -> assertThat(kindOf(e)).isEqualTo(ZmtpException.Kind.PEER_ERROR))
            .hasMessageContaining("400");
        assertThat(s.status()).isEqualTo(Mechanism.Status.ERROR);
        assertThat(c.status()).isEqualTo(Mechanism.Status.ERROR);
    }

    @Test
    void badSizesAndVersionsAreProtocolErrors() {
        CurveMechanism c = client();
        Frame hello = c.nextHandshakeCommand();
        assertProtocol(server(), hello.slice(0, 199));
        byte[] v2 = hello.toByteArray();
        v2[6] = 2;
        assertProtocol(server(), Frame.wrap(v2));
        assertProtocol(server(), Frame.of("\u0007WELCOME"));

        CurveMechanism s = server();
        s.processHandshakeCommand(hello);
        Frame welcome = s.nextHandshakeCommand();
        assertProtocol(c, welcome.slice(0, 167));

        CurveMechanism c2 = client();
        CurveMechanism s2 = server();
        s2.processHandshakeCommand(c2.nextHandshakeCommand());
        c2.processHandshakeCommand(s2.nextHandshakeCommand());
        Frame initiate = c2.nextHandshakeCommand();
        assertProtocol(s2, initiate.slice(0, 256));
        assertProtocol(c2, Frame.of("\u0005READY0123456789"));
    }

    private static void assertProtocol(Mechanism m, Frame body) {
        assertThatThrownBy(() -> m.processHandshakeCommand(body))
            .isInstanceOf(ZmtpException.class)
            .satisfies(e -> assertThat(kindOf(e)).isEqualTo(ZmtpException.Kind.PROTOCOL));
    }

    @Test
    void encodeBeforeReadyIsAProgrammingError() {
        CurveMechanism c = client();
        assertThatThrownBy(() -> c.encode(Frame.of("x"), false, false)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void lowOrderTransientKeyInHelloIsRefused() {
        byte[] hello = client().nextHandshakeCommand().toByteArray();
        Arrays.fill(hello, 80, 112, (byte) 0);
        CurveMechanism s = server();
        assertThatThrownBy(() -> s.processHandshakeCommand(Frame.wrap(hello)))
            .isInstanceOf(ZmtpException.class)
            .satisfies(e -> assertThat(kindOf(e)).isEqualTo(ZmtpException.Kind.CRYPTOGRAPHIC));
    }
}
