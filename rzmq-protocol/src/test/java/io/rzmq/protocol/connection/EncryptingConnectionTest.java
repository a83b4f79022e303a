package io.rzmq.protocol.connection;

import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Metadata;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import io.rzmq.protocol.ZmtpException;
import io.rzmq.protocol.wire.FrameDecoder;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The encrypts() path: after the handshake every frame, commands included, goes through the mechanism. */
class EncryptingConnectionTest {
    private static Metadata md(SocketType t) {
        return Metadata.builder().put(Metadata.SOCKET_TYPE, t.zmtpName()).build();
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void everyFrameAfterTheHandshakeIsWrapped() {
        XorTestMechanism ma = new XorTestMechanism(md(SocketType.SUB), false);
        XorTestMechanism mb = new XorTestMechanism(md(SocketType.PUB), true);
        RecordingHandler ha = new RecordingHandler();
        RecordingHandler hb = new RecordingHandler();
        ZmtpConnection a = new ZmtpConnection(ZmtpConfig.of(SocketType.SUB), ma, ha);
        ZmtpConnection b = new ZmtpConnection(ZmtpConfig.of(SocketType.XPUB), mb, hb);
        a.start();
        b.start();
        Link.pump(a, b, 0);
        assertThat(a.isReady()).isTrue();
        assertThat(b.isReady()).isTrue();
        assertThat(ma.encoded).isZero();

        a.sendSubscription(Frame.of("secret-topic"), true);
        a.sendPing(10, Frame.of("pingctx"));
        a.send(Msg.of("secret-part-1", "secret-part-2"));
        byte[] wire = Link.drain(a);
        assertThat(ma.encoded).isEqualTo(4);
        assertThat(indexOf(wire, "secret".getBytes(StandardCharsets.US_ASCII))).isEqualTo(-1);
        assertThat(indexOf(wire, "SUBSCRIBE".getBytes(StandardCharsets.US_ASCII))).isEqualTo(-1);
        assertThat(indexOf(wire, "PING".getBytes(StandardCharsets.US_ASCII))).isEqualTo(-1);
        // Wrapped frames travel as flag-less data frames, as libzmq puts CURVE MESSAGEs on the wire.
        List<Integer> flags = new ArrayList<>();
        FrameDecoder d = new FrameDecoder(-1);
        d.setInput(wire, 0, wire.length);
        while (d.next()) {
            flags.add((d.more() ? 1 : 0) | (d.command() ? 4 : 0));
        }
        assertThat(flags).containsExactly(0, 0, 0, 0);

        Link.feed(b, wire, 3);
        assertThat(mb.decoded).isEqualTo(4);
        assertThat(hb.subscriptions).containsExactly("+secret-topic");
        assertThat(hb.pings).containsExactly(10);
        assertThat(hb.messages).containsExactly(Msg.of("secret-part-1", "secret-part-2"));
        // The PONG went back wrapped too.
        Link.pump(a, b, 0);
        assertThat(mb.encoded).isEqualTo(1);
        assertThat(ma.decoded).isEqualTo(1);
    }

    @Test
    void unwrappedMessagesCountAgainstMaxMessageSize() {
        XorTestMechanism ma = new XorTestMechanism(md(SocketType.DEALER), false);
        XorTestMechanism mb = new XorTestMechanism(md(SocketType.DEALER), true);
        ZmtpConnection a = new ZmtpConnection(ZmtpConfig.of(SocketType.DEALER), ma, new RecordingHandler());
        ZmtpConnection b = new ZmtpConnection(new ZmtpConfig(SocketType.DEALER, 10), mb, new RecordingHandler());
        a.start();
        b.start();
        Link.pump(a, b, 0);
        a.send(Msg.of("abcdef", "ghijkl"));
        byte[] wire = Link.drain(a);
        assertThatThrownBy(() -> Link.feed(b, wire, 0)).isInstanceOfSatisfying(ZmtpException.class,
            e -> assertThat(e.kind()).isEqualTo(ZmtpException.Kind.MESSAGE_TOO_LARGE));
    }
}
