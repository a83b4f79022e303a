package io.rzmq.protocol.security;

import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Metadata;
import io.rzmq.protocol.ZmtpException;
import io.rzmq.protocol.wire.Commands;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NullMechanismTest {
    private static final Metadata LOCAL = Metadata.builder()
        .put(Metadata.SOCKET_TYPE, "DEALER").put(Metadata.IDENTITY, "me").put("X-App", "1").build();
    private static final Frame PEER_READY = Commands.ready(Metadata.builder().put(Metadata.SOCKET_TYPE, "ROUTER").build());

    private static void assertKind(Runnable r, ZmtpException.Kind kind) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(ZmtpException.class, e -> assertThat(e.kind()).isEqualTo(kind));
    }

    @Test
    void sendsReadyWithLocalMetadataThenAcceptsPeersReady() {
        NullMechanism m = new NullMechanism(HandshakeContext.of(LOCAL));
        assertThat(m.name()).isEqualTo("NULL");
        assertThat(m.asServer()).isFalse();
        assertThat(m.status()).isEqualTo(Mechanism.Status.HANDSHAKING);
        Frame ready = m.nextHandshakeCommand();
        assertThat(Commands.parseReady(ready).getString("X-App")).contains("1");
        assertThat(Commands.parseReady(ready).getString("Identity")).contains("me");
        assertThat(m.nextHandshakeCommand()).isNull();
        assertThat(m.status()).isEqualTo(Mechanism.Status.HANDSHAKING);
        m.processHandshakeCommand(PEER_READY);
        assertThat(m.status()).isEqualTo(Mechanism.Status.READY);
        assertThat(m.peerMetadata().getString(Metadata.SOCKET_TYPE)).contains("ROUTER");
        assertThat(m.userId()).isEmpty();
        assertThat(m.zapRequest()).isNull();
        assertThat(m.encrypts()).isFalse();
    }

    @Test
    void peerErrorIsPeerError() {
        NullMechanism m = new NullMechanism(HandshakeContext.of(LOCAL));
        m.nextHandshakeCommand();
        assertThatThrownBy(() -> m.processHandshakeCommand(Commands.error("go away")))
            .isInstanceOfSatisfying(ZmtpException.class, e -> {
                assertThat(e.kind()).isEqualTo(ZmtpException.Kind.PEER_ERROR);
                assertThat(e.getMessage()).contains("go away");
            });
        assertThat(m.status()).isEqualTo(Mechanism.Status.ERROR);
    }

    @Test
    void readyMustBeTheFirstCommand() {
        NullMechanism m = new NullMechanism(HandshakeContext.of(LOCAL));
        assertKind(() -> m.processHandshakeCommand(Frame.wrap("\u0005HELLO".getBytes(StandardCharsets.US_ASCII))),
            ZmtpException.Kind.PROTOCOL);
        assertThat(m.status()).isEqualTo(Mechanism.Status.ERROR);
    }

    @Test
    void secondReadyIsRefused() {
        NullMechanism m = new NullMechanism(HandshakeContext.of(LOCAL));
        m.processHandshakeCommand(PEER_READY);
        assertKind(() -> m.processHandshakeCommand(PEER_READY), ZmtpException.Kind.PROTOCOL);
    }

    @Test
    void readyWithoutSocketTypeIsRefused() {
        NullMechanism m = new NullMechanism(HandshakeContext.of(LOCAL));
        assertKind(() -> m.processHandshakeCommand(Commands.ready(Metadata.builder().put("Identity", "x").build())),
            ZmtpException.Kind.PROTOCOL);
    }

    @Test
    void malformedReadyIsRefused() {
        NullMechanism m = new NullMechanism(HandshakeContext.of(LOCAL));
        byte[] bad = {5, 'R', 'E', 'A', 'D', 'Y', 11, 'S', 'o', 'c', 'k', 'e', 't', '-', 'T', 'y', 'p', 'e', 0, 0, 0, 9, 'P'};
        assertKind(() -> m.processHandshakeCommand(Frame.wrap(bad)), ZmtpException.Kind.PROTOCOL);
    }

    @Test
    void zapIsAskedOnlyWithADomainAndAHandler() {
        assertThat(new NullMechanism(new HandshakeContext(LOCAL, true, "", "1.2.3.4")).status())
            .isEqualTo(Mechanism.Status.HANDSHAKING);
        assertThat(new NullMechanism(new HandshakeContext(LOCAL, false, "global", "1.2.3.4")).status())
            .isEqualTo(Mechanism.Status.HANDSHAKING);
        assertThat(new NullMechanism(new HandshakeContext(LOCAL, true, "global", "1.2.3.4")).status())
            .isEqualTo(Mechanism.Status.WAITING_FOR_ZAP);
    }

    @Test
    void zapAcceptLetsReadyGoOut() {
        NullMechanism m = new NullMechanism(new HandshakeContext(LOCAL, true, "global", "127.0.0.1"));
        assertThat(m.nextHandshakeCommand()).as("no READY before the ZAP verdict").isNull();
        ZapRequest req = m.zapRequest();
        assertThat(req.domain()).isEqualTo("global");
        assertThat(req.address()).isEqualTo("127.0.0.1");
        assertThat(req.mechanism()).isEqualTo("NULL");
        assertThat(req.credentials()).isEmpty();
        assertThat(new String(req.requestId(), StandardCharsets.US_ASCII)).isEqualTo("1");
        assertThat(new String(req.identity(), StandardCharsets.US_ASCII)).isEqualTo("me");
        m.processHandshakeCommand(PEER_READY);
        assertThat(m.status()).isEqualTo(Mechanism.Status.WAITING_FOR_ZAP);
        m.zapReply(new ZapReply(req.requestId(), "200", "OK", "alice", Metadata.builder().put("X-Zap", "y").build()));
        assertThat(Commands.parseReady(m.nextHandshakeCommand()).getString(Metadata.SOCKET_TYPE)).contains("DEALER");
        assertThat(m.status()).isEqualTo(Mechanism.Status.READY);
        assertThat(m.userId()).isEqualTo("alice");
        assertThat(m.zapMetadata().getString("X-Zap")).contains("y");
    }

    @Test
    void zapDenialSendsErrorWithTheStatusCode() {
        NullMechanism m = new NullMechanism(new HandshakeContext(LOCAL, true, "global", "127.0.0.1"));
        m.zapReply(new ZapReply("1".getBytes(StandardCharsets.US_ASCII), "400", "denied", "", Metadata.EMPTY));
        assertThat(m.status()).isEqualTo(Mechanism.Status.ERROR);
        assertThat(Commands.parseError(m.nextHandshakeCommand())).isEqualTo("400");
        assertThat(m.nextHandshakeCommand()).isNull();
    }

    /** Found by NullHandshakeFuzzTest (corpus: zap-200-for-another-request-id). */
    @Test
    void zapReplyToAnotherRequestIsAProtocolFailureNotAnAdmission() {
        NullMechanism m = new NullMechanism(new HandshakeContext(LOCAL, true, "global", "127.0.0.1"));
        m.processHandshakeCommand(PEER_READY);
        assertKind(() -> m.zapReply(new ZapReply("2".getBytes(StandardCharsets.US_ASCII), "200", "OK", "", Metadata.EMPTY)),
            ZmtpException.Kind.PROTOCOL);
        assertThat(m.status()).isEqualTo(Mechanism.Status.ERROR);
        assertThat(m.nextHandshakeCommand()).as("no READY, no ERROR").isNull();
    }

    @Test
    void zapReplyWithAnUnknownStatusCodeIsAProtocolFailure() {
        NullMechanism m = new NullMechanism(new HandshakeContext(LOCAL, true, "global", "127.0.0.1"));
        assertKind(() -> m.zapReply(new ZapReply("1".getBytes(StandardCharsets.US_ASCII), "999", "?", "", Metadata.EMPTY)),
            ZmtpException.Kind.PROTOCOL);
        assertThat(m.status()).isEqualTo(Mechanism.Status.ERROR);
        assertThat(m.nextHandshakeCommand()).isNull();
    }
}
