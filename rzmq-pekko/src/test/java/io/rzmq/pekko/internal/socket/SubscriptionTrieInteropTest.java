package io.rzmq.pekko.internal.socket;

import io.rzmq.pekko.api.ZSocket;
import io.rzmq.testkit.Msgs;
import io.rzmq.testkit.PyPeer;
import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Subscription matching against libzmq 4.3 with many binary topics of different lengths (the case that
 * used to cost distinct lengths x message size per publish): a libzmq SUB behind our PUB receives exactly
 * the messages its topics select, and our SUB behind a libzmq publisher keeps exactly those. The
 * expected messages come from a naive startsWith model, not from the trie.
 */
class SubscriptionTrieInteropTest extends PatternTestSupport {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] SYNC = "~sync".getBytes();
    private static final byte[] END = "~sync-end".getBytes();
    private PyPeer py;

    @BeforeEach
    void needPyzmq() {
        assumeTrue(PyPeer.available(), "python3 with pyzmq is not installed");
    }

    @AfterEach
    void killPeer() {
        if (py != null) {
            py.kill();
        }
    }

    /**
     * 150 topics, one of each length 1..150, none a prefix of another: topic L is the first L-1 bytes of
     * one random base string and then a byte that differs from the base's, so every depth of the tree
     * branches. Binary bytes, zeros included.
     */
    private static List<byte[]> topics(byte[] base) {
        List<byte[]> out = new ArrayList<>();
        for (int len = 1; len <= 150; len++) {
            byte[] t = java.util.Arrays.copyOf(base, len);
            t[len - 1] = (byte) (base[len - 1] ^ 0x5a);
            out.add(t);
        }
        return out;
    }

    /** Messages that match a topic, stop one byte short of it, differ in its last byte, or carry it in frame 2. */
    private static List<Msg> messages(byte[] base, List<byte[]> topics, Random rnd) {
        List<Msg> out = new ArrayList<>();
        for (byte[] t : topics) {
            byte[] longer = java.util.Arrays.copyOf(t, t.length + 1 + rnd.nextInt(300));
            for (int i = t.length; i < longer.length; i++) {
                longer[i] = (byte) rnd.nextInt();
            }
            out.add(Msg.ofFrames(Frame.wrap(longer), Frame.of("payload")));
            out.add(Msg.ofFrames(Frame.wrap(java.util.Arrays.copyOf(t, t.length - 1))));
            byte[] near = t.clone();
            near[near.length - 1]++;
            out.add(Msg.ofFrames(Frame.wrap(near)));
            out.add(Msg.ofFrames(Frame.of("x"), Frame.wrap(t)));
            out.add(Msg.ofFrames(Frame.wrap(t)));
        }
        out.add(Msg.ofFrames(Frame.wrap(base)));
        out.add(Msg.ofFrames(Frame.EMPTY));
        java.util.Collections.shuffle(out, rnd);
        return out;
    }

    private static List<Msg> expected(List<Msg> sent, List<byte[]> topics) {
        List<Msg> out = new ArrayList<>();
        for (Msg m : sent) {
            for (byte[] t : topics) {
                if (m.first().startsWith(Frame.wrap(t))) {
                    out.add(m);
                    break;
                }
            }
        }
        return out;
    }

    private static byte[] base(Random rnd) {
        byte[] base = new byte[200];
        rnd.nextBytes(base);
        base[0] = 0; // a zero byte where a C string would end
        return base;
    }

    @ParameterizedTest(name = "we bind: {0}")
    @ValueSource(booleans = {true, false})
    void libzmqSubWithManyTopicsOfDifferentLengthsGetsExactlyItsMessagesFromOurPub(boolean weBind) {
        Random rnd = new Random(12);
        byte[] base = base(rnd);
        List<byte[]> topics = topics(base);
        ZSocket pub = socket(SocketType.PUB);
        if (weBind) {
            py = PyPeer.start("drive", "connect", bind(pub, Via.TCP), "sub");
            py.awaitReady();
        } else {
            py = PyPeer.start("drive", "bind", "tcp://127.0.0.1:*", "sub");
            result(pub.connect(py.awaitReady()));
        }
        for (byte[] t : topics) {
            py.commandAndWait("SUBSCRIBE " + HEX.formatHex(t));
        }
        py.commandAndWait("SUBSCRIBE " + HEX.formatHex(SYNC));
        // The subscriptions travel in order on one connection: once the last one (SYNC) filters, all do.
        String syncLine = Msgs.line(Msg.ofFrames(Frame.wrap(SYNC)));
        long end = System.nanoTime() + DEADLINE.toNanos();
        do {
            assertThat(System.nanoTime()).as("the SUB's subscriptions took effect in time").isLessThan(end);
            result(pub.send(Msg.ofFrames(Frame.wrap(SYNC))));
        } while (py.nextLine(l -> l.equals(syncLine), Duration.ofMillis(100)) == null);

        List<Msg> sent = messages(base, topics, rnd);
        for (Msg m : sent) {
            result(pub.send(m));
        }
        result(pub.send(Msg.ofFrames(Frame.wrap(END))));
        List<String> got = new ArrayList<>();
        String endLine = Msgs.line(Msg.ofFrames(Frame.wrap(END)));
        while (true) {
            String line = py.awaitLine(l -> l.startsWith("MSG "), DEADLINE);
            if (line.equals(endLine)) {
                break;
            }
            if (!line.equals(syncLine)) {
                got.add(line);
            }
        }
        List<String> want = expected(sent, topics).stream().map(Msgs::line).toList();
        assertThat(want).hasSize(topics.size() * 2); // the longer message and the topic itself, per topic
        assertThat(got).containsExactlyElementsOf(want);
    }

    @ParameterizedTest(name = "upstream: {0}")
    @ValueSource(strings = {"pub", "xpub-manual"})
    void ourSubWithManyTopicsKeepsExactlyItsMessagesFromALibzmqPublisher(String upstream) {
        Random rnd = new Random(34);
        byte[] base = base(rnd);
        List<byte[]> topics = topics(base);
        // A libzmq PUB filters itself; a manual XPUB subscribed to everything does not, so there only our
        // SUB's own filter stands between the messages and the application.
        boolean manual = upstream.equals("xpub-manual");
        py = PyPeer.start(manual ? Map.of("OPTS", "XPUB_MANUAL=1") : Map.of(),
            "drive", "bind", "tcp://127.0.0.1:*", manual ? "xpub" : "pub");
        ZSocket sub = socket(SocketType.SUB);
        result(sub.connect(py.awaitReady()));
        for (byte[] t : topics) {
            result(sub.subscribe(t));
        }
        result(sub.subscribe(SYNC));
        if (manual) {
            // The XPUB shows each subscription; once it has shown the last, let everything through to us.
            py.awaitLine(l -> l.equals("MSG 01" + HEX.formatHex(SYNC)), DEADLINE);
            py.commandAndWait("SUBSCRIBE");
        }
        Msg sync = Msg.ofFrames(Frame.wrap(SYNC));
        long end = System.nanoTime() + DEADLINE.toNanos();
        boolean synced = false;
        while (!synced) {
            assertThat(System.nanoTime()).as("our subscriptions took effect in time").isLessThan(end);
            py.commandAndWait("SEND " + HEX.formatHex(SYNC));
            long wait = System.nanoTime() + Duration.ofMillis(100).toNanos();
            while (!synced && System.nanoTime() < wait) {
                Msg m = sub.tryReceive();
                synced = m != null && m.equals(sync);
                Thread.onSpinWait();
            }
        }

        List<Msg> sent = messages(base, topics, rnd);
        for (Msg m : sent) {
            StringBuilder line = new StringBuilder("SEND ");
            for (int i = 0; i < m.frameCount(); i++) {
                line.append(i == 0 ? "" : ",").append(HEX.formatHex(m.frame(i).toByteArray()));
            }
            py.command(line.toString());
        }
        py.command("SEND " + HEX.formatHex(END));
        Msg endMsg = Msg.ofFrames(Frame.wrap(END));
        List<Msg> got = new ArrayList<>();
        while (true) {
            Msg m = receive(sub);
            if (m.equals(endMsg)) {
                break;
            }
            if (!m.equals(sync)) {
                got.add(m);
            }
        }
        assertThat(got).containsExactlyElementsOf(expected(sent, topics));
    }
}
