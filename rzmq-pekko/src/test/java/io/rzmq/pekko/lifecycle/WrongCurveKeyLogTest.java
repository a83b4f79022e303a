package io.rzmq.pekko.lifecycle;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.typesafe.config.ConfigFactory;
import io.rzmq.pekko.Rzmq;
import io.rzmq.pekko.api.Await;
import io.rzmq.pekko.api.ZContext;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.pekko.testing.InteropSocket;
import io.rzmq.pekko.testing.MonitorLog;
import io.rzmq.testkit.PyPeer;
import io.rzmq.pekko.testing.SecureRole;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import io.rzmq.protocol.security.CurveKeyPair;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.rzmq.pekko.api.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A client with the wrong CURVE server key retries for ever (every RECONNECT_IVL); the server logs each
 * failed handshake at DEBUG and only the first at WARN within the period, and when the period's count is
 * written (here: at CoordinatedShutdown) the summary says how many more there were. An rzmq client and a
 * libzmq one; the rzmq client runs in an actor system of its own and connects through "localhost", so
 * its own log lines (endpoint tcp://localhost:...) are not counted as the server's.
 */
class WrongCurveKeyLogTest {
    static final CurveKeyPair SERVER_KEYS = CurveKeyPair.generate();
    static final CurveKeyPair CLIENT_KEYS = CurveKeyPair.generate();
    static final SecureRole SERVER = SecureRole.curveServer(SERVER_KEYS);
    static final SecureRole MISTAKEN_CLIENT = SecureRole.curveClient(CLIENT_KEYS,
        CurveKeyPair.generate().publicKeyZ85());
    /** Failed handshakes to wait for: with RECONNECT_IVL 100 ms, a second or two of retrying. */
    static final int FAILURES = 8;

    private final Logger rzmqLogger = (Logger) LoggerFactory.getLogger("io.rzmq");
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private Level previousLevel;
    private ActorTestKit server;

    @BeforeEach
    void capture() {
        // One period for the whole test: every failure below falls into it.
        server = ActorTestKit.create("curve-server",
            ConfigFactory.parseString("rzmq.log.peer-error-period = 10m").withFallback(ConfigFactory.load()));
        previousLevel = rzmqLogger.getLevel();
        rzmqLogger.setLevel(Level.DEBUG);
        captured.start();
        rzmqLogger.addAppender(captured);
    }

    @AfterEach
    void release() {
        rzmqLogger.detachAppender(captured);
        rzmqLogger.setLevel(previousLevel);
        server.shutdownTestKit();
    }

    /** The formatted lines about {@code endpoint} (they start with it) at exactly {@code level}. */
    private List<String> lines(String endpoint, Level level) {
        List<ILoggingEvent> events;
        synchronized (captured) {
            events = new ArrayList<>(captured.list);
        }
        return events.stream()
            .filter(e -> e.getLevel().equals(level) && e.getFormattedMessage().startsWith(endpoint + ":"))
            .map(ILoggingEvent::getFormattedMessage).toList();
    }

    private List<String> warnings(String endpoint) {
        List<String> all = new ArrayList<>(lines(endpoint, Level.WARN));
        all.addAll(lines(endpoint, Level.ERROR));
        all.addAll(lines(endpoint, Level.INFO));
        return all;
    }

    private interface Client extends AutoCloseable {
        @Override
        void close();
    }

    private void retryingClientLogsOneWarning(String endpointOfServer, java.util.function.Function<String, Client> start) {
        ZContext ctx = Rzmq.get(server.system()).newContext("curve-server");
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL, SERVER.applyTo(ctx.defaultOptions()));
        MonitorLog events = MonitorLog.of(server, pull);
        String endpoint = result(pull.bind(endpointOfServer));
        try (Client client = start.apply(endpoint)) {
            events.awaitNth(FAILURES, "handshake failures", e -> e.kind().isHandshakeFailure());
        }
        // The client is gone; every failure the server saw has its DEBUG line, and one WARN was written.
        long deadline = System.nanoTime() + Await.DEADLINE.toNanos();
        int failures;
        do {
            failures = events.matching(e -> e.kind().isHandshakeFailure()).size();
        } while (lines(endpoint, Level.DEBUG).size() != failures && System.nanoTime() < deadline
            && sleepABit());
        List<String> warned = warnings(endpoint);
        assertThat(warned).as("INFO, WARN and ERROR lines about " + endpoint + " within the period").hasSize(1);
        assertThat(warned.get(0)).contains("handshake");
        assertThat(lines(endpoint, Level.DEBUG)).as("one DEBUG line per failed handshake").hasSize(failures);
        assertThat(failures).isGreaterThanOrEqualTo(FAILURES);

        // The period's summary is written at shutdown at the latest, with the count of the others.
        result(CoordinatedShutdown.get(server.system()).runAll(CoordinatedShutdown.unknownReason()));
        List<String> after = warnings(endpoint);
        assertThat(after).as("the first WARN and the summary").hasSize(2);
        Matcher m = Pattern.compile("\\(and (\\d+) more in the last \\d+ s\\)$").matcher(after.get(1));
        assertThat(m.find()).as("summary: " + after.get(1)).isTrue();
        assertThat(Integer.parseInt(m.group(1))).as(after.get(1)).isEqualTo(failures - 1);
    }

    /** The condition loop's pause between looks (a deadline bounds the loop). */
    private static boolean sleepABit() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
    }

    @Test
    void anRzmqClientWithTheWrongServerKey() {
        ActorTestKit clientKit = ActorTestKit.create("curve-client");
        try {
            retryingClientLogsOneWarning("tcp://127.0.0.1:*", endpoint -> {
                ZContext ctx = Rzmq.get(clientKit.system()).newContext("curve-client");
                ZSocket push = ZSocket.create(ctx, SocketType.PUSH,
                    MISTAKEN_CLIENT.applyTo(ctx.defaultOptions()).withLinger(Duration.ZERO));
                result(push.connect(endpoint.replace("127.0.0.1", "localhost")));
                push.trySend(Msg.of("must-not-arrive"));
                return () -> result(ctx.close(Duration.ZERO));
            });
        } finally {
            clientKit.shutdownTestKit();
        }
    }

    @Test
    void aLibzmqClientWithTheWrongServerKey() {
        assumeTrue(PyPeer.available(), "pyzmq is not installed");
        retryingClientLogsOneWarning("tcp://127.0.0.1:*", endpoint -> {
            InteropSocket peer = InteropSocket.libzmq(MISTAKEN_CLIENT.pyEnv(), SocketType.PUSH, false, endpoint);
            peer.send(Msg.of("must-not-arrive"));
            return peer::close;
        });
    }
}
