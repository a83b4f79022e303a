package io.rzmq.pekko.internal.socket;

import io.rzmq.pekko.internal.pipe.Pipe;
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

/** LoadBalancer, FairQueue, Distributor and SubscriptionSet without actors. */
class PatternHelpersTest {

    private static PipeEntry entry(int hwm) {
        return new PipeEntry(PipeId.next(), new Pipe(hwm), new Pipe(hwm), "inproc://t",
            new PeerInfo(1, SocketType.PULL, Metadata.EMPTY, ""));
    }

    @Test
    void loadBalancerRotatesAndSkipsFullPipes() {
        LoadBalancer lb = new LoadBalancer();
        PipeEntry a = entry(2);
        PipeEntry b = entry(10);
        PipeEntry c = entry(10);
        lb.activate(a);
        lb.activate(b);
        lb.activate(c);
        lb.activate(a); // idempotent
        for (int i = 0; i < 9; i++) {
            assertThat(lb.send(Msg.of(Integer.toString(i)))).isTrue();
        }
        // a took 0 and 3, then was full at 6, so 6 went to b; the rotation continues over b and c.
        assertThat(drain(a.out())).containsExactly("0", "3");
        assertThat(drain(b.out())).containsExactly("1", "4", "6", "8");
        assertThat(drain(c.out())).containsExactly("2", "5", "7");
        assertThat(lb.activeCount()).isEqualTo(2);
        lb.activate(a); // its writable wake-up
        assertThat(lb.activeCount()).isEqualTo(3);
    }

    @Test
    void loadBalancerSaysNoWhenEveryPipeIsFull() {
        LoadBalancer lb = new LoadBalancer();
        assertThat(lb.send(Msg.of("nobody"))).isFalse();
        PipeEntry a = entry(1);
        lb.activate(a);
        assertThat(lb.send(Msg.of("1"))).isTrue();
        assertThat(lb.send(Msg.of("2"))).isFalse();
        assertThat(lb.hasRoom()).isFalse();
    }

    @Test
    void fairQueueTakesOneItemFromEachPipeInTurn() {
        List<PipeEntry> finished = new ArrayList<>();
        FairQueue fq = new FairQueue(finished::add);
        PipeEntry a = entry(10);
        PipeEntry b = entry(10);
        PipeEntry c = entry(10);
        for (int i = 0; i < 3; i++) {
            a.in().offer("a" + i);
            b.in().offer("b" + i);
        }
        c.in().offer("c0");
        fq.activate(a);
        fq.activate(b);
        fq.activate(c);
        List<Object> order = new ArrayList<>();
        Object item;
        while ((item = fq.poll()) != null) {
            order.add(item);
        }
        assertThat(order).containsExactly("a0", "b0", "c0", "a1", "b1", "a2", "b2");
        assertThat(fq.activeCount()).isZero();
        assertThat(finished).isEmpty();
        a.in().closeWrite();
        fq.activate(a);
        assertThat(fq.poll()).isNull();
        assertThat(finished).containsExactly(a);
    }

    @Test
    void distributorSendsToMatchingSubscribersAndDropsForFullOnes() {
        Distributor dist = new Distributor();
        PipeEntry small = entry(1);
        PipeEntry big = entry(10);
        dist.attach(small);
        dist.attach(big);
        dist.subscribe(small, Frame.of("a"));
        dist.subscribe(big, Frame.of(""));
        assertThat(dist.send(Msg.of("a1"))).isEqualTo(2);
        assertThat(dist.send(Msg.of("a2"))).isEqualTo(1); // small is full: dropped there only
        assertThat(dist.send(Msg.of("b1"))).isEqualTo(1);
        assertThat(dist.droppedCount()).isEqualTo(1);
        assertThat(drain(small.out())).containsExactly("a1");
        assertThat(drain(big.out())).containsExactly("a1", "a2", "b1");

        dist.subscribe(small, Frame.of("a"));       // a repeated subscribe counts once per peer
        assertThat(dist.cancel(small, Frame.of("a"))).isEqualTo(PipeTrie.TOPIC_CHANGED);
        assertThat(dist.send(Msg.of("a3"))).isEqualTo(1);
        dist.reset(big);
        assertThat(dist.send(Msg.of("a4"))).isZero();
    }

    @Test
    void subscriptionSetMatchesPrefixesAndCountsReferences() {
        SubscriptionSet s = new SubscriptionSet();
        assertThat(s.matches(Frame.of("x"))).isFalse();
        assertThat(s.add(Frame.of("ab"))).isTrue();
        assertThat(s.add(Frame.of("ab"))).isFalse();
        assertThat(s.add(Frame.of("xyz"))).isTrue();
        assertThat(s.matches(Frame.of("abc"))).isTrue();
        assertThat(s.matches(Frame.of("ab"))).isTrue();
        assertThat(s.matches(Frame.of("a"))).isFalse();
        assertThat(s.matches(Frame.of("xy"))).isFalse();
        assertThat(s.matches(Frame.of("xyz!"))).isTrue();
        // A slice of a bigger buffer matches on its own bytes only.
        byte[] buf = "--abc--".getBytes();
        assertThat(s.matches(Frame.wrap(buf, 2, 3))).isTrue();
        assertThat(s.matches(Frame.wrap(buf, 0, 3))).isFalse();

        assertThat(s.remove(Frame.of("ab"))).isFalse(); // one reference left
        assertThat(s.matches(Frame.of("abc"))).isTrue();
        assertThat(s.remove(Frame.of("ab"))).isTrue();
        assertThat(s.matches(Frame.of("abc"))).isFalse();
        assertThat(s.remove(Frame.of("never"))).isFalse();

        s.add(Frame.EMPTY);
        assertThat(s.matches(Frame.EMPTY)).isTrue();
        assertThat(s.matches(Frame.of("anything"))).isTrue();
        assertThat(s.size()).isEqualTo(2);
        s.clear();
        assertThat(s.isEmpty()).isTrue();
        assertThat(s.matches(Frame.of("anything"))).isFalse();
    }

    private static List<String> drain(Pipe pipe) {
        List<String> out = new ArrayList<>();
        Object item;
        while ((item = pipe.poll()) != null) {
            out.add(((Msg) item).firstString());
        }
        return out;
    }
}
