package io.rzmq.pekko.internal.transport.pekkoio;

import io.rzmq.pekko.internal.transport.ByteStream;
import io.rzmq.pekko.internal.transport.EchoServer;
import io.rzmq.pekko.internal.transport.PendingConnect;
import io.rzmq.pekko.internal.transport.StreamListener;
import io.rzmq.pekko.internal.transport.StreamOptions;
import io.rzmq.pekko.internal.transport.StreamProbe;
import io.rzmq.pekko.internal.transport.StreamTransportContract;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.AllDeadLetters;
import org.apache.pekko.actor.DeadLetter;
import org.apache.pekko.actor.Props;
import org.apache.pekko.actor.SuppressedDeadLetter;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.rzmq.pekko.internal.transport.StreamProbe.DEADLINE;
import static io.rzmq.pekko.internal.transport.StreamProbe.awaitTrue;
import static io.rzmq.pekko.internal.transport.StreamProbe.onLoop;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What only the Pekko IO transport has: actors. Closing cleanly (graceful close, abort, refused and cancelled
 * connects, listener close) leaves none of ours behind, no loop counted busy, and sends no dead letter.
 */
class PekkoIoLifecycleTest {
    private static final Object MARKER = "end-of-test-marker";

    /** Collects what the event stream publishes as dead letters, in order. */
    static final class Collector extends AbstractActor {
        private final List<Object> seen;

        Collector(List<Object> seen) {
            this.seen = seen;
        }

        @Override
        public Receive createReceive() {
            return receiveBuilder().matchAny(seen::add).build();
        }
    }

    @Test
    void cleanClosesLeaveNoActorAndNoDeadLetter() throws Exception {
        try (PekkoIoFixture f = new PekkoIoFixture(2, "pekkoio-clean-")) {
            List<Object> letters = new CopyOnWriteArrayList<>();
            ActorRef collector = f.system.actorOf(Props.create(Collector.class, () -> new Collector(letters)));
            f.system.getEventStream().subscribe(collector, AllDeadLetters.class);
            PekkoIoTransport t = f.transport;
            EchoServer echo = new EchoServer();
            StreamListener l = t.bind(StreamTransportContract.any("tcp"), StreamOptions.defaults(), echo);

            // Echo, then a graceful close from our side (the echo closes on our end of stream).
            StreamProbe c = new StreamProbe(true);
            t.connect(l.boundAddress(), StreamOptions.defaults(), f.loops.get(1), c);
            ByteStream s = c.awaitConnected();
            c.startOn(s);
            onLoop(s, () -> s.write(new ByteBuffer[] {ByteBuffer.wrap("hello".getBytes())}, 1));
            assertThat(c.next()).isEqualTo("flushed");
            awaitTrue("the echo", () -> c.received.get() == 5);
            onLoop(s, s::closeGracefully);
            assertThat(c.next()).isEqualTo("closed");

            // An abort.
            StreamProbe a = new StreamProbe(false);
            t.connect(l.boundAddress(), StreamOptions.defaults(), f.loops.get(0), a);
            ByteStream sa = a.awaitConnected();
            a.startOn(sa);
            onLoop(sa, sa::abort);
            assertThat(a.next()).isEqualTo("closed");

            // A refused connect.
            int port;
            try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = free.getLocalPort();
            }
            StreamProbe r = new StreamProbe(false);
            t.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), StreamOptions.defaults(),
                f.loops.get(0), r);
            assertThat(r.connected).failsWithin(DEADLINE);

            // A cancelled connect: either the cancel came first (no callback ever) or the outcome did (then the
            // stream is ours to abort).
            StreamProbe x = new StreamProbe(false);
            PendingConnect pc = t.connect(l.boundAddress(), StreamOptions.defaults(), f.loops.get(1), x);
            pc.cancel();
            AtomicBoolean aborted = new AtomicBoolean();
            awaitTrue("the cancelled connect's actors gone", () -> {
                if (x.connected.isDone() && !x.connected.isCompletedExceptionally() && !aborted.getAndSet(true)) {
                    ByteStream won = x.connected.join();
                    won.loop().execute(won::abort);
                }
                return t.liveActors() == 1; // the listener
            });

            l.close().toCompletableFuture().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            awaitTrue("no actor of ours left", () -> t.liveActors() == 0);
            awaitTrue("no connection counted on a loop",
                () -> f.loops.get(0).connections() == 0 && f.loops.get(1).connections() == 0);
            assertThat(echo.problems).as("only the aborted and cancelled connections' resets")
                .allMatch(p -> p.contains("reset"));

            // A dead letter is published when it is sent; every sender of ours has stopped, so a marker sent now
            // reaches the collector after anything they sent.
            f.system.deadLetters().tell(MARKER, ActorRef.noSender());
            awaitTrue("the marker", () -> letters.stream()
                .anyMatch(o -> o instanceof DeadLetter d && d.message() == MARKER));
            List<Object> real = letters.stream()
                .filter(o -> !(o instanceof SuppressedDeadLetter))
                .filter(o -> !(o instanceof DeadLetter d && d.message() == MARKER))
                .toList();
            assertThat(real).as("dead letters, dropped or unhandled messages").isEmpty();
        }
    }
}
