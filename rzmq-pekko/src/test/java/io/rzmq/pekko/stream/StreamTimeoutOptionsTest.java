package io.rzmq.pekko.stream;

import io.rzmq.pekko.Rzmq;
import io.rzmq.pekko.api.ZContext;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

import static io.rzmq.pekko.stream.Waits.result;
import static org.assertj.core.api.Assertions.assertThat;

/** Streams back-pressure: a socket's SNDTIMEO/RCVTIMEO does not make a stage fail with EAGAIN. */
class StreamTimeoutOptionsTest {
    static final ActorTestKit testKit = ActorTestKit.create();
    static final ActorSystem<Void> system = testKit.system();

    ZContext ctx;

    @BeforeEach
    void newContext() {
        ctx = Rzmq.get(system).newContext("stream-timeouts");
    }

    @AfterEach
    void closeContext() {
        result(ctx.close(Duration.ZERO));
    }

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    @Test
    void aSinkWaitsForRoomEvenWithSndtimeoZero() {
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH,
            ctx.defaultOptions().withSndHwm(2).withSndTimeo(Duration.ZERO));
        CompletionStage<Done> sent = Source.range(0, 7).map(i -> Msg.of("m" + i))
            .runWith(ZmqStreams.sink(push), system);
        result(push.status());
        assertThat(sent.toCompletableFuture().isDone()).isFalse(); // no peer yet: waiting, not failed

        ZSocket pull = ZSocket.create(ctx, SocketType.PULL);
        result(push.connect(result(pull.bind("inproc://stream-sndtimeo"))));
        for (int i = 0; i < 7; i++) {
            assertThat(result(pull.receive()).firstString()).isEqualTo("m" + i);
        }
        result(sent);
    }
}
