package io.rzmq.pekko.stream;

import io.rzmq.pekko.Rzmq;
import io.rzmq.pekko.model.RzmqException;
import io.rzmq.pekko.api.ZContext;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

import static io.rzmq.pekko.stream.Waits.failure;
import static io.rzmq.pekko.stream.Waits.result;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A socket closed under a running stage (issue 12, defect 3): the stream ends as documented, never hangs.
 * A source completes; a sink and a request-reply flow fail with ETERM. The same for a stage started on a
 * socket that is already closed.
 */
class CloseUnderStageTest {
    static final ActorTestKit testKit = ActorTestKit.create();
    static final ActorSystem<Void> system = testKit.system();

    ZContext ctx;

    @BeforeEach
    void newContext() {
        ctx = Rzmq.get(system).newContext("close-under-stage");
    }

    @AfterEach
    void closeContext() {
        result(ctx.close(Duration.ZERO));
    }

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    private static RzmqException.Code code(Throwable t) {
        assertThat(t).isInstanceOf(RzmqException.class);
        return ((RzmqException) t).code();
    }

    @Test
    void aSourceWaitingForMessagesCompletesWhenItsSocketCloses() {
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL);
        result(pull.bind("inproc://source-closed"));
        CompletionStage<List<Msg>> seq = ZmqStreams.source(pull).runWith(Sink.seq(), system);
        result(pull.close());
        assertThat(result(seq)).isEmpty();
        // Started on the closed socket: completes at once.
        assertThat(result(ZmqStreams.source(pull).runWith(Sink.seq(), system))).isEmpty();
    }

    @Test
    void aSourceCompletesWhenItsContextCloses() {
        ZContext other = Rzmq.get(system).newContext("close-under-source");
        ZSocket pull = ZSocket.create(other, SocketType.PULL);
        CompletionStage<List<Msg>> seq = ZmqStreams.source(pull).runWith(Sink.seq(), system);
        result(other.close(Duration.ZERO));
        assertThat(result(seq)).isEmpty();
    }

    @Test
    void aSinkWaitingForRoomFailsWithEtermWhenItsSocketCloses() {
        // No peer and SNDHWM 1: the sink soon waits in a send that only close can end.
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH,
            ctx.defaultOptions().withSndHwm(1).withLinger(Duration.ZERO));
        CompletionStage<org.apache.pekko.Done> done = Source.repeat(Msg.of("x"))
            .runWith(ZmqStreams.sink(push, ZmqStreamSettings.defaults().withCloseSocketOnCompletion(false)), system);
        result(push.close());
        assertThat(code(failure(done))).isEqualTo(RzmqException.Code.ETERM);
        CompletionStage<org.apache.pekko.Done> late = Source.single(Msg.of("y")).runWith(ZmqStreams.sink(push), system);
        assertThat(code(failure(late))).isEqualTo(RzmqException.Code.ETERM);
    }

    @Test
    void aRequestWaitingForItsReplyFailsWithEtermWhenItsSocketCloses() {
        ZSocket req = ZSocket.create(ctx, SocketType.REQ, ctx.defaultOptions().withLinger(Duration.ZERO));
        ZSocket rep = ZSocket.create(ctx, SocketType.REP);
        result(rep.bind("inproc://reply-never"));
        result(req.connect("inproc://reply-never"));
        CompletionStage<List<Msg>> replies = Source.single(Msg.of("q"))
            .via(ZmqStreams.requestReply(req, null))
            .runWith(Sink.seq(), system);
        // The request reached the REP socket: the flow now waits for a reply nobody sends.
        assertThat(result(rep.receive()).firstString()).isEqualTo("q");
        result(req.close());
        assertThat(code(failure(replies))).isEqualTo(RzmqException.Code.ETERM);
    }
}
