package io.rzmq.samples.testkit;

import io.rzmq.pekko.Rzmq;
import io.rzmq.pekko.api.ZContext;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import io.rzmq.testkit.Awaits;
import io.rzmq.testkit.LibzmqSocket;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The example of the user guide's "Testing against libzmq" section (docs/user-guide.md, section 11): rzmq
 * code tested against a real libzmq peer with rzmq-testkit. Keep the two in step.
 */
class AgainstLibzmqTest {
    static final Duration DEADLINE = Duration.ofSeconds(20);
    static ActorSystem<Void> system;
    static ZContext ctx;

    @BeforeAll
    static void start() {
        assumeTrue(LibzmqSocket.available(), "needs /usr/bin/python3 with pyzmq");
        system = ActorSystem.create(Behaviors.empty(), "against-libzmq");
        ctx = Rzmq.get(system).newContext("against-libzmq");
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            Awaits.result(ctx.close(Duration.ZERO), DEADLINE);
            system.terminate();
            Awaits.result(system.getWhenTerminated(), DEADLINE);
        }
    }

    @Test
    void ourPushReachesALibzmqPull() {
        try (LibzmqSocket pull = LibzmqSocket.bind(SocketType.PULL, "tcp://127.0.0.1:*")) {
            ZSocket push = ZSocket.create(ctx, SocketType.PUSH);
            Awaits.result(push.connect(pull.endpoint()), DEADLINE);
            Awaits.result(push.send(Msg.of("job", "42")), DEADLINE);

            assertThat(pull.receive()).isEqualTo(Msg.of("job", "42"));
            Awaits.result(push.close(), DEADLINE);
        }
    }

    @Test
    void ourRepAnswersALibzmqReq() {
        ZSocket rep = ZSocket.create(ctx, SocketType.REP);
        String endpoint = Awaits.result(rep.bind("tcp://127.0.0.1:*"), DEADLINE);
        try (LibzmqSocket req = LibzmqSocket.connect(SocketType.REQ, endpoint)) {
            req.send(Msg.of("ping"));
            Msg request = Awaits.result(rep.receive(DEADLINE), DEADLINE);
            Awaits.result(rep.send(Msg.of(request.firstString() + "-pong")), DEADLINE);

            assertThat(req.receive()).isEqualTo(Msg.of("ping-pong"));
        } finally {
            Awaits.result(rep.close(), DEADLINE);
        }
    }
}
