package io.rzmq.protocol.wire;

import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Metadata;
import io.rzmq.protocol.ZmtpException;
import org.junit.jupiter.api.Test;

import static io.rzmq.protocol.wire.Bytes.commandFrame;
import static io.rzmq.protocol.wire.Bytes.of;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandsTest {
    /** libzmq 4.3's READY from a DEALER with no routing id, frame header included. */
    static final byte[] LIBZMQ_DEALER_READY =
        of(0x04, 0x29, 0x05, "READY", 0x0B, "Socket-Type", 0, 0, 0, 6, "DEALER", 0x08, "Identity", 0, 0, 0, 0);

    private static void assertProtocolError(Runnable r) {
        assertThatThrownBy(r::run)
            .isInstanceOfSatisfying(ZmtpException.class, e -> assertThat(e.kind()).isEqualTo(ZmtpException.Kind.PROTOCOL));
    }

    @Test
    void dealerReadyIsByteExactWithLibzmq() {
        Metadata md = Metadata.builder().put(Metadata.SOCKET_TYPE, "DEALER").put(Metadata.IDENTITY, new byte[0]).build();
        assertThat(commandFrame(Commands.ready(md))).isEqualTo(LIBZMQ_DEALER_READY);
    }

    @Test
    void parsesLibzmqReady() {
        Frame body = Frame.wrap(LIBZMQ_DEALER_READY).slice(2, LIBZMQ_DEALER_READY.length - 2);
        Metadata md = Commands.parseReady(body);
        assertThat(md.getString("socket-type")).contains("DEALER");
        assertThat(md.get("IDENTITY")).hasValueSatisfying(v -> assertThat(v).isEmpty());
        assertThat(md.names()).containsExactly("Socket-Type", "Identity");
    }

    @Test
    void readyWithBadPropertyLengthsIsRefused() {
        // value length 7 but only 6 bytes follow
        assertProtocolError(() -> Commands.parseReady(Frame.wrap(of(5, "READY", 11, "Socket-Type", 0, 0, 0, 7, "DEALER"))));
        // name length 20 runs past the end
        assertProtocolError(() -> Commands.parseReady(Frame.wrap(of(5, "READY", 20, "Socket-Type"))));
        // value length bytes cut off
        assertProtocolError(() -> Commands.parseReady(Frame.wrap(of(5, "READY", 11, "Socket-Type", 0, 0))));
        // huge value length (0xFFFFFFFF)
        assertProtocolError(() -> Commands.parseReady(Frame.wrap(of(5, "READY", 1, "X", 0xFF, 0xFF, 0xFF, 0xFF))));
        // empty property name
        assertProtocolError(() -> Commands.parseReady(Frame.wrap(of(5, "READY", 0, 0, 0, 0, 0))));
        // not READY at all
        assertProtocolError(() -> Commands.parseReady(Frame.wrap(of(5, "HELLO"))));
    }

    @Test
    void errorCarriesAOneByteLengthReason() {
        assertThat(commandFrame(Commands.error("Invalid socket type")))
            .isEqualTo(of(0x04, 26, 5, "ERROR", 19, "Invalid socket type"));
        assertThat(Commands.parseError(Frame.wrap(of(5, "ERROR", 3, "400")))).isEqualTo("400");
        assertProtocolError(() -> Commands.parseError(Frame.wrap(of(5, "ERROR", 9, "400"))));
        assertProtocolError(() -> Commands.parseError(Frame.wrap(of(5, "ERROR"))));
        assertThat(Commands.parseError(Commands.error("x".repeat(400)))).hasSize(255);
    }

    @Test
    void pingAndPongWithContextAreByteExact() {
        assertThat(commandFrame(Commands.ping(100, Frame.of("ctx")))).isEqualTo(of(0x04, 10, 4, "PING", 0, 100, "ctx"));
        assertThat(commandFrame(Commands.pong(Frame.of("ctx")))).isEqualTo(of(0x04, 8, 4, "PONG", "ctx"));
        Commands.Ping p = Commands.parsePing(Frame.wrap(of(4, "PING", 0x01, 0x2C, "context")));
        assertThat(p.ttlDeciseconds()).isEqualTo(300);
        assertThat(p.context()).isEqualTo(Frame.of("context"));
        assertThat(Commands.parsePong(Frame.wrap(of(4, "PONG", "abc")))).isEqualTo(Frame.of("abc"));
    }

    @Test
    void truncatedPingIsRefused() {
        assertProtocolError(() -> Commands.parsePing(Frame.wrap(of(4, "PING", 0))));
        assertProtocolError(() -> Commands.parsePing(Frame.wrap(of(4, "PIN"))));
    }

    @Test
    void overlongPingContextIsCutTo16() {
        Commands.Ping p = Commands.parsePing(Frame.wrap(of(4, "PING", 0, 0, "0123456789abcdefXYZ")));
        assertThat(p.context()).isEqualTo(Frame.of("0123456789abcdef"));
    }

    @Test
    void subscribeAndCancelCommandsAreByteExact() {
        assertThat(commandFrame(Commands.subscribe(Frame.of("news")))).isEqualTo(of(0x04, 14, 9, "SUBSCRIBE", "news"));
        assertThat(commandFrame(Commands.cancel(Frame.of("news")))).isEqualTo(of(0x04, 11, 6, "CANCEL", "news"));
        assertThat(commandFrame(Commands.subscribe(Frame.EMPTY))).isEqualTo(of(0x04, 10, 9, "SUBSCRIBE"));
    }

    @Test
    void zmtp30SubscriptionMessageForm() {
        assertThat(Commands.subscriptionMessage(Frame.of("news"), true).toByteArray()).isEqualTo(of(1, "news"));
        assertThat(Commands.subscriptionMessage(Frame.of("news"), false).toByteArray()).isEqualTo(of(0, "news"));
    }

    @Test
    void truncatedCommandNameIsRefused() {
        assertProtocolError(() -> CommandBody.name(Frame.wrap(of(9, "SUB"))));
        assertProtocolError(() -> CommandBody.name(Frame.EMPTY));
    }
}
