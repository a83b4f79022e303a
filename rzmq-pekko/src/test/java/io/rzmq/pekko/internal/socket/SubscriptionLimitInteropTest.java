package io.rzmq.pekko.internal.socket;

import io.rzmq.pekko.model.MonitorEventKind;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.pekko.model.MonitorEvent;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.testkit.Msgs;
import io.rzmq.pekko.testing.MonitorLog;
import io.rzmq.testkit.PyPeer;
import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import org.zeromq.ZMQ;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A peer's subscriptions are bounded (issue 12): a libzmq or JeroMQ SUB that subscribes past our PUB/XPUB's
 * per-peer limit loses its connection, which is reported (DISCONNECTED with the reason, a peer-error log
 * line), while a second libzmq SUB on the same publisher keeps receiving every message. The limit is exact
 * (a peer at the limit is served), a repeat of a held topic costs nothing, and a cancel frees room.
 */
class SubscriptionLimitInteropTest extends PatternTestSupport {
    private static final HexFormat HEX = HexFormat.of();
    private static final int LIMIT = 20;
    private final List<PyPeer> peers = new ArrayList<>();
    private org.zeromq.ZContext jeromq;
    private final Logger peerErrorLogger = (Logger) LoggerFactory.getLogger("io.rzmq.pekko.PeerErrorLog");
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private Level previousLevel;

    @BeforeEach
    void setUp() {
        previousLevel = peerErrorLogger.getLevel();
        peerErrorLogger.setLevel(Level.DEBUG); // every event, not only the period's first WARN
        captured.start();
        peerErrorLogger.addAppender(captured);
    }

    @AfterEach
    void tearDown() {
        peers.forEach(PyPeer::kill);
        peers.clear();
        if (jeromq != null) {
            jeromq.close();
            jeromq = null;
        }
        peerErrorLogger.detachAppender(captured);
        peerErrorLogger.setLevel(previousLevel);
    }

    private static String hex(String s) {
        return HEX.formatHex(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A libzmq SUB driven line by line; {@code endpoint} null: it binds (we connect to what it reports). */
    private PyPeer libzmqSub(ZSocket pub, String endpoint) {
        PyPeer py = endpoint != null ? PyPeer.start("drive", "connect", endpoint, "sub")
            : PyPeer.start("drive", "bind", "tcp://127.0.0.1:*", "sub");
        peers.add(py);
        String ready = py.awaitReady();
        if (endpoint == null) {
            result(pub.connect(ready));
        }
        return py;
    }

    /** Publishes {@code topic} until {@code sub} shows it: its subscriptions so far have all taken effect. */
    private static void sync(ZSocket pub, PyPeer sub, String topic) {
        String line = Msgs.line(Msg.ofFrames(Frame.of(topic)));
        long end = System.nanoTime() + DEADLINE.toNanos();
        do {
            assertThat(System.nanoTime()).as("%s reached the subscriber in time", topic).isLessThan(end);
            result(pub.send(Msg.ofFrames(Frame.of(topic))));
        } while (sub.nextLine(l -> l.equals(line), Duration.ofMillis(100)) == null);
    }

    private static boolean limitDisconnect(MonitorEvent e) {
        return e.kind() == MonitorEventKind.DISCONNECTED && e.detail() != null
            && e.detail().contains("subscription limit");
    }

    private List<String> limitLogLines() {
        synchronized (captured) {
            return captured.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.contains("subscription limit")).toList();
        }
    }

    /** {@code sub} gets every one of {@code n} messages on {@code topic}, in order (nothing lost). */
    private static void everyMessageArrives(ZSocket pub, PyPeer sub, String topic, int n) {
        for (int i = 0; i < n; i++) {
            result(pub.send(Msg.ofFrames(Frame.of(topic), Frame.of("n" + i))));
        }
        for (int i = 0; i < n; i++) {
            String want = Msgs.line(Msg.ofFrames(Frame.of(topic), Frame.of("n" + i)));
            assertThat(sub.awaitLine(l -> l.startsWith("MSG " + hex(topic) + ","), DEADLINE))
                .as("message %d of %d", i, n).isEqualTo(want);
        }
    }

    @ParameterizedTest(name = "{0}, we bind: {1}")
    @ValueSource(strings = {"PUB,true", "PUB,false", "XPUB,true", "XPUB,false"})
    void libzmqSubPastTheLimitIsDisconnectedAndReportedWhileAnotherKeepsReceiving(String c) {
        assumeTrue(PyPeer.available(), "python3 with pyzmq is not installed");
        SocketType type = SocketType.valueOf(c.split(",")[0]);
        boolean weBind = Boolean.parseBoolean(c.split(",")[1]);
        ZSocket pub = socket(type, SocketOptions.defaults().withLinger(Duration.ZERO).withMaxSubscriptions(LIMIT));
        MonitorLog events = MonitorLog.of(testKit, pub);
        String endpoint = weBind ? bind(pub, Via.TCP) : null;
        PyPeer modest = libzmqSub(pub, endpoint);
        PyPeer greedy = libzmqSub(pub, endpoint);
        modest.commandAndWait("SUBSCRIBE " + hex("b"));
        sync(pub, modest, "b-sync");

        // Exactly the limit: every topic applies and the connection stays (a repeat costs nothing).
        for (int i = 0; i < LIMIT; i++) {
            greedy.commandAndWait("SUBSCRIBE " + hex(String.format("a%02d", i)));
        }
        greedy.commandAndWait("SUBSCRIBE " + hex("a00"));
        sync(pub, greedy, String.format("a%02d", LIMIT - 1));
        sync(pub, greedy, "a00");
        assertThat(events.matching(SubscriptionLimitInteropTest::limitDisconnect)).isEmpty();

        // One more: that connection is closed and reported.
        greedy.commandAndWait("SUBSCRIBE " + hex(String.format("a%02d", LIMIT)));
        MonitorEvent dropped = events.awaitNth(1, "DISCONNECTED for the subscription limit",
            SubscriptionLimitInteropTest::limitDisconnect);
        assertThat(dropped.detail()).contains("max-subscriptions " + LIMIT);
        until("a peer-error line about the limit", () -> !limitLogLines().isEmpty());

        // The other subscriber lost nothing and keeps receiving.
        everyMessageArrives(pub, modest, "b", 200);
    }

    @ParameterizedTest(name = "we bind: {0}")
    @ValueSource(booleans = {true, false})
    void aCancelFreesRoom(boolean weBind) {
        assumeTrue(PyPeer.available(), "python3 with pyzmq is not installed");
        ZSocket pub = socket(SocketType.PUB, SocketOptions.defaults().withLinger(Duration.ZERO)
            .withMaxSubscriptions(LIMIT));
        MonitorLog events = MonitorLog.of(testKit, pub);
        PyPeer sub = libzmqSub(pub, weBind ? bind(pub, Via.TCP) : null);
        for (int i = 0; i < LIMIT; i++) {
            sub.commandAndWait("SUBSCRIBE " + hex(String.format("a%02d", i)));
        }
        sub.commandAndWait("UNSUBSCRIBE " + hex("a00"));
        sub.commandAndWait("SUBSCRIBE " + hex("c-new"));
        sync(pub, sub, "c-new");
        assertThat(events.matching(SubscriptionLimitInteropTest::limitDisconnect)).isEmpty();
        sub.commandAndWait("SUBSCRIBE " + hex("c-one-too-many"));
        events.awaitNth(1, "DISCONNECTED for the subscription limit", SubscriptionLimitInteropTest::limitDisconnect);
    }

    @ParameterizedTest(name = "we bind: {0}")
    @ValueSource(booleans = {true, false})
    void theByteLimitIsExact(boolean weBind) {
        assumeTrue(PyPeer.available(), "python3 with pyzmq is not installed");
        int maxBytes = 100;
        ZSocket pub = socket(SocketType.PUB, SocketOptions.defaults().withLinger(Duration.ZERO)
            .withMaxSubscriptionBytes(maxBytes));
        MonitorLog events = MonitorLog.of(testKit, pub);
        PyPeer sub = libzmqSub(pub, weBind ? bind(pub, Via.TCP) : null);
        String first = "x".repeat(maxBytes - 10);
        String second = "y".repeat(10);
        sub.commandAndWait("SUBSCRIBE " + hex(first));
        sub.commandAndWait("SUBSCRIBE " + hex(second));
        sync(pub, sub, second); // 100 bytes: at the limit, served
        assertThat(events.matching(SubscriptionLimitInteropTest::limitDisconnect)).isEmpty();
        sub.commandAndWait("SUBSCRIBE " + hex("z"));
        MonitorEvent dropped = events.awaitNth(1, "DISCONNECTED for the subscription limit",
            SubscriptionLimitInteropTest::limitDisconnect);
        assertThat(dropped.detail()).contains("max-subscription-bytes " + maxBytes);
    }

    /** A libzmq XSUB's subscription messages (byte 1 + topic) count against an XPUB's limit the same way. */
    @ParameterizedTest(name = "we bind: {0}")
    @ValueSource(booleans = {true, false})
    void libzmqXsubSubscriptionMessagesCountTheSame(boolean weBind) {
        assumeTrue(PyPeer.available(), "python3 with pyzmq is not installed");
        ZSocket xpub = socket(SocketType.XPUB, SocketOptions.defaults().withLinger(Duration.ZERO)
            .withMaxSubscriptions(LIMIT));
        MonitorLog events = MonitorLog.of(testKit, xpub);
        PyPeer xsub = weBind ? PyPeer.start("drive", "connect", bind(xpub, Via.TCP), "xsub")
            : PyPeer.start("drive", "bind", "tcp://127.0.0.1:*", "xsub");
        peers.add(xsub);
        String ready = xsub.awaitReady();
        if (!weBind) {
            result(xpub.connect(ready));
        }
        for (int i = 0; i < LIMIT; i++) {
            xsub.commandAndWait("SEND 01" + hex(String.format("a%02d", i)));
        }
        sync(xpub, xsub, String.format("a%02d", LIMIT - 1));
        assertThat(events.matching(SubscriptionLimitInteropTest::limitDisconnect)).isEmpty();
        xsub.commandAndWait("SEND 01" + hex(String.format("a%02d", LIMIT)));
        events.awaitNth(1, "DISCONNECTED for the subscription limit", SubscriptionLimitInteropTest::limitDisconnect);
    }

    /** XPUB_MANUAL keeps what each subscriber asked for apart from the filter: that is bounded per peer too. */
    @ParameterizedTest(name = "we bind: {0}")
    @ValueSource(booleans = {true, false})
    void xpubManualBoundsWhatAPeerAsksFor(boolean weBind) {
        assumeTrue(PyPeer.available(), "python3 with pyzmq is not installed");
        ZSocket xpub = socket(SocketType.XPUB, SocketOptions.defaults().withLinger(Duration.ZERO)
            .withXpubManual(true).withMaxSubscriptions(LIMIT));
        MonitorLog events = MonitorLog.of(testKit, xpub);
        PyPeer sub = libzmqSub(xpub, weBind ? bind(xpub, Via.TCP) : null);
        for (int i = 0; i <= LIMIT; i++) {
            sub.commandAndWait("SUBSCRIBE " + hex(String.format("a%02d", i)));
        }
        // The first LIMIT are shown to the application; the one past the limit closes the connection instead.
        for (int i = 0; i < LIMIT; i++) {
            assertThat(receive(xpub)).isEqualTo(Msg.ofFrames(Frame.wrap(
                HEX.parseHex("01" + hex(String.format("a%02d", i))))));
        }
        events.awaitNth(1, "DISCONNECTED for the subscription limit", SubscriptionLimitInteropTest::limitDisconnect);
    }

    /**
     * JeroMQ 0.6 sends its subscriptions as ZMTP 3.0 messages (byte 1 + topic); they count the same. With the
     * default limit (100,000): this is the test that fails without a limit (the disconnect never comes).
     */
    @ParameterizedTest(name = "we bind: {0}")
    @ValueSource(booleans = {true, false})
    void jeromqSubPastTheDefaultLimitIsDisconnectedWhileALibzmqSubKeepsReceiving(boolean weBind) {
        assumeTrue(PyPeer.available(), "python3 with pyzmq is not installed");
        int limit = 100_000;
        ZSocket pub = socket(SocketType.PUB);
        MonitorLog events = MonitorLog.of(testKit, pub);
        String endpoint = weBind ? bind(pub, Via.TCP) : null;
        PyPeer modest = libzmqSub(pub, endpoint);
        modest.commandAndWait("SUBSCRIBE " + hex("b"));
        sync(pub, modest, "b-sync");

        jeromq = new org.zeromq.ZContext();
        ZMQ.Socket jq = jeromq.createSocket(org.zeromq.SocketType.SUB);
        jq.setLinger(0);
        jq.setReceiveTimeOut(100); // each recv below waits at most this for a message
        jq.setSndHWM(0); // JeroMQ drops subscriptions its send pipe has no room for: let all 100,001 through
        if (weBind) {
            jq.connect(endpoint);
        } else {
            result(pub.connect("tcp://127.0.0.1:" + jq.bindToRandomPort("tcp://127.0.0.1")));
        }
        // Connected first (a bound JeroMQ socket attaches a connection only when its application calls it),
        // so that the 100,000 subscriptions below go out on a live connection.
        long handshake = System.nanoTime() + DEADLINE.toNanos();
        while (events.matching(e -> e.kind() == MonitorEventKind.HANDSHAKE_SUCCEEDED).size() < 2) {
            assertThat(System.nanoTime()).as("the JeroMQ SUB's handshake").isLessThan(handshake);
            jq.recv();
        }
        for (int i = 0; i < limit; i++) {
            jq.subscribe(("t" + i).getBytes(StandardCharsets.UTF_8));
        }
        // Every topic applied, the connection stays: the last one's messages arrive. 100,000 subscriptions
        // on a loaded machine: a longer deadline than the others.
        byte[] last = ("t" + (limit - 1)).getBytes(StandardCharsets.UTF_8);
        long end = System.nanoTime() + 4 * DEADLINE.toNanos();
        byte[] got = null;
        while (got == null) {
            assertThat(System.nanoTime()).as("the JeroMQ SUB's subscriptions took effect").isLessThan(end);
            result(pub.send(Msg.ofFrames(Frame.wrap(last))));
            got = jq.recv();
        }
        assertThat(got).isEqualTo(last);
        assertThat(events.matching(SubscriptionLimitInteropTest::limitDisconnect)).isEmpty();

        jq.subscribe("one-too-many".getBytes(StandardCharsets.UTF_8));
        long dropDeadline = System.nanoTime() + DEADLINE.toNanos();
        while (events.matching(SubscriptionLimitInteropTest::limitDisconnect).isEmpty()) {
            assertThat(System.nanoTime()).as("DISCONNECTED for the subscription limit").isLessThan(dropDeadline);
            jq.recv(); // JeroMQ sends what its application queued when the application calls it
        }
        until("a peer-error line about the limit", () -> !limitLogLines().isEmpty());
        everyMessageArrives(pub, modest, "b", 200);
    }
}
