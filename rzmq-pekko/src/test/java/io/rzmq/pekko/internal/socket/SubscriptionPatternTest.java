package io.rzmq.pekko.internal.socket;

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

/** PUB and SUB subscription handling across (re)connections, without actors. */
class SubscriptionPatternTest {
    private final List<PipeEntry> finished = new ArrayList<>();
    private final SocketPattern.Host host = finished::add;

    private static PeerInfo peer(SocketType t) {
        return new PeerInfo(1, t, Metadata.EMPTY, "");
    }

    private static List<Object> drain(Pipe pipe) {
        List<Object> out = new ArrayList<>();
        Object item;
        while ((item = pipe.poll()) != null) {
            out.add(item);
        }
        return out;
    }

    @Test
    void subSendsItsWholeSetAfterAResyncOnEveryConnectionAndNothingWhileDisconnected() {
        SocketPattern sub = SocketPattern.create(SocketType.SUB, host);
        sub.subscribe(Frame.of("a"));
        // A connect-side pipe: attached before any handshake, so nothing is written yet.
        PipeEntry p = new PipeEntry(PipeId.next(), new Pipe(100), new Pipe(100), "tcp://x:1", null);
        sub.attached(p);
        assertThat(drain(p.out())).isEmpty();
        p.markReady(peer(SocketType.PUB));
        sub.peerReady(p);
        assertThat(drain(p.out())).containsExactly(PipeCommand.Resync.INSTANCE, new PipeCommand.Subscribe(Frame.of("a")));

        sub.subscribe(Frame.of("b"));
        sub.subscribe(Frame.of("b")); // forwarded again, as libzmq does; the publisher keeps a set
        sub.unsubscribe(Frame.of("b")); // one reference left: no cancel
        assertThat(drain(p.out())).containsExactly(new PipeCommand.Subscribe(Frame.of("b")),
            new PipeCommand.Subscribe(Frame.of("b")));

        p.markLost();
        sub.peerLost(p);
        sub.subscribe(Frame.of("c")); // while disconnected: remembered, not queued
        sub.unsubscribe(Frame.of("a"));
        assertThat(drain(p.out())).isEmpty();
        p.markReady(peer(SocketType.PUB));
        sub.peerReady(p);
        List<Object> resent = drain(p.out());
        assertThat(resent.get(0)).isEqualTo(PipeCommand.Resync.INSTANCE);
        assertThat(resent.subList(1, resent.size())).containsExactlyInAnyOrder(
            new PipeCommand.Subscribe(Frame.of("b")), new PipeCommand.Subscribe(Frame.of("c")));
    }

    @Test
    void subFiltersLocallyAndKeepsRefusedCommandsUntilThereIsRoom() {
        SocketPattern sub = SocketPattern.create(SocketType.SUB, host);
        PipeEntry p = new PipeEntry(PipeId.next(), new Pipe(2), new Pipe(10), "inproc://x", peer(SocketType.PUB));
        sub.attached(p); // Resync (set is empty)
        sub.subscribe(Frame.of("t1"));
        sub.subscribe(Frame.of("t2")); // the out pipe (HWM 2) is full now: kept in order
        sub.subscribe(Frame.of("t3"));
        assertThat(drain(p.out())).containsExactly(PipeCommand.Resync.INSTANCE, new PipeCommand.Subscribe(Frame.of("t1")));
        sub.writable(p);
        assertThat(drain(p.out())).containsExactly(new PipeCommand.Subscribe(Frame.of("t2")),
            new PipeCommand.Subscribe(Frame.of("t3")));

        p.in().offer(Msg.of("other"));
        p.in().offer(Msg.of("t2", "x"));
        sub.readable(p);
        assertThat(sub.receive()).isEqualTo(Msg.of("t2", "x"));
        assertThat(sub.receive()).isNull();
    }

    @Test
    void pubForgetsAPeersSubscriptionsWhenItIsLostOrSendsAResync() {
        SocketPattern pub = SocketPattern.create(SocketType.PUB, host);
        PipeEntry p = new PipeEntry(PipeId.next(), new Pipe(100), new Pipe(100), "tcp://x:1", peer(SocketType.SUB));
        p.in().offer(new PipeCommand.Subscribe(Frame.of("a")));
        pub.attached(p);
        pub.send(Msg.of("a1"));
        pub.send(Msg.of("b1"));
        assertThat(drain(p.out())).containsExactly(Msg.of("a1"));

        // Subscriptions sent before the connection broke are applied, then forgotten with it.
        p.in().offer(new PipeCommand.Subscribe(Frame.of("b")));
        p.markLost();
        pub.peerLost(p);
        pub.send(Msg.of("a2"));
        pub.send(Msg.of("b2"));
        assertThat(drain(p.out())).isEmpty();

        // ZMTP 3.0 peers' subscription messages count as well; Resync clears again.
        p.in().offer(Msg.of(new byte[] {1, 'b'}));
        pub.readable(p);
        pub.send(Msg.of("b3"));
        assertThat(drain(p.out())).containsExactly(Msg.of("b3"));
        p.in().offer(PipeCommand.Resync.INSTANCE);
        p.in().offer(new PipeCommand.Subscribe(Frame.of("c")));
        pub.readable(p);
        pub.send(Msg.of("b4"));
        pub.send(Msg.of("c4"));
        assertThat(drain(p.out())).containsExactly(Msg.of("c4"));

        p.in().offer(new PipeCommand.Cancel(Frame.of("c")));
        p.in().closeWrite();
        pub.readable(p);
        assertThat(finished).containsExactly(p);
        pub.send(Msg.of("c5"));
        assertThat(drain(p.out())).isEmpty();
    }
}
