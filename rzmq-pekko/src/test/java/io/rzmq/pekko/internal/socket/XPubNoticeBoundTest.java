package io.rzmq.pekko.internal.socket;

import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.pekko.internal.pipe.Pipe;
import io.rzmq.pekko.internal.pipe.PipeCommand;
import io.rzmq.pekko.internal.pipe.PipeId;
import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Metadata;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import io.rzmq.protocol.connection.PeerInfo;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * XPUB's queue of notices for the application is bounded by RCVHWM: automatic modes drop notices past it
 * (the subscriptions still apply), while upstream data and XPUB_MANUAL's notices wait in the subscriber's
 * pipe until the application receives. Driven without actors.
 */
class XPubNoticeBoundTest {
    private static final int HWM = 4;
    private final SocketPattern.Host host = p -> { };

    private static PipeEntry readyPipe() {
        PipeEntry p = new PipeEntry(PipeId.next(), new Pipe(100), new Pipe(100), "tcp://x:1", null);
        p.markReady(new PeerInfo(1, SocketType.SUB, Metadata.EMPTY, ""));
        return p;
    }

    private static List<Msg> receiveAll(SocketPattern xpub) {
        List<Msg> out = new ArrayList<>();
        Msg m;
        while ((m = xpub.receive()) != null) {
            out.add(m);
        }
        return out;
    }

    private static Msg notice(int kind, String topic) {
        byte[] t = topic.getBytes();
        byte[] b = new byte[t.length + 1];
        b[0] = (byte) kind;
        System.arraycopy(t, 0, b, 1, t.length);
        return Msg.of(Frame.wrap(b));
    }

    @Test
    void automaticModeDropsNoticesPastTheLimitButAppliesEverySubscription() {
        SocketOptions o = SocketOptions.defaults().withRcvHwm(HWM);
        SocketPattern xpub = SocketPattern.create(SocketType.XPUB, host, o, SocketGuard.of(SocketType.XPUB, o));
        PipeEntry p = readyPipe();
        xpub.attached(p);
        for (int i = 0; i < 10; i++) {
            p.in().offer(new PipeCommand.Subscribe(Frame.of("t" + i)));
        }
        xpub.readable(p);

        assertThat(p.in().isEmpty()).as("subscriptions are read and applied even when no one reads notices").isTrue();
        assertThat(receiveAll(xpub)).containsExactly(notice(1, "t0"), notice(1, "t1"), notice(1, "t2"), notice(1, "t3"));
        // All ten apply: a publication on the last topic reaches the subscriber.
        assertThat(xpub.send(Msg.of("t9", "x"))).isTrue();
        assertThat(p.out().poll()).isEqualTo(Msg.of("t9", "x"));
        // Once read, new notices flow again.
        p.in().offer(new PipeCommand.Subscribe(Frame.of("u")));
        xpub.readable(p);
        assertThat(receiveAll(xpub)).containsExactly(notice(1, "u"));
    }

    @Test
    void upstreamDataWaitsInThePipeUntilTheApplicationReceives() {
        SocketOptions o = SocketOptions.defaults().withRcvHwm(HWM);
        SocketPattern xpub = SocketPattern.create(SocketType.XPUB, host, o, SocketGuard.of(SocketType.XPUB, o));
        PipeEntry p = readyPipe();
        xpub.attached(p);
        for (int i = 0; i < 10; i++) {
            p.in().offer(Msg.of("data" + i));
        }
        xpub.readable(p);
        assertThat(p.in().size()).as("only RCVHWM messages leave the pipe while none is received").isEqualTo(10 - HWM);

        List<Msg> got = receiveAll(xpub);
        assertThat(got).hasSize(10);
        for (int i = 0; i < 10; i++) {
            assertThat(got.get(i)).isEqualTo(Msg.of("data" + i));
        }
        assertThat(p.in().isEmpty()).isTrue();
    }

    @Test
    void manualModeHoldsSubscriptionsInThePipeInsteadOfDroppingThem() {
        SocketOptions o = SocketOptions.defaults().withRcvHwm(HWM).withXpubManual(true);
        SocketPattern xpub = SocketPattern.create(SocketType.XPUB, host, o, SocketGuard.of(SocketType.XPUB, o));
        PipeEntry p = readyPipe();
        xpub.attached(p);
        for (int i = 0; i < 10; i++) {
            p.in().offer(new PipeCommand.Subscribe(Frame.of("t" + i)));
        }
        xpub.readable(p);
        assertThat(p.in().size()).isEqualTo(10 - HWM);

        List<Msg> got = receiveAll(xpub);
        assertThat(got).hasSize(10);
        assertThat(got.get(9)).isEqualTo(notice(1, "t9"));
    }
}
