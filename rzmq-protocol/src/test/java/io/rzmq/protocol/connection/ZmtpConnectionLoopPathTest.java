package io.rzmq.protocol.connection;

import io.rzmq.protocol.Metadata;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.security.CurveKeyPair;
import io.rzmq.protocol.security.CurveMechanism;
import io.rzmq.protocol.security.HandshakeContext;
import io.rzmq.protocol.SocketType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The v2 engine's paths through a connection: buffer reads, direct body reads, gather writes. */
class ZmtpConnectionLoopPathTest {

    private static Msg random(int size, int seed) {
        byte[] p = new byte[size];
        new Random(seed).nextBytes(p);
        return Msg.of(p);
    }

    @Test
    void messagesOfEverySizeBothWaysThroughSharedBuffersAndGatherWrites() {
        RecordingHandler ha = new RecordingHandler();
        RecordingHandler hb = new RecordingHandler();
        ZmtpConnection a = ZmtpConnectionTest.nullConnection(SocketType.DEALER, ha);
        ZmtpConnection b = ZmtpConnectionTest.nullConnection(SocketType.DEALER, hb);
        a.start();
        b.start();
        LoopLink link = new LoopLink(a, b, 128 * 1024);
        link.pump();
        assertThat(a.isReady() && b.isReady()).isTrue();

        List<Msg> sent = new ArrayList<>();
        int[] sizes = {64, 1024, 64 * 1024, 10 * 1024 * 1024, 0, 33, 100_000, 64};
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < sizes.length; i++) {
                Msg m = random(sizes[i], 10 * round + i);
                sent.add(m);
                a.send(m);
                b.send(m);
            }
            link.pump();
        }
        assertThat(hb.messages).isEqualTo(sent);
        assertThat(ha.messages).isEqualTo(sent);
        // Small messages are exact-size arrays of their own, never slices of a read.
        assertThat(hb.messages.get(0).frame(0).unsafeArray()).hasSize(64);
        // Once the peer has sent enough, large bodies were read straight into their arrays.
        assertThat(link.directBytes).isGreaterThan(10L * 1024 * 1024);
        assertThat(a.pendingOutputBytes()).isZero();
    }

    @Test
    void pausedDecodingKeepsACopyOfTheRestOfTheRead() {
        RecordingHandler ha = new RecordingHandler();
        RecordingHandler hb = new RecordingHandler();
        ZmtpConnection a = ZmtpConnectionTest.nullConnection(SocketType.DEALER, ha);
        ZmtpConnection b = ZmtpConnectionTest.nullConnection(SocketType.DEALER, hb);
        a.start();
        b.start();
        LoopLink link = new LoopLink(a, b, 64 * 1024);
        link.pump();
        List<Msg> sent = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Msg m = random(10 + i, i);
            sent.add(m);
            a.send(m);
        }
        hb.accept = false;
        link.pump();
        // One message delivered, then paused; the rest of the (scribbled) read was kept as a copy.
        assertThat(hb.messages).hasSize(1);
        assertThat(b.bufferedBytes()).isPositive();
        while (b.isPaused()) {
            b.resumeDecoding();
        }
        hb.accept = true;
        b.resumeDecoding();
        link.pump();
        assertThat(hb.messages).isEqualTo(sent);
    }

    private static HandshakeContext ctx(SocketType type) {
        return HandshakeContext.of(Metadata.builder().put(Metadata.SOCKET_TYPE, type.zmtpName()).build());
    }

    @Test
    void curveMessagesSealedIntoTheBatchAndOpenedFromSharedBuffers() {
        CurveKeyPair server = CurveKeyPair.generate();
        CurveKeyPair client = CurveKeyPair.generate();
        RecordingHandler ha = new RecordingHandler();
        RecordingHandler hb = new RecordingHandler();
        ZmtpConnection a = new ZmtpConnection(new ZmtpConfig(SocketType.DEALER, -1),
            CurveMechanism.client(client, server.publicKey(), ctx(SocketType.DEALER)), ha);
        ZmtpConnection b = new ZmtpConnection(new ZmtpConfig(SocketType.DEALER, -1),
            CurveMechanism.server(server, ctx(SocketType.DEALER)), hb);
        a.start();
        b.start();
        LoopLink link = new LoopLink(a, b, 100_000);
        link.pump();
        assertThat(a.isReady() && b.isReady()).isTrue();
        List<Msg> sent = new ArrayList<>();
        // below and above the copy threshold (in-place box vs its own array), multipart too
        int[] sizes = {64, 1024, 8 * 1024 - 40, 9000, 1 << 20, 0};
        for (int i = 0; i < sizes.length; i++) {
            Msg m = i == 2 ? Msg.of(new byte[7], new byte[sizes[i]]) : random(sizes[i], i);
            sent.add(m);
            a.send(m);
            b.send(m);
        }
        link.pump();
        assertThat(hb.messages).isEqualTo(sent);
        assertThat(ha.messages).isEqualTo(sent);
    }
}
