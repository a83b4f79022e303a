package io.rzmq.protocol.connection;

import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Metadata;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import io.rzmq.protocol.ZmtpException;
import io.rzmq.protocol.security.HandshakeContext;
import io.rzmq.protocol.security.NullMechanism;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ZmtpConnectionTest {

    static ZmtpConnection nullConnection(SocketType type, RecordingHandler h) {
        return nullConnection(type, h, -1, Metadata.EMPTY);
    }

    static ZmtpConnection nullConnection(SocketType type, RecordingHandler h, long maxMsgSize, Metadata extra) {
        Metadata md = Metadata.builder().put(Metadata.SOCKET_TYPE, type.zmtpName()).putAll(extra).build();
        return new ZmtpConnection(new ZmtpConfig(type, maxMsgSize), new NullMechanism(HandshakeContext.of(md)), h);
    }

    @Test
    void nullHandshakeThenMessagesBothWays() {
        RecordingHandler ha = new RecordingHandler();
        RecordingHandler hb = new RecordingHandler();
        ZmtpConnection a = nullConnection(SocketType.DEALER, ha, -1,
            Metadata.builder().put(Metadata.IDENTITY, "alice").put("X-Color", "blue").build());
        ZmtpConnection b = nullConnection(SocketType.ROUTER, hb);
        a.start();
        b.start();
        Link.pump(a, b, 0);
        assertThat(a.isReady()).isTrue();
        assertThat(b.isReady()).isTrue();
        assertThat(hb.peer.socketType()).isEqualTo(SocketType.DEALER);
        assertThat(hb.peer.minorVersion()).isEqualTo(1);
        assertThat(new String(hb.peer.identity())).isEqualTo("alice");
        assertThat(hb.peer.metadata().getString("x-color")).contains("blue");
        assertThat(ha.peer.socketType()).isEqualTo(SocketType.ROUTER);

        byte[] big = new byte[10 * 1024 * 1024];
        new Random(1).nextBytes(big);
        a.send(Msg.of("hello", "", "world"));
        a.send(Msg.of(new byte[0]));
        a.send(Msg.of(big));
        b.send(Msg.of("back"));
        Link.pump(a, b, 0);
        assertThat(hb.messages).containsExactly(Msg.of("hello", "", "world"), Msg.of(new byte[0]), Msg.of(big));
        assertThat(ha.messages).containsExactly(Msg.of("back"));
        assertThat(hb.messages.get(0).properties().getString("X-Color")).contains("blue");
    }

    @Test
    void incompatibleSocketTypesFail() {
        RecordingHandler ha = new RecordingHandler();
        ZmtpConnection a = nullConnection(SocketType.PUSH, ha);
        ZmtpConnection b = nullConnection(SocketType.PUB, new RecordingHandler());
        a.start();
        b.start();
        assertThatThrownBy(() -> Link.pump(a, b, 0))
            .isInstanceOfSatisfying(ZmtpException.class,
                e -> assertThat(e.kind()).isEqualTo(ZmtpException.Kind.INCOMPATIBLE_SOCKET_TYPE));
        assertThat(ha.messages).isEmpty();
    }

    @Test
    void pingIsAnsweredAndSubscriptionsUseCommands() {
        RecordingHandler hp = new RecordingHandler();
        RecordingHandler hs = new RecordingHandler();
        ZmtpConnection pub = nullConnection(SocketType.PUB, hp);
        ZmtpConnection sub = nullConnection(SocketType.SUB, hs);
        pub.start();
        sub.start();
        Link.pump(pub, sub, 1);
        sub.sendSubscription(Frame.of("news"), true);
        sub.sendSubscription(Frame.of("news"), false);
        sub.sendPing(100, Frame.of("ctx"));
        Link.pump(pub, sub, 0);
        assertThat(hp.subscriptions).containsExactly("+news", "-news");
        assertThat(hp.pings).containsExactly(100);
    }

    @Test
    void pingsFromAPeerThatDoesNotReadShareOnePongInTheOutputBatch() {
        RecordingHandler hp = new RecordingHandler();
        ZmtpConnection pub = nullConnection(SocketType.PUB, hp);
        ZmtpConnection sub = nullConnection(SocketType.SUB, new RecordingHandler());
        pub.start();
        sub.start();
        Link.pump(pub, sub, 0);
        java.io.ByteArrayOutputStream pings = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < 10_000; i++) {
            sub.sendPing(100, Frame.of("context-" + i));
            pings.writeBytes(Link.drain(sub));
        }
        // pub's output is never taken (as while its one write waits for a peer that does not read).
        Link.feed(pub, pings.toByteArray(), 0);
        assertThat(hp.pings).hasSize(10_000);
        int onePong = pub.pendingOutputBytes();
        assertThat(onePong).isPositive().isLessThan(64);

        pub.takeOutput();
        sub.sendPing(100, Frame.of("after"));
        Link.feed(pub, Link.drain(sub), 0);
        assertThat(pub.pendingOutputBytes()).isPositive(); // the next batch answers again
    }

    @Test
    void heartbeatPingsWhileTheBatchIsNotTakenShareOnePing() {
        RecordingHandler hs = new RecordingHandler();
        ZmtpConnection pub = nullConnection(SocketType.PUB, new RecordingHandler());
        ZmtpConnection sub = nullConnection(SocketType.SUB, hs);
        pub.start();
        sub.start();
        Link.pump(pub, sub, 0);
        pub.sendPing(10, Frame.EMPTY);
        int onePing = pub.pendingOutputBytes();
        for (int i = 0; i < 1000; i++) {
            pub.sendPing(10, Frame.EMPTY); // timers firing while the one write is stuck
        }
        assertThat(pub.pendingOutputBytes()).isEqualTo(onePing);
        Link.feed(sub, Link.drain(pub), 0);
        assertThat(hs.pings).containsExactly(10);
        pub.sendPing(10, Frame.EMPTY);
        assertThat(pub.pendingOutputBytes()).isEqualTo(onePing);
    }
}
