package io.rzmq.pekko.internal.socket;

import io.rzmq.pekko.testing.TcpTransportTest;
import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.testkit.PyPeer;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static io.rzmq.pekko.internal.socket.DistributionPatternsTest.sub;
import static io.rzmq.pekko.internal.socket.DistributionPatternsTest.unsub;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * XPUB_VERBOSER and XPUB_MANUAL with libzmq 4.3 (pyzmq) subscribers over tcp, both ways round: the peers
 * are XSUBs driven line by line (they send (un)subscriptions as messages and filter nothing, so what they
 * print is what our filter let through) or a SUB. Absence is proven by order: a marker sent after the
 * event that must stay silent is what arrives next.
 */
@TcpTransportTest
class XPubModesInteropTest extends PatternTestSupport {
    private final List<PyPeer> peers = new ArrayList<>();

    @BeforeEach
    void needPyzmq() {
        assumeTrue(PyPeer.available(), "python3 with pyzmq is not installed");
    }

    @AfterEach
    void killPeers() {
        peers.forEach(PyPeer::kill);
        peers.clear();
    }

    private static SocketOptions opts() {
        return SocketOptions.defaults().withLinger(Duration.ZERO);
    }

    private static String hex(String s) {
        return HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String hex(Msg oneFrame) {
        return HexFormat.of().formatHex(oneFrame.first().toByteArray());
    }

    /** A libzmq socket of {@code type} in "drive" mode, connecting to {@code ep} or binding it; ready. */
    private PyPeer driven(String type, String how, String ep) {
        return driven(type, how, ep, new String[1]);
    }

    private PyPeer driven(String type, String how, String ep, String[] endpoint) {
        PyPeer p = PyPeer.start("drive", how, ep, type);
        peers.add(p);
        endpoint[0] = p.awaitReady();
        return p;
    }

    /** Our XPUB with {@code options} and two libzmq XSUBs: they connect to it, or it connects to them. */
    private ZSocket xpubWithTwoXsubs(boolean weBind, SocketOptions options, PyPeer[] out) {
        ZSocket xpub = socket(SocketType.XPUB, options);
        if (weBind) {
            String ep = bind(xpub, Via.TCP);
            out[0] = driven("xsub", "connect", ep);
            out[1] = driven("xsub", "connect", ep);
        } else {
            String[] ep0 = new String[1];
            String[] ep1 = new String[1];
            out[0] = driven("xsub", "bind", "tcp://127.0.0.1:*", ep0);
            out[1] = driven("xsub", "bind", "tcp://127.0.0.1:*", ep1);
            result(xpub.connect(ep0[0]));
            result(xpub.connect(ep1[0]));
        }
        awaitReadyPeers(xpub, 2);
        return xpub;
    }

    private static String nextMsg(PyPeer p) {
        return p.awaitLine("MSG ").substring("MSG ".length());
    }

    @ParameterizedTest(name = "we bind: {0}")
    @ValueSource(booleans = {true, false})
    void verboserShowsLibzmqCancelsWhileAnotherSubscriberKeepsTheTopic(boolean weBind) {
        PyPeer[] p = new PyPeer[2];
        ZSocket xpub = xpubWithTwoXsubs(weBind, opts().withXpubVerboser(true), p);
        p[0].commandAndWait("SEND " + hex(sub("A")));
        assertThat(receive(xpub)).isEqualTo(sub("A"));
        p[1].commandAndWait("SEND " + hex(sub("A")));
        assertThat(receive(xpub)).isEqualTo(sub("A"));

        p[0].commandAndWait("SEND " + hex(unsub("A")));
        p[0].commandAndWait("SEND " + hex("marker"));
        assertThat(receive(xpub)).isEqualTo(unsub("A"));
        assertThat(receive(xpub)).isEqualTo(Msg.of("marker"));
    }

    @Test
    void verboseAloneHidesALibzmqCancelWhileAnotherSubscriberKeepsTheTopic() {
        PyPeer[] p = new PyPeer[2];
        ZSocket xpub = xpubWithTwoXsubs(true, opts().withXpubVerbose(true), p);
        p[0].commandAndWait("SEND " + hex(sub("A")));
        assertThat(receive(xpub)).isEqualTo(sub("A"));
        p[1].commandAndWait("SEND " + hex(sub("A")));
        assertThat(receive(xpub)).isEqualTo(sub("A"));
        p[0].commandAndWait("SEND " + hex(unsub("A")));
        p[0].commandAndWait("SEND " + hex("marker"));
        assertThat(receive(xpub)).isEqualTo(Msg.of("marker"));
    }

    @ParameterizedTest(name = "we bind: {0}")
    @ValueSource(booleans = {true, false})
    void manualFiltersEachLibzmqSubscriberAsTheApplicationDecides(boolean weBind) {
        PyPeer[] p = new PyPeer[2];
        ZSocket xpub = xpubWithTwoXsubs(weBind, opts().withXpubManual(true), p);
        p[0].commandAndWait("SEND " + hex(sub("A")));
        p[1].commandAndWait("SEND " + hex(sub("B")));
        for (int i = 0; i < 2; i++) {
            Msg m = receive(xpub);
            if (m.equals(sub("A"))) {
                result(xpub.subscribe("one-"));
            } else {
                assertThat(m).isEqualTo(sub("B"));
                result(xpub.subscribe("two-"));
            }
        }
        for (String m : List.of("A-x", "B-x", "one-x", "two-x")) {
            result(xpub.send(Msg.of(m)));
        }
        assertThat(nextMsg(p[0])).isEqualTo(hex("one-x"));
        assertThat(nextMsg(p[1])).isEqualTo(hex("two-x"));

        // libzmq's XSUB sends its cancel; the application takes "one-" away from that subscriber only.
        p[0].commandAndWait("SEND " + hex(unsub("A")));
        assertThat(receive(xpub)).isEqualTo(unsub("A"));
        result(xpub.unsubscribe("one-"));
        result(xpub.send(Msg.of("one-y")));
        result(xpub.send(Msg.of("two-y")));
        p[0].commandAndWait("SEND " + hex(sub("C")));
        assertThat(receive(xpub)).isEqualTo(sub("C"));
        result(xpub.subscribe("C"));
        result(xpub.send(Msg.of("C-z")));
        assertThat(nextMsg(p[0])).isEqualTo(hex("C-z")); // one-y was not let through
        assertThat(nextMsg(p[1])).isEqualTo(hex("two-y"));
    }

    @Test
    void manualXpubServesALibzmqSubOnlyWhatTheApplicationGrants() {
        ZSocket xpub = socket(SocketType.XPUB, opts().withXpubManual(true));
        String ep = bind(xpub, Via.TCP);
        PyPeer subPeer = driven("sub", "connect", ep);
        awaitReadyPeers(xpub, 1);
        subPeer.commandAndWait("SUBSCRIBE " + hex("news"));
        subPeer.commandAndWait("SUBSCRIBE " + hex("secret"));
        // The application grants "news" only.
        for (int i = 0; i < 2; i++) {
            Msg m = receive(xpub);
            if (m.equals(sub("news"))) {
                result(xpub.subscribe("news"));
            } else {
                assertThat(m).isEqualTo(sub("secret"));
            }
        }
        result(xpub.send(Msg.of("secret-1")));
        result(xpub.send(Msg.of("news-1")));
        assertThat(nextMsg(subPeer)).isEqualTo(hex("news-1"));
    }
}
