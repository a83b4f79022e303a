package io.rzmq.pekko.stream;

import io.rzmq.pekko.Rzmq;
import io.rzmq.pekko.api.ZContext;
import io.rzmq.testkit.Msgs;
import io.rzmq.testkit.PyPeer;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

import static io.rzmq.pekko.stream.Waits.result;
import static org.assertj.core.api.Assertions.assertThat;

/** The stream stages against libzmq 4.3 peers (pyzmq), over tcp. */
class ZmqStreamsLibzmqTest {
    static final ActorTestKit testKit = ActorTestKit.create();
    static final ActorSystem<Void> system = testKit.system();

    ZContext ctx;

    @BeforeEach
    void setUp() {
        Assumptions.assumeTrue(PyPeer.available(), "python3 with pyzmq is not installed");
        ctx = Rzmq.get(system).newContext("streams-libzmq");
    }

    @AfterEach
    void closeContext() {
        if (ctx != null) {
            result(ctx.close(Duration.ZERO));
        }
    }

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    @Test
    void sourceReceivesEverythingALibzmqPushSends() {
        int n = 3000;
        try (PyPeer peer = PyPeer.start("push", "bind", "tcp://127.0.0.1:*", Integer.toString(n))) {
            String ep = peer.awaitReady();
            CompletionStage<List<Msg>> got = ZmqStreams
                .source(ctx, ZmqSocketSpec.of(SocketType.PULL).withConnect(ep))
                .take(n)
                .runWith(Sink.seq(), system);
            List<Msg> msgs = result(got);
            for (int i = 0; i < n; i++) {
                assertThat(msgs.get(i)).as("message %d", i).isEqualTo(Msgs.generated(i));
            }
        }
    }

    @Test
    void sinkDeliversEverythingToALibzmqPull() {
        int n = 300;
        try (PyPeer peer = PyPeer.start("pull", "bind", "tcp://127.0.0.1:*", Integer.toString(n))) {
            String ep = peer.awaitReady();
            CompletionStage<Done> sent = Source.range(0, n - 1).map(Msgs::generated)
                .runWith(ZmqStreams.sink(ctx, ZmqSocketSpec.of(SocketType.PUSH).withConnect(ep)), system);
            result(sent);
            for (int i = 0; i < n; i++) {
                assertThat(peer.awaitLine("MSG ")).as("message %d", i).isEqualTo(Msgs.line(Msgs.generated(i)));
            }
            assertThat(peer.awaitLine("DONE")).isEqualTo("DONE " + n);
        }
    }
}
