package io.rzmq.protocol.connection;

import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Metadata;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import io.rzmq.protocol.ZmtpException;
import io.rzmq.protocol.security.HandshakeContext;
import io.rzmq.protocol.security.NullMechanism;
import io.rzmq.protocol.security.ZapReply;
import io.rzmq.protocol.wire.Commands;
import io.rzmq.protocol.wire.FrameEncoder;
import io.rzmq.protocol.wire.Greeting;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue 12: what a peer can make one connection hold, before and after its handshake. */
class ConnectionBoundsTest {

    private static ZmtpConnection pull(ZmtpLimits limits, long maxMsgSize, HandshakeContext hc, RecordingHandler h) {
        return new ZmtpConnection(new ZmtpConfig(SocketType.PULL, maxMsgSize, "", limits), new NullMechanism(hc), h);
    }

    private static HandshakeContext pullContext() {
        return HandshakeContext.of(Metadata.builder().put(Metadata.SOCKET_TYPE, SocketType.PULL.zmtpName()).build());
    }

    private static byte[] longHeader(int flags, long size) {
        byte[] h = new byte[9];
        h[0] = (byte) (flags | 0x02);
        for (int i = 0; i < 8; i++) {
            h[1 + i] = (byte) (size >>> (56 - 8 * i));
        }
        return h;
    }

    /** A PUSH peer's greeting and READY. */
    private static byte[] pushHello() {
        FrameEncoder e = new FrameEncoder();
        e.writeRaw(Greeting.encode("NULL", false));
        e.writeCommand(Commands.ready(Metadata.builder().put(Metadata.SOCKET_TYPE, "PUSH").build()));
        return concat(e.takeOutput());
    }

    private static byte[] concat(List<Frame> out) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        for (Frame f : out) {
            b.write(f.unsafeArray(), f.offset(), f.size());
        }
        return b.toByteArray();
    }

    private static ZmtpException.Kind failureKind(Runnable r) {
        try {
            r.run();
        } catch (ZmtpException e) {
            return e.kind();
        }
        return null;
    }

    @Test
    void aGreetingAndAHugeHeaderAreRefusedAtOnceHoldingNothing() {
        List<ZmtpConnection> conns = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            ZmtpConnection c = pull(ZmtpLimits.DEFAULT, -1, pullContext(), new RecordingHandler());
            c.start();
            byte[] g = Greeting.encode("NULL", false);
            c.receive(g, 0, g.length);
            byte[] h = longHeader(0x04, 1 << 20);
            assertThat(failureKind(() -> c.receive(h, 0, h.length))).isEqualTo(ZmtpException.Kind.PROTOCOL);
            assertThat(c.isFailed()).isTrue();
            assertThat(c.bufferedBytes()).isLessThanOrEqualTo(9);
            conns.add(c);
        }
    }

    @Test
    void aHandshakeCommandUnderTheCapHoldsOnlyWhatArrived() {
        ZmtpConnection c = pull(ZmtpLimits.DEFAULT, -1, pullContext(), new RecordingHandler());
        c.start();
        byte[] g = Greeting.encode("NULL", false);
        c.receive(g, 0, g.length);
        byte[] h = longHeader(0x04, 9 * 1024);
        c.receive(h, 0, h.length);
        c.receive(new byte[20], 0, 20);
        assertThat(c.bufferedBytes()).as("header + the 64-byte least staging array").isLessThanOrEqualTo(9 + 64);
    }

    @Test
    void afterTheHandshakeAHugeDeclaredFrameStillHoldsOnlyWhatArrived() {
        ZmtpConnection c = pull(ZmtpLimits.DEFAULT, -1, pullContext(), new RecordingHandler());
        c.start();
        byte[] hello = pushHello();
        c.receive(hello, 0, hello.length);
        assertThat(c.isReady()).isTrue();
        byte[] h = longHeader(0, 1L << 30);
        c.receive(h, 0, h.length);
        for (int i = 0; i < 100; i++) {
            c.receive(new byte[100], 0, 100);
        }
        assertThat(c.bufferedBytes()).isLessThan(10_000 + 9 + 2 * 4096);
    }

    @Test
    void bytesSentWhileTheZapHandlerIsAskedAreBounded() {
        HandshakeContext hc = new HandshakeContext(
            Metadata.builder().put(Metadata.SOCKET_TYPE, SocketType.PULL.zmtpName()).build(), true, "global",
            "10.0.0.1");
        RecordingHandler h = new RecordingHandler();
        ZmtpLimits limits = ZmtpLimits.DEFAULT.withMaxHandshakeBuffered(12 * 1024);
        ZmtpConnection c = pull(limits, -1, hc, h);
        c.start();
        byte[] hello = pushHello();
        c.receive(hello, 0, hello.length);
        assertThat(h.zapRequests).hasSize(1);
        // The peer goes on sending while we wait for the handler: refused once 12 KiB are held.
        assertThat(failureKind(() -> {
            for (int i = 0; i < 100; i++) {
                c.receive(new byte[1024], 0, 1024);
            }
        })).isEqualTo(ZmtpException.Kind.PROTOCOL);
        assertThat(c.failure().getMessage()).contains("rzmq.handshake.max-buffered");
    }

    @Test
    void aPeerThatWaitsForZapLikeARealOneIsAdmitted() {
        HandshakeContext hc = new HandshakeContext(
            Metadata.builder().put(Metadata.SOCKET_TYPE, SocketType.PULL.zmtpName()).build(), true, "global",
            "10.0.0.1");
        RecordingHandler h = new RecordingHandler();
        ZmtpConnection c = pull(ZmtpLimits.DEFAULT, -1, hc, h);
        c.start();
        byte[] hello = pushHello();
        c.receive(hello, 0, hello.length);
        c.zapReply(new ZapReply("1".getBytes(), "200", "OK", "user", Metadata.EMPTY));
        assertThat(c.isReady()).isTrue();
        FrameEncoder e = new FrameEncoder();
        e.writeFrame(Frame.wrap(new byte[100_000]), false);
        byte[] msg = concat(e.takeOutput());
        c.receive(msg, 0, msg.length);
        assertThat(h.messages).containsExactly(Msg.of(new byte[100_000]));
    }

    @Test
    void anEndlessStreamOfEmptyMoreFramesIsRefused() {
        for (long maxMsgSize : new long[] {-1, 1000}) {
            RecordingHandler h = new RecordingHandler();
            ZmtpConnection c = pull(ZmtpLimits.DEFAULT.withMaxMessageFrames(1000), maxMsgSize, pullContext(), h);
            c.start();
            byte[] hello = pushHello();
            c.receive(hello, 0, hello.length);
            byte[] emptyMore = {0x01, 0x00};
            assertThat(failureKind(() -> {
                for (int i = 0; i < 2000; i++) {
                    c.receive(emptyMore, 0, 2);
                }
            })).as("MAXMSGSIZE " + maxMsgSize).isEqualTo(ZmtpException.Kind.MESSAGE_TOO_LARGE);
            assertThat(h.messages).isEmpty();
        }
    }
}
