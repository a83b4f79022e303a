package io.rzmq.pekko.stream;

import io.rzmq.pekko.Rzmq;
import io.rzmq.pekko.RzmqException;
import io.rzmq.pekko.api.ZContext;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;

import static io.rzmq.pekko.stream.Waits.failure;
import static io.rzmq.pekko.stream.Waits.result;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ZmqStreams#requestReply} over REQ/REP. Skipped (not passed) while the runtime lacks REQ/REP
 * sockets: they come with the socket-patterns work.
 */
class ZmqRequestReplyTest {
    static final ActorTestKit testKit = ActorTestKit.create();
    static final ActorSystem<Void> system = testKit.system();

    ZContext ctx;

    @BeforeEach
    void newContext() {
        ctx = Rzmq.get(system).newContext("reqrep");
    }

    @AfterEach
    void closeContext() {
        result(ctx.close(Duration.ZERO));
    }

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    private ZSocket socketOrSkip(SocketType type) {
        try {
            return ZSocket.create(ctx, type);
        } catch (RzmqException e) {
            Assumptions.assumeTrue(e.code() != RzmqException.Code.ENOTSUP, type + " sockets are not implemented yet");
            throw e;
        }
    }

    /** A REP server answering each request with its first frame upper-cased, until the socket closes. */
    private static void serveUpperCase(ZSocket rep) {
        rep.receive()
            .thenCompose(m -> rep.send(Msg.of(m.firstString().toUpperCase(Locale.ROOT))))
            .whenComplete((d, e) -> {
                if (e == null) {
                    serveUpperCase(rep);
                }
            });
    }

    @Test
    void repliesComeOutInRequestOrderThenTheSocketCloses() {
        ZSocket rep = socketOrSkip(SocketType.REP);
        String ep = result(rep.bind("tcp://127.0.0.1:*"));
        serveUpperCase(rep);
        ZSocket req = socketOrSkip(SocketType.REQ);
        result(req.connect(ep));

        Pair<CompletionStage<Done>, CompletionStage<List<Msg>>> run = Source.range(0, 49)
            .map(i -> Msg.of("q" + i))
            .viaMat(ZmqStreams.requestReply(req, Duration.ofSeconds(10)), Keep.right())
            .toMat(Sink.seq(), Keep.both())
            .run(system);
        List<Msg> replies = result(run.second());
        assertThat(replies).extracting(Msg::firstString)
            .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 50).mapToObj(i -> "Q" + i).toList());
        result(run.first());
        assertThat(req.isClosed()).isTrue();
    }

    @Test
    void aMissingReplyFailsTheStreamWithEagainAfterTheReplyTimeout() {
        ZSocket rep = socketOrSkip(SocketType.REP);
        String ep = result(rep.bind("inproc://silent"));
        // Nobody answers on this REP.
        ZSocket req = socketOrSkip(SocketType.REQ);
        result(req.connect(ep));
        CompletionStage<List<Msg>> replies = Source.single(Msg.of("anyone?"))
            .via(ZmqStreams.requestReply(req, Duration.ofMillis(200)))
            .runWith(Sink.seq(), system);
        Throwable e = failure(replies);
        assertThat(e).isInstanceOf(RzmqException.class);
        assertThat(((RzmqException) e).code()).isEqualTo(RzmqException.Code.EAGAIN);
    }
}
