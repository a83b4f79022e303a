package io.rzmq.pekko.security;

import io.rzmq.pekko.api.Await;
import io.rzmq.pekko.model.MonitorEvent;
import io.rzmq.pekko.model.MonitorEventKind;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.pekko.testing.InteropSocket;
import io.rzmq.pekko.testing.MonitorLog;
import io.rzmq.pekko.testing.PerTestContext;
import io.rzmq.testkit.PyPeer;
import io.rzmq.pekko.testing.SecureRole;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import io.rzmq.protocol.security.CurveKeyPair;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static io.rzmq.pekko.api.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A CURVE client that trusts the wrong server key fails the handshake, both sides say so on their
 * monitors, and the client tries again on its reconnect schedule (a second failure) for ever; a good
 * client of the same server is not disturbed. Our client against a libzmq server, and a libzmq client
 * against ours.
 */
class CurveWrongServerKeyTest extends PerTestContext {
    static final CurveKeyPair SERVER_KEYS = CurveKeyPair.generate();
    static final CurveKeyPair CLIENT_KEYS = CurveKeyPair.generate();
    static final SecureRole SERVER = SecureRole.curveServer(SERVER_KEYS);
    static final SecureRole GOOD_CLIENT = SecureRole.curveClient(CLIENT_KEYS, SERVER_KEYS.publicKeyZ85());
    static final SecureRole MISTAKEN_CLIENT = SecureRole.curveClient(CLIENT_KEYS,
        CurveKeyPair.generate().publicKeyZ85());


    private static Map<String, String> monitored(SecureRole role) {
        Map<String, String> env = new HashMap<>(role.pyEnv());
        env.put("MONITOR", "1");
        return env;
    }

    @Test
    void ourClientFailsAgainstALibzmqServerAndRetriesWhileAGoodClientGetsThrough() {
        assumeTrue(PyPeer.available(), "pyzmq is not installed");
        try (InteropSocket.Libzmq pull = (InteropSocket.Libzmq) InteropSocket.libzmq(monitored(SERVER), SocketType.PULL,
            true, "tcp://127.0.0.1:*")) {
            ZSocket mistaken = ZSocket.create(ctx, SocketType.PUSH, MISTAKEN_CLIENT.applyTo(ctx.defaultOptions()));
            MonitorLog events = MonitorLog.of(testKit, mistaken);
            result(mistaken.connect(pull.endpoint()));
            assertThat(mistaken.trySend(Msg.of("must-not-arrive"))).isTrue();

            // libzmq cannot open our HELLO and closes without a word; we report it, wait, and try again.
            MonitorEvent first = events.awaitNth(1, "handshake failure", e -> e.kind().isHandshakeFailure());
            events.awaitNth(1, "CONNECT_RETRIED", e -> e.kind() == MonitorEventKind.CONNECT_RETRIED);
            MonitorEvent second = events.awaitNth(2, "handshake failure", e -> e.kind().isHandshakeFailure());
            assertThat(second.timestamp()).isAfter(first.timestamp());
            assertThat(events.of(MonitorEventKind.HANDSHAKE_SUCCEEDED)).isEmpty();
            for (int n = 0; n < 2; n++) {
                pull.peer().awaitLine(l -> l.startsWith("EVENT HANDSHAKE_FAILED_"), Await.DEADLINE);
            }

            try (InteropSocket good = InteropSocket.rzmq(ctx, SocketType.PUSH,
                GOOD_CLIENT.applyTo(ctx.defaultOptions()), false, pull.endpoint())) {
                good.send(Msg.of("good"));
                assertThat(pull.receive()).isEqualTo(Msg.of("good"));
            }
            assertThat(pull.peer().seen()).noneMatch(l -> l.startsWith("MSG ") && !l.equals("MSG 676f6f64"));
        }
    }

    @Test
    void aLibzmqClientFailsAgainstOurServerAndRetriesWhileAGoodClientGetsThrough() {
        assumeTrue(PyPeer.available(), "pyzmq is not installed");
        InteropSocket.Rzmq pull = InteropSocket.rzmq(ctx, SocketType.PULL, SERVER.applyTo(ctx.defaultOptions()), true,
            "tcp://127.0.0.1:*");
        MonitorLog events = MonitorLog.of(testKit, pull.socket());
        try (pull; InteropSocket.Libzmq mistaken = (InteropSocket.Libzmq) InteropSocket.libzmq(
            monitored(MISTAKEN_CLIENT), SocketType.PUSH, false, pull.endpoint())) {
            mistaken.send(Msg.of("must-not-arrive"));
            MonitorEvent failed = events.awaitNth(1, "handshake failure", e -> e.kind().isHandshakeFailure());
            assertThat(failed.detail()).contains("HELLO");
            events.awaitNth(2, "handshake failure", e -> e.kind().isHandshakeFailure());
            mistaken.peer().awaitLine(l -> l.startsWith("EVENT CONNECT_RETRIED"), Await.DEADLINE);

            try (InteropSocket good = InteropSocket.libzmq(GOOD_CLIENT.pyEnv(), SocketType.PUSH, false,
                pull.endpoint())) {
                good.send(Msg.of("good"));
                assertThat(pull.receive()).isEqualTo(Msg.of("good"));
                assertThat(pull.socket().tryReceive()).isNull();
            }
            assertThat(events.of(MonitorEventKind.HANDSHAKE_SUCCEEDED)).hasSize(1);
        }
    }
}
