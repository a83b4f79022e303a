package io.rzmq.pekko.security;

import io.rzmq.pekko.testing.TcpTransportTest;
import io.rzmq.pekko.Rzmq;
import io.rzmq.pekko.api.Await;
import io.rzmq.pekko.model.MonitorEvent;
import io.rzmq.pekko.model.MonitorEventKind;
import io.rzmq.pekko.api.ZContext;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.testkit.Msgs;
import io.rzmq.testkit.PyPeer;
import io.rzmq.pekko.testing.TestZapHandler;
import io.rzmq.pekko.testing.TestZapHandler.Verdict;
import io.rzmq.protocol.Metadata;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import io.rzmq.protocol.security.ZapRequest;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.rzmq.pekko.api.Await.result;
import static io.rzmq.pekko.security.ZapTestSupport.await;
import static io.rzmq.pekko.security.ZapTestSupport.monitored;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * NULL sockets ask ZAP only when ZAP_DOMAIN is set and a handler is bound (libzmq 4.3): an address policy
 * then admits or refuses peers, and the User-Id it gives shows on their messages.
 */
@TcpTransportTest
class ZapNullTest {
    static final ActorTestKit testKit = ActorTestKit.create();

    ZContext ctx;

    @BeforeEach
    void newContext() {
        ctx = Rzmq.get(testKit.system()).newContext("zap-null");
    }

    @AfterEach
    void closeContext() {
        result(ctx.close(Duration.ZERO));
    }

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    /** 127.0.0.2 is blocked; everyone else is "local-<address>". */
    static Verdict blockDotTwo(ZapRequest r) {
        return r.address().equals("127.0.0.2") ? Verdict.deny("400", "address blocked")
            : Verdict.allow("local-" + r.address());
    }

    @Test
    void addressPolicyRefusesOneLibzmqClientAndAdmitsAnother() {
        Assumptions.assumeTrue(PyPeer.available(), "pyzmq is not installed");
        TestZapHandler zap = TestZapHandler.bind(ctx, SocketType.ROUTER, ZapNullTest::blockDotTwo);
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL, ctx.defaultOptions().withZapDomain("test"));
        TestProbe<MonitorEvent> events = monitored(testKit, pull);
        String endpoint = result(pull.bind("tcp://127.0.0.1:*"));
        String port = endpoint.substring(endpoint.lastIndexOf(':') + 1);
        try (PyPeer blocked = PyPeer.start(Map.of("MONITOR", "1"), "push", "connect",
            "tcp://127.0.0.2:0;127.0.0.1:" + port, "3")) {
            MonitorEvent refused = await(events, MonitorEventKind.HANDSHAKE_FAILED_AUTH);
            assertThat(refused.value()).isEqualTo(400);
            // libzmq's NULL client reads "400" out of our ERROR command.
            blocked.awaitLine(l -> l.equals("EVENT HANDSHAKE_FAILED_AUTH 400"), Await.DEADLINE);
            try (PyPeer local = PyPeer.start("push", "connect", endpoint, "3")) {
                for (int i = 0; i < 3; i++) {
                    Msg got = result(pull.receive());
                    assertThat(got).isEqualTo(Msgs.generated(i));
                    assertThat(got.properties().getString(Metadata.USER_ID)).contains("local-127.0.0.1");
                    assertThat(got.properties().getString(Metadata.PEER_ADDRESS)).contains("127.0.0.1");
                }
                assertThat(pull.tryReceive()).isNull();
            }
        }
        ZapRequest first = zap.requests().get(0);
        assertThat(first.domain()).isEqualTo("test");
        assertThat(first.mechanism()).isEqualTo("NULL");
        assertThat(first.credentials()).isEmpty();
    }

    @Test
    void rzmqNullClientRefusedOverIpcSeesTheStatusCode() {
        TestZapHandler.bind(ctx, SocketType.REP, r -> Verdict.deny("500", "closed for maintenance"));
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL, ctx.defaultOptions().withZapDomain("test"));
        TestProbe<MonitorEvent> serverEvents = monitored(testKit, pull);
        String endpoint = result(pull.bind("ipc://*"));
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH);
        TestProbe<MonitorEvent> clientEvents = monitored(testKit, push);
        result(push.connect(endpoint));
        assertThat(push.trySend(Msg.of("must-not-arrive"))).isTrue();
        MonitorEvent refused = await(serverEvents, MonitorEventKind.HANDSHAKE_FAILED_AUTH);
        assertThat(refused.value()).isEqualTo(500);
        assertThat(refused.detail()).contains("closed for maintenance");
        assertThat(await(clientEvents, MonitorEventKind.HANDSHAKE_FAILED_AUTH).value()).isEqualTo(500);
        assertThat(pull.tryReceive()).isNull();
    }

    @Test
    void withoutZapDomainNullDoesNotAskTheHandler() {
        TestZapHandler zap = TestZapHandler.bind(ctx, SocketType.ROUTER, r -> Verdict.deny("400", "nobody"));
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL);
        String endpoint = result(pull.bind("tcp://127.0.0.1:*"));
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH);
        result(push.connect(endpoint));
        result(push.send(Msg.of("unchecked")));
        Msg got = result(pull.receive());
        assertThat(got).isEqualTo(Msg.of("unchecked"));
        assertThat(got.properties().contains(Metadata.USER_ID)).isFalse();
        assertThat(zap.requests()).isEmpty();
    }

    @Test
    void withZapDomainButNoHandlerNullAdmitsEveryone() {
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL, ctx.defaultOptions().withZapDomain("test"));
        String endpoint = result(pull.bind("tcp://127.0.0.1:*"));
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH);
        result(push.connect(endpoint));
        result(push.send(Msg.of("no handler, no check")));
        assertThat(result(pull.receive())).isEqualTo(Msg.of("no handler, no check"));
    }
}
