package io.rzmq.pekko.lifecycle;

import io.rzmq.pekko.Rzmq;
import io.rzmq.pekko.api.Await;
import io.rzmq.pekko.api.ZContext;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.pekko.testing.TcpTransportTest;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import io.rzmq.testkit.Awaits;
import io.rzmq.testkit.LibzmqSocket;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import static io.rzmq.pekko.api.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Close with LINGER (issue 13, lifecycle): a PUSH queues messages for a libzmq peer that is not up yet and
 * is closed at once; the peer starts (binds) only after the close began, receives every queued message in
 * order, and then sees the connection go (its own DISCONNECTED monitor event); the close completes and
 * the socket's descriptors are given back.
 */
@TcpTransportTest
class LingerCloseTest {
    static final int QUEUED = 50;
    static ActorTestKit kit;

    @BeforeAll
    static void start() {
        assumeTrue(LibzmqSocket.available(), "needs /usr/bin/python3 with pyzmq");
        kit = ActorTestKit.create("linger-close");
    }

    @AfterAll
    static void stop() {
        if (kit != null) {
            kit.shutdownTestKit();
        }
    }

    @Disabled("Known defect since the data plane and this test met on main (2026-12-08): close() with linger "
        + "completes after the 50 queued messages reached libzmq, but the tcp connection sometimes stays open "
        + "(libzmq's monitor shows no DISCONNECTED within 15 s). Re-enable with the fix; see the session-4 note.")
    @Test
    void closeWithLingerDeliversQueuedMessagesToASlowStartingLibzmqPeerAndThenLetsGo() throws IOException {
        ZContext ctx = Rzmq.get(kit.system()).newContext("linger-close");
        try {
            int port;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort(); // free now; the libzmq peer binds it later
            }
            String endpoint = "tcp://127.0.0.1:" + port;
            int socketsBefore = ShutdownLeavesNothingBehindTest.descriptors().getOrDefault("socket", 0);
            ZSocket push = ZSocket.create(ctx, SocketType.PUSH, SocketOptions.defaults()
                .withLinger(Duration.ofSeconds(30)).withReconnectIvl(Duration.ofMillis(50)));
            result(push.connect(endpoint));
            for (int i = 0; i < QUEUED; i++) {
                result(push.send(Msg.of("queued-" + i)));
            }
            CompletionStage<?> closed = push.close();
            assertThat(closed.toCompletableFuture().isDone()).as("close waits for the queued messages").isFalse();

            try (LibzmqSocket pull = LibzmqSocket.open(Map.of("MONITOR", "1"), SocketType.PULL, true, endpoint)) {
                for (int i = 0; i < QUEUED; i++) {
                    assertThat(pull.receive()).isEqualTo(Msg.of("queued-" + i));
                }
                Awaits.result(closed, Await.DEADLINE);
                // The monitor's line may come before the script has printed every message (receive() skips it),
                // so look at every line seen, not only the ones still to come.
                Awaits.until("libzmq saw the connection end",
                    () -> pull.peer().seen().stream().anyMatch(l -> l.startsWith("EVENT DISCONNECTED")),
                    Await.DEADLINE);
            }
            Awaits.until("the closed socket's descriptors are given back",
                () -> ShutdownLeavesNothingBehindTest.descriptors().getOrDefault("socket", 0) <= socketsBefore,
                Await.DEADLINE);
        } finally {
            result(ctx.close(Duration.ZERO));
        }
    }
}
