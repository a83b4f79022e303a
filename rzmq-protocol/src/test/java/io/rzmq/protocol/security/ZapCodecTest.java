package io.rzmq.protocol.security;

import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Metadata;
import io.rzmq.protocol.ZmtpException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ZapCodecTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> strings(List<Frame> frames) {
        return frames.stream().map(Frame::asString).toList();
    }

    @Test
    void plainRequestFramesInRfc27Order() {
        ZapRequest r = new ZapRequest(b("7"), "global", "192.168.1.1", b("srv"), "PLAIN", List.of(b("admin"), b("secret")));
        List<Frame> frames = ZapCodec.encodeRequest(r);
        assertThat(strings(frames)).containsExactly("", "1.0", "7", "global", "192.168.1.1", "srv", "PLAIN", "admin", "secret");

        ZapRequest back = ZapCodec.decodeRequest(frames);
        assertThat(back.requestId()).isEqualTo(b("7"));
        assertThat(back.domain()).isEqualTo("global");
        assertThat(back.address()).isEqualTo("192.168.1.1");
        assertThat(back.identity()).isEqualTo(b("srv"));
        assertThat(back.mechanism()).isEqualTo("PLAIN");
        assertThat(back.credentials()).containsExactly(b("admin"), b("secret"));
        // a REP handler sees the same frames without the delimiter
        assertThat(ZapCodec.decodeRequest(frames.subList(1, frames.size())).mechanism()).isEqualTo("PLAIN");
    }

    @Test
    void curveAndNullRequests() {
        byte[] key = CurveMechanismTest.CLIENT.publicKey();
        List<Frame> curve = ZapCodec.encodeRequest(new ZapRequest(b("1"), "", "", new byte[0], "CURVE", List.of(key)));
        assertThat(curve).hasSize(8);
        assertThat(ZapCodec.decodeRequest(curve).credentials().get(0)).isEqualTo(key);
        List<Frame> nul = ZapCodec.encodeRequest(new ZapRequest(b("1"), "", "", new byte[0], "NULL", List.of()));
        assertThat(nul).hasSize(7);
        assertThat(ZapCodec.decodeRequest(nul).credentials()).isEmpty();
    }

    @Test
    void badRequestsAreNamed() {
        List<Frame> ok = ZapCodec.encodeRequest(new ZapRequest(b("1"), "", "", new byte[0], "PLAIN", List.of(b("u"), b("p"))));
        assertProtocol(ok.subList(0, 8), "2 expected");
        List<Frame> badVersion = new ArrayList<>(ok);
        badVersion.set(1, Frame.of("2.0"));
        assertProtocol(badVersion, "version");
        List<Frame> badMech = new ArrayList<>(ok);
        badMech.set(6, Frame.of("GSSAPI"));
        assertProtocol(badMech, "unknown mechanism");
        List<Frame> shortKey = ZapCodec.encodeRequest(new ZapRequest(b("1"), "", "", new byte[0], "CURVE", List.of(new byte[31])));
        assertThatThrownBy(() -> ZapCodec.decodeRequest(shortKey)).isInstanceOf(ZmtpException.class).hasMessageContaining("31-byte");
        assertProtocol(List.of(Frame.EMPTY, Frame.of("1.0")), "at least 6");
        assertProtocol(List.of(), "at least 6");
    }

    private static void assertProtocol(List<Frame> frames, String message) {
        assertThatThrownBy(() -> ZapCodec.decodeRequest(frames))
            .isInstanceOf(ZmtpException.class)
            .satisfies(e -> assertThat(((ZmtpException) e).kind()).isEqualTo(ZmtpException.Kind.PROTOCOL))
            .hasMessageContaining(message);
    }

    @Test
    void replyRoundTripWithMetadata() {
        ZapReply reply = new ZapReply(b("42"), "200", "OK", "alice", Metadata.builder().put("X-Tier", "gold").build());
        List<Frame> frames = ZapCodec.encodeReply(reply);
        assertThat(frames).hasSize(7);
        assertThat(strings(frames.subList(0, 6))).containsExactly("", "1.0", "42", "200", "OK", "alice");
        assertThat(frames.get(6).toByteArray()).isEqualTo(b("\u0006X-Tier\u0000\u0000\u0000\u0004gold"));
        ZapReply back = ZapCodec.decodeReply(frames);
        assertThat(back.accepted()).isTrue();
        assertThat(back.requestId()).isEqualTo(b("42"));
        assertThat(back.statusText()).isEqualTo("OK");
        assertThat(back.userId()).isEqualTo("alice");
        assertThat(back.metadata().getString("x-tier")).contains("gold");
        assertThat(ZapCodec.decodeReply(frames.subList(1, 7)).statusCode()).isEqualTo("200");
    }

    @Test
    void badRepliesAreNamed() {
        List<Frame> ok = ZapCodec.encodeReply(new ZapReply(b("1"), "400", "No", "", Metadata.EMPTY));
        assertThat(ZapCodec.decodeReply(ok).accepted()).isFalse();

        List<Frame> tooFew = ok.subList(0, 6);
        assertReply(tooFew, "exactly 6");
        List<Frame> tooMany = new ArrayList<>(ok);
        tooMany.add(Frame.of("extra"));
        assertReply(tooMany, "exactly 6");
        List<Frame> badCode = new ArrayList<>(ok);
        badCode.set(3, Frame.of("201"));
        assertReply(badCode, "status code");
        List<Frame> badVersion = new ArrayList<>(ok);
        badVersion.set(1, Frame.of("1.1"));
        assertReply(badVersion, "version");
        List<Frame> badMetadata = new ArrayList<>(ok);
        badMetadata.set(6, Frame.of("\u0003abc\u0000\u0000\u0001\u0000"));
        assertReply(badMetadata, "metadata");
        assertThatThrownBy(() -> ZapCodec.encodeReply(new ZapReply(b("1"), "999", "", "", Metadata.EMPTY)))
            .isInstanceOf(ZmtpException.class).hasMessageContaining("999");
    }

    private static void assertReply(List<Frame> frames, String message) {
        assertThatThrownBy(() -> ZapCodec.decodeReply(frames))
            .isInstanceOf(ZmtpException.class)
            .satisfies(e -> assertThat(((ZmtpException) e).kind()).isEqualTo(ZmtpException.Kind.PROTOCOL))
            .hasMessageContaining(message);
    }
}
