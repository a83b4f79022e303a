package io.rzmq.pekko.internal.transport.loop;

import io.rzmq.pekko.internal.transport.ByteStream;
import io.rzmq.pekko.internal.transport.StreamListener;
import io.rzmq.pekko.internal.transport.StreamOptions;
import io.rzmq.pekko.internal.transport.nio.IoLoop;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.rzmq.pekko.internal.transport.loop.StreamProbe.awaitTrue;
import static io.rzmq.pekko.internal.transport.loop.StreamProbe.onLoop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Several loops: connections spread over them, callbacks on each stream's loop, loops as Pekko dispatchers. */
class IoLoopsTest {
    private final IoLoops loops = IoLoops.start(3, "seam-loops-test-");
    private final LoopTransport transport = new LoopTransport(loops);

    @AfterEach
    void stop() {
        loops.close();
    }

    private Map<Integer, Integer> counts() {
        Map<Integer, Integer> m = new TreeMap<>();
        for (int i = 0; i < loops.size(); i++) {
            m.put(i, loops.get(i).connections());
        }
        return m;
    }

    @Test
    void acceptedConnectionsSpreadOverTheLoopsAndEachStreamsCallbacksRunOnItsLoop() throws Exception {
        LoopTransportTest.Accepts accepts = new LoopTransportTest.Accepts();
        StreamListener l = transport.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            StreamOptions.defaults(), accepts);
        List<Socket> peers = new ArrayList<>();
        List<StreamProbe> probes = new ArrayList<>();
        int[] perLoop = new int[loops.size()];
        try {
            for (int i = 0; i < 6; i++) {
                Socket s = new Socket();
                s.connect(l.boundAddress());
                peers.add(s);
                ByteStream stream = accepts.next();
                perLoop[stream.loop().index()]++;
                probes.add(new StreamProbe(false).startOn(stream));
            }
            assertThat(perLoop).containsExactly(2, 2, 2);
            assertThat(counts()).containsValues(2, 2, 2);
            for (Socket s : peers) {
                s.getOutputStream().write(new byte[1000]);
                s.shutdownOutput();
            }
            for (StreamProbe p : probes) {
                assertThat(p.next()).isEqualTo("peerClosed");
                assertThat(p.received.get()).isEqualTo(1000);
                onLoop(p.stream, p.stream::closeGracefully);
                assertThat(p.next()).isEqualTo("closed");
                assertThat(p.offLoop).as("callbacks off the stream's loop").isEmpty();
            }
            awaitTrue("connections released", () -> counts().values().stream().allMatch(c -> c == 0));
        } finally {
            for (Socket s : peers) {
                s.close();
            }
            l.close().toCompletableFuture().join();
        }
    }

    @Test
    void pickChoosesTheLeastLoadedLoopThenRoundRobin() throws Exception {
        // A plain listener that never accepts: connects complete in its backlog, no accepted side is placed.
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<StreamProbe> probes = new ArrayList<>();
            List<Integer> chosen = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                LoopHandle h = loops.pick();
                chosen.add(h.index());
                StreamProbe p = new StreamProbe(false);
                transport.connect(server.getLocalSocketAddress(), StreamOptions.defaults(), h, p);
                probes.add(p);
            }
            assertThat(chosen.subList(0, 3)).containsExactlyInAnyOrder(0, 1, 2);
            assertThat(chosen.subList(3, 6)).containsExactlyInAnyOrder(0, 1, 2);
            for (StreamProbe p : probes) {
                ByteStream s = p.awaitConnected();
                assertThat(p.offLoop).isEmpty();
                onLoop(s, s::abort);
            }
            awaitTrue("connections released", () -> counts().values().stream().allMatch(c -> c == 0));
            // With one loop busier, the next picks avoid it.
            StreamProbe busy = new StreamProbe(false);
            transport.connect(server.getLocalSocketAddress(), StreamOptions.defaults(), loops.get(1), busy);
            ByteStream b = busy.awaitConnected();
            for (int i = 0; i < 4; i++) {
                assertThat(loops.pick().index()).isNotEqualTo(1);
            }
            onLoop(b, b::abort);
        }
    }

    record WhereAreYou(ActorRef<Thread> replyTo) {
    }

    @Test
    void eachLoopIsAPekkoDispatcherWhoseActorsRunOnTheLoopThread() {
        ActorTestKit kit = ActorTestKit.create("io-loops-dispatchers");
        try {
            List<String> ids = loops.registerDispatchers(kit.system().classicSystem(), 64);
            assertThat(ids).containsExactly("rzmq.io-loop-0", "rzmq.io-loop-1", "rzmq.io-loop-2");
            Behavior<WhereAreYou> where = Behaviors.receiveMessage(m -> {
                m.replyTo().tell(Thread.currentThread());
                return Behaviors.same();
            });
            for (int i = 0; i < loops.size(); i++) {
                ActorRef<WhereAreYou> a = kit.spawn(where, "where-" + i,
                    DispatcherSelector.fromConfig("rzmq.io-loop-" + i));
                TestProbe<Thread> probe = kit.createTestProbe(Thread.class);
                a.tell(new WhereAreYou(probe.getRef()));
                assertThat(probe.receiveMessage()).isSameAs(loops.get(i).io().thread());
            }
            ActorRef<WhereAreYou> other = kit.spawn(where, "where-default");
            TestProbe<Thread> probe = kit.createTestProbe(Thread.class);
            other.tell(new WhereAreYou(probe.getRef()));
            assertThat(probe.receiveMessage()).isNotSameAs(loops.get(1).io().thread());
            assertThatThrownBy(() -> loops.registerDispatchers(kit.system().classicSystem(), 64))
                .isInstanceOf(IllegalStateException.class);
        } finally {
            kit.shutdownTestKit();
        }
        assertThat(IoLoop.current()).isNull();
    }
}
