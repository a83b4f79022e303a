package io.rzmq.pekko.api;

import io.rzmq.pekko.Rzmq;
import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

import static io.rzmq.pekko.api.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/** IMMEDIATE: messages are queued only to completed connections. */
class ImmediateTest {
    static final ActorTestKit testKit = ActorTestKit.create();

    ZContext ctx;

    @BeforeEach
    void newContext() {
        ctx = Rzmq.get(testKit.system()).newContext("immediate");
    }

    @AfterEach
    void closeContext() {
        result(ctx.close(Duration.ZERO));
    }

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    /** An endpoint where nothing listens (a port that was free a moment ago). */
    private String deadEndpoint() {
        ZSocket probe = ZSocket.create(ctx, SocketType.PULL);
        String endpoint = result(probe.bind("tcp://127.0.0.1:*"));
        result(probe.close());
        return endpoint;
    }

    @Test
    void pushSendsEverythingToTheLivePeerAndNothingToADeadEndpoint() {
        String dead = deadEndpoint();
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL);
        String live = result(pull.bind("tcp://127.0.0.1:*"));
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH, SocketOptions.defaults()
            .withImmediate(true).withReconnectIvl(Duration.ofMillis(20)));
        assertThat(push.options().immediate()).isTrue();
        result(push.connect(dead));
        result(push.connect(live));

        // Without IMMEDIATE every other message would wait in the pipe to the dead endpoint.
        int count = 20;
        for (int i = 0; i < count; i++) {
            result(push.send(Msg.of("m" + i)));
        }
        for (int i = 0; i < count; i++) {
            assertThat(result(pull.receive())).isEqualTo(Msg.of("m" + i));
        }
    }

    @Test
    void withNoCompletedConnectionASendWaitsUntilAPeerIsThere() {
        String endpoint = deadEndpoint();
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH, SocketOptions.defaults()
            .withImmediate(true).withReconnectIvl(Duration.ofMillis(20)));
        result(push.connect(endpoint));
        // Nothing to queue it to: it waits in the socket (not in a pipe that a later failure could drop), and
        // its stage completes only when a peer takes it (libzmq's zmq_send blocks the same way).
        CompletionStage<Done> early = push.send(Msg.of("early"));
        assertThat(early.toCompletableFuture().isDone()).as("a send with no completed connection").isFalse();

        ZSocket pull = ZSocket.create(ctx, SocketType.PULL);
        result(pull.bind(endpoint));
        result(early);
        assertThat(result(pull.receive())).isEqualTo(Msg.of("early"));
    }

    @Test
    void aLostConnectionTakesItsPipeAwayAndTheNextOneBringsAFreshOne() {
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL);
        String endpoint = result(pull.bind("tcp://127.0.0.1:*"));
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH, SocketOptions.defaults()
            .withImmediate(true).withReconnectIvl(Duration.ofMillis(20)));
        result(push.connect(endpoint));
        result(push.send(Msg.of("one")));
        assertThat(result(pull.receive())).isEqualTo(Msg.of("one"));

        result(pull.close());
        Await.until("the pipe of the lost connection is detached", () -> result(push.status()).pipes() == 0);

        ZSocket pull2 = ZSocket.create(ctx, SocketType.PULL);
        result(pull2.bind(endpoint));
        result(push.send(Msg.of("two")));
        assertThat(result(pull2.receive())).isEqualTo(Msg.of("two"));
    }
}
