package io.rzmq.protocol.security;

import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Metadata;
import io.rzmq.protocol.ZmtpException;
import io.rzmq.protocol.wire.CommandBody;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.rzmq.protocol.security.Handshakes.ctx;
import static io.rzmq.protocol.security.Handshakes.zapCtx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlainMechanismTest {

    private static ZmtpException.Kind kindOf(Throwable t) {
        return ((ZmtpException) t).kind();
    }

    private static ZapReply accept(ZapRequest r) {
        return new ZapReply(r.requestId(), "200", "OK", "", Metadata.EMPTY);
    }

    @Test
    void handshakeExchangesMetadata() {
        PlainMechanism client = PlainMechanism.client("admin", "secret", ctx("DEALER", "cli"));
        PlainMechanism server = PlainMechanism.server(new HandshakeContext(
            Metadata.builder().put(Metadata.SOCKET_TYPE, "ROUTER").put(Metadata.IDENTITY, "srv").build(), true, "", ""));
        List<Handshakes.Sent> log = Handshakes.run(client, server, PlainMechanismTest::accept, (i, f) -> f);

        assertThat(client.status()).isEqualTo(Mechanism.Status.READY);
        assertThat(server.status()).isEqualTo(Mechanism.Status.READY);
        assertThat(server.peerMetadata().getString(Metadata.SOCKET_TYPE)).contains("DEALER");
        assertThat(server.peerMetadata().getString(Metadata.IDENTITY)).contains("cli");
        assertThat(client.peerMetadata().getString(Metadata.SOCKET_TYPE)).contains("ROUTER");
        assertThat(client.peerMetadata().getString(Metadata.IDENTITY)).contains("srv");
        assertThat(log).extracting(s -> CommandBody.name(s.body())).containsExactly("HELLO", "WELCOME", "INITIATE", "READY");
        assertThat(client.asServer()).isFalse();
        assertThat(server.asServer()).isTrue();
        assertThat(client.encrypts()).isFalse();
        assertThat(client.nextHandshakeCommand()).isNull();
    }

    @Test
    void wireBytesAreLibzmqs() {
        PlainMechanism client = PlainMechanism.client("admin", "secret", ctx("DEALER", ""));
        assertThat(client.nextHandshakeCommand().toByteArray())
            .isEqualTo("\u0005HELLO\u0005admin\u0006secret".getBytes(StandardCharsets.US_ASCII));
        assertThat(client.nextHandshakeCommand()).isNull();
        PlainMechanism server = PlainMechanism.server(zapCtx("ROUTER", "", ""));
        server.processHandshakeCommand(Frame.of("\u0005HELLO\u0000\u0000"));
        server.zapReply(accept(server.zapRequest()));
        assertThat(server.nextHandshakeCommand().toByteArray()).isEqualTo("\u0007WELCOME".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void withoutZapHandlerTheServerRefusesLikeLibzmq() {
        PlainMechanism client = PlainMechanism.client("admin", "secret", ctx("DEALER", ""));
        PlainMechanism server = PlainMechanism.server(ctx("ROUTER", ""));
        assertThatThrownBy(() -> Handshakes.run(client, server))
            .isInstanceOf(ZmtpException.class)
            .satisfies(e -> assertThat(kindOf(e)).isEqualTo(ZmtpException.Kind.NO_ZAP_HANDLER))
            .hasMessageContaining("no ZAP handler");
        assertThat(server.status()).isEqualTo(Mechanism.Status.ERROR);
        assertThat(server.nextHandshakeCommand()).as("libzmq sends no ERROR here").isNull();
    }

    @Test
    void libzmqsMisspelledPlainErrorIsUnderstood() {
        PlainMechanism client = PlainMechanism.client("u", "p", ctx("REQ", ""));
        client.nextHandshakeCommand();
        byte[] libzmqError = {0x5E, 'R', 'R', 'O', 'R', 3, '4', '0', '0'};
        assertThatThrownBy(() -> client.processHandshakeCommand(Frame.wrap(libzmqError)))
            .isInstanceOf(ZmtpException.class)
            .satisfies(e -> assertThat(kindOf(e)).isEqualTo(ZmtpException.Kind.PEER_ERROR))
            .hasMessageContaining("400");
        assertThat(client.status()).isEqualTo(Mechanism.Status.ERROR);
    }

    @Test
    void zapAcceptSurfacesCredentialsAndUserId() {
        PlainMechanism client = PlainMechanism.client("admin", "p\u00e4ss", ctx("REQ", "cli"));
        PlainMechanism server = PlainMechanism.server(zapCtx("REP", "global", "127.0.0.1"));
        List<ZapRequest> asked = new ArrayList<>();
        Handshakes.run(client, server, r -> {
            asked.add(r);
            return new ZapReply(r.requestId(), "200", "OK", "alice", Metadata.builder().put("X-Role", "ops").build());
        }, (i, f) -> f);

        assertThat(asked).hasSize(1);
        ZapRequest r = asked.get(0);
        assertThat(r.mechanism()).isEqualTo("PLAIN");
        assertThat(r.domain()).isEqualTo("global");
        assertThat(r.address()).isEqualTo("127.0.0.1");
        assertThat(new String(r.identity(), StandardCharsets.UTF_8)).isEqualTo("srv");
        assertThat(r.credentials()).hasSize(2);
        assertThat(new String(r.credentials().get(0), StandardCharsets.UTF_8)).isEqualTo("admin");
        assertThat(new String(r.credentials().get(1), StandardCharsets.UTF_8)).isEqualTo("p\u00e4ss");
        assertThat(server.status()).isEqualTo(Mechanism.Status.READY);
        assertThat(client.status()).isEqualTo(Mechanism.Status.READY);
        assertThat(server.userId()).isEqualTo("alice");
        assertThat(server.zapMetadata().getString("X-Role")).contains("ops");
        assertThat(server.zapRequest()).isNull();
    }

    @Test
    void zapWaitHoldsTheHandshake() {
        PlainMechanism client = PlainMechanism.client("u", "p", ctx("REQ", ""));
        PlainMechanism server = PlainMechanism.server(zapCtx("REP", "", ""));
        server.processHandshakeCommand(client.nextHandshakeCommand());
        assertThat(server.status()).isEqualTo(Mechanism.Status.WAITING_FOR_ZAP);
        assertThat(server.nextHandshakeCommand()).isNull();
        assertThat(server.zapRequest()).isNotNull();
    }

    @Test
    void zapDenialSendsErrorAndClientSeesPeerError() {
        PlainMechanism client = PlainMechanism.client("mallory", "guess", ctx("REQ", ""));
        PlainMechanism server = PlainMechanism.server(zapCtx("REP", "", ""));
        assertThatThrownBy(() -> Handshakes.run(client, server,
            r -> new ZapReply(r.requestId(), "400", "No access", "", Metadata.EMPTY), (i, f) -> f))
            .isInstanceOf(ZmtpException.class)
            .satisfies(e -> assertThat(kindOf(e)).isEqualTo(ZmtpException.Kind.PEER_ERROR))
            .hasMessageContaining("400");
        assertThat(server.status()).isEqualTo(Mechanism.Status.ERROR);
        assertThat(client.status()).isEqualTo(Mechanism.Status.ERROR);
        assertThat(server.userId()).isEmpty();
    }

    @Test
    void zapErrorCommandBytes() {
        PlainMechanism server = PlainMechanism.server(zapCtx("REP", "", ""));
        server.processHandshakeCommand(Frame.of("\u0005HELLO\u0001u\u0001p"));
        ZapRequest r = server.zapRequest();
        server.zapReply(new ZapReply(r.requestId(), "500", "handler broke", "", Metadata.EMPTY));
        assertThat(server.status()).isEqualTo(Mechanism.Status.ERROR);
        assertThat(server.nextHandshakeCommand().toByteArray()).isEqualTo("\u0005ERROR\u0003500".getBytes(StandardCharsets.US_ASCII));
        assertThat(server.nextHandshakeCommand()).isNull();
    }

    @Test
    void zapTemporaryFailureClosesWithoutError() {
        PlainMechanism server = PlainMechanism.server(zapCtx("REP", "", ""));
        server.processHandshakeCommand(Frame.of("\u0005HELLO\u0001u\u0001p"));
        server.zapReply(new ZapReply(server.zapRequest().requestId(), "300", "try later", "", Metadata.EMPTY));
        assertThat(server.status()).isEqualTo(Mechanism.Status.ERROR);
        assertThat(server.nextHandshakeCommand()).isNull();
    }

    @Test
    void zapReplyForAnotherRequestIsAProtocolError() {
        PlainMechanism server = PlainMechanism.server(zapCtx("REP", "", ""));
        server.processHandshakeCommand(Frame.of("\u0005HELLO\u0001u\u0001p"));
        assertThatThrownBy(() -> server.zapReply(new ZapReply("nope".getBytes(StandardCharsets.US_ASCII), "200", "", "", Metadata.EMPTY)))
            .isInstanceOf(ZmtpException.class)
            .satisfies(e -> assertThat(kindOf(e)).isEqualTo(ZmtpException.Kind.PROTOCOL));
        assertThat(server.status()).isEqualTo(Mechanism.Status.ERROR);
    }

    @Test
    void zapRequestIdsAreUniquePerHandshake() {
        PlainMechanism a = PlainMechanism.server(zapCtx("REP", "", ""));
        PlainMechanism b = PlainMechanism.server(zapCtx("REP", "", ""));
        a.processHandshakeCommand(Frame.of("\u0005HELLO\u0001u\u0001p"));
        b.processHandshakeCommand(Frame.of("\u0005HELLO\u0001u\u0001p"));
        assertThat(a.zapRequest().requestId()).isNotEqualTo(b.zapRequest().requestId());
    }

    @Test
    void malformedHellosAreProtocolErrors() {
        String[] bad = {
            "\u0005HELLO",                        // no username length
            "\u0005HELLO\u0005adm",               // username runs past the end
            "\u0005HELLO\u0001u",                 // no password length
            "\u0005HELLO\u0001u\u0003pa",         // password runs past the end
            "\u0005HELLO\u0001u\u0001pX",         // trailing byte
            "\u0008INITIATE",                     // wrong command
            "\u0009HELLO",                        // name length past the end
        };
        for (String s : bad) {
            PlainMechanism server = PlainMechanism.server(ctx("REP", ""));
            assertThatThrownBy(() -> server.processHandshakeCommand(Frame.of(s)))
                .as(s).isInstanceOf(ZmtpException.class)
                .satisfies(e -> assertThat(kindOf(e)).isEqualTo(ZmtpException.Kind.PROTOCOL));
            assertThat(server.status()).isEqualTo(Mechanism.Status.ERROR);
        }
        PlainMechanism server = PlainMechanism.server(ctx("REP", ""));
        assertThatThrownBy(() -> server.processHandshakeCommand(Frame.EMPTY)).isInstanceOf(ZmtpException.class);
    }

    @Test
    void clientRejectsWelcomeWithDataAndBadReadyMetadata() {
        PlainMechanism client = PlainMechanism.client("u", "p", ctx("REQ", ""));
        client.nextHandshakeCommand();
        assertThatThrownBy(() -> client.processHandshakeCommand(Frame.of("\u0007WELCOMEx")))
            .isInstanceOf(ZmtpException.class).hasMessageContaining("WELCOME");

        PlainMechanism client2 = PlainMechanism.client("u", "p", ctx("REQ", ""));
        client2.nextHandshakeCommand();
        client2.processHandshakeCommand(Frame.of("\u0007WELCOME"));
        client2.nextHandshakeCommand();
        assertThatThrownBy(() -> client2.processHandshakeCommand(Frame.of("\u0005READY\u000bSocket-Type\u0000\u0000\u0000\u0009REP")))
            .isInstanceOf(ZmtpException.class)
            .satisfies(e -> assertThat(kindOf(e)).isEqualTo(ZmtpException.Kind.PROTOCOL));
    }

    @Test
    void commandsOutOfOrderAreRefused() {
        PlainMechanism client = PlainMechanism.client("u", "p", ctx("REQ", ""));
        client.nextHandshakeCommand();
        assertThatThrownBy(() -> client.processHandshakeCommand(Frame.of("\u0005READY")))
            .isInstanceOf(ZmtpException.class).hasMessageContaining("expected WELCOME");
        assertThatThrownBy(() -> client.processHandshakeCommand(Frame.of("\u0007WELCOME")))
            .isInstanceOf(ZmtpException.class).hasMessageContaining("ERROR");
    }

    @Test
    void malformedErrorCommandIsAProtocolError() {
        PlainMechanism client = PlainMechanism.client("u", "p", ctx("REQ", ""));
        client.nextHandshakeCommand();
        assertThatThrownBy(() -> client.processHandshakeCommand(Frame.of("\u0005ERROR\u0009400")))
            .isInstanceOf(ZmtpException.class)
            .satisfies(e -> assertThat(kindOf(e)).isEqualTo(ZmtpException.Kind.PROTOCOL));
    }

    @Test
    void overlongCredentialsAreRefusedUpFront() {
        assertThatThrownBy(() -> PlainMechanism.client("x".repeat(256), "p", ctx("REQ", "")))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("255");
        assertThat(PlainMechanism.client("x".repeat(255), "y".repeat(255), ctx("REQ", "")).nextHandshakeCommand().size())
            .isEqualTo(6 + 2 + 510);
    }
}
