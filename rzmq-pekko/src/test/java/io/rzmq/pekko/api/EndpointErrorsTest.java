package io.rzmq.pekko.api;

import io.rzmq.pekko.Rzmq;
import io.rzmq.pekko.model.RzmqException;
import io.rzmq.protocol.SocketType;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.rzmq.pekko.api.Await.failure;
import static io.rzmq.pekko.api.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/** Endpoint mistakes fail the operation with libzmq's error codes and leave the socket usable. */
class EndpointErrorsTest {
    static final ActorTestKit testKit = ActorTestKit.create();

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    @Test
    void unknownTransportsAreProtocolNotSupportedAndMalformedEndpointsInvalid() {
        ZContext ctx = Rzmq.get(testKit.system()).newContext("endpoint-errors");
        try {
            ZSocket pull = ZSocket.create(ctx, SocketType.PULL);
            RzmqException udp = failure(pull.bind("udp://127.0.0.1:5555"));
            assertThat(udp.code()).isEqualTo(RzmqException.Code.EPROTONOSUPPORT);
            assertThat(udp.getMessage()).contains("udp");
            assertThat(failure(pull.connect("pgm://eth0;239.192.1.1:5555")).code())
                .isEqualTo(RzmqException.Code.EPROTONOSUPPORT);
            assertThat(failure(pull.bind("tcp://127.0.0.1")).code()).isEqualTo(RzmqException.Code.EINVAL);
            assertThat(failure(pull.connect("no-scheme")).code()).isEqualTo(RzmqException.Code.EINVAL);
            // the socket is still fine after the refusals
            assertThat(result(pull.bind("tcp://127.0.0.1:*"))).startsWith("tcp://127.0.0.1:");
        } finally {
            result(ctx.close(Duration.ZERO));
        }
    }
}
