package io.rzmq.pekko.internal.transport.nio;

import io.rzmq.pekko.testing.TcpTransportTest;
import com.typesafe.config.ConfigFactory;
import io.rzmq.pekko.Rzmq;
import io.rzmq.pekko.api.ZContext;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static io.rzmq.pekko.api.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * tcp:// works with each way of configuring where rzmq runs: its own I/O loop as the dispatcher (the
 * default), its own channels on a loop of their own beside a pool dispatcher, and Pekko IO.
 */
@TcpTransportTest
class TcpIoConfigTest {

    @ParameterizedTest(name = "dispatcher={0} tcp-io={1}")
    @CsvSource({
        "rzmq.io-dispatcher, rzmq, rzmq-tcp",
        "pekko.actor.default-dispatcher, rzmq, rzmq-tcp",
        "rzmq.io-dispatcher, pekko, IO-TCP",
        "pekko.actor.default-dispatcher, pekko, IO-TCP",
    })
    void reqRepOverTcp(String dispatcher, String tcpIo, String managerName) {
        ActorTestKit kit = ActorTestKit.create("tcp-io-config", ConfigFactory.parseString(
            "rzmq.dispatcher = \"" + dispatcher + "\"\nrzmq.tcp-io = " + tcpIo).withFallback(ConfigFactory.load()));
        try {
            ZContext ctx = Rzmq.get(kit.system()).defaultContext();
            assertThat(NioTcp.get(Adapter.toClassic(kit.system())).manager().path().name()).isEqualTo(managerName);
            ZSocket rep = ZSocket.create(ctx, SocketType.REP);
            ZSocket req = ZSocket.create(ctx, SocketType.REQ);
            String endpoint = result(rep.bind("tcp://127.0.0.1:*"));
            result(req.connect(endpoint));
            for (int i = 0; i < 50; i++) {
                result(req.send(Msg.of("ping-" + i)));
                Msg request = result(rep.receive());
                assertThat(request.first().asString()).isEqualTo("ping-" + i);
                result(rep.send(Msg.of("pong-" + i)));
                assertThat(result(req.receive()).first().asString()).isEqualTo("pong-" + i);
            }
            result(ctx.close(Duration.ZERO));
        } finally {
            kit.shutdownTestKit();
        }
    }

    /**
     * The build runs the tcp interop suites a second time with -Drzmq.tcp-io=pekko (rzmq-pekko's pom); this
     * proves that the property reaches the systems the tests create, so that run really is on Pekko IO.
     */
    @Test
    void theTcpIoSystemPropertySelectsTheManager() {
        ActorTestKit kit = ActorTestKit.create("tcp-io-property");
        try {
            String expected = "pekko".equals(System.getProperty("rzmq.tcp-io")) ? "IO-TCP" : "rzmq-tcp";
            assertThat(NioTcp.get(Adapter.toClassic(kit.system())).manager().path().name()).isEqualTo(expected);
        } finally {
            kit.shutdownTestKit();
        }
    }

    @Test
    void aHostNameIsResolvedOffTheLoopAndConnected() {
        ActorTestKit kit = ActorTestKit.create("tcp-io-hostname");
        try {
            ZContext ctx = Rzmq.get(kit.system()).defaultContext();
            ZSocket pull = ZSocket.create(ctx, SocketType.PULL);
            ZSocket push = ZSocket.create(ctx, SocketType.PUSH);
            String endpoint = result(pull.bind("tcp://127.0.0.1:*"));
            String port = endpoint.substring(endpoint.lastIndexOf(':') + 1);
            result(push.connect("tcp://localhost:" + port));
            result(push.send(Msg.of("by name")));
            assertThat(result(pull.receive()).first().asString()).isEqualTo("by name");
            result(ctx.close(Duration.ZERO));
        } finally {
            kit.shutdownTestKit();
        }
    }
}
