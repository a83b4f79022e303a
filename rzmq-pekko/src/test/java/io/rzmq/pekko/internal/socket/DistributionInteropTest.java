package io.rzmq.pekko.internal.socket;

import io.rzmq.pekko.testing.TcpTransportTest;
import io.rzmq.pekko.api.ZProxy;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.testkit.Msgs;
import io.rzmq.testkit.PyPeer;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.apache.pekko.Done;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.zeromq.ZMQ;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

import static io.rzmq.pekko.internal.socket.DistributionPatternsTest.sub;
import static io.rzmq.pekko.internal.socket.DistributionPatternsTest.unsub;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * XPUB/XSUB against libzmq 4.3 (SUBSCRIBE commands, ZMTP 3.1) and JeroMQ 0.6 (1/0-prefixed messages,
 * ZMTP 3.0): the application sees the same subscription messages whichever form travelled; and a
 * proxy of ours between a libzmq publisher and a JeroMQ subscriber. JeroMQ binds (see
 * RequestReplyInteropTest on its connect side).
 */
@TcpTransportTest
class DistributionInteropTest extends PatternTestSupport {
    private PyPeer py;
    private org.zeromq.ZContext jeromq;

    @BeforeEach
    void jeromqContext() {
        jeromq = new org.zeromq.ZContext();
    }

    @AfterEach
    void cleanUp() {
        if (py != null) {
            py.kill();
        }
        jeromq.close();
    }

    private ZMQ.Socket jeromqSub(String... topics) {
        ZMQ.Socket s = jeromq.createSocket(org.zeromq.SocketType.SUB);
        s.setReceiveTimeOut((int) DEADLINE.toMillis());
        s.setLinger(0);
        for (String t : topics) {
            s.subscribe(t.getBytes(StandardCharsets.UTF_8));
        }
        return s;
    }

    @Test
    void xpubSeesLibzmqAndJeromqSubscriptionsAlike() {
        assumeTrue(PyPeer.available(), "python3 with pyzmq is not installed");
        py = PyPeer.start("sub", "bind", "tcp://127.0.0.1:*", "-1", "alpha", "beta");
        String pyEndpoint = py.awaitReady();
        ZSocket fromLibzmq = socket(SocketType.XPUB);
        result(fromLibzmq.connect(pyEndpoint));
        List<Msg> libzmqSeen = List.of(receive(fromLibzmq), receive(fromLibzmq));

        ZMQ.Socket jq = jeromqSub("alpha", "beta");
        int port = jq.bindToRandomPort("tcp://127.0.0.1");
        ZSocket fromJeromq = socket(SocketType.XPUB);
        result(fromJeromq.connect("tcp://127.0.0.1:" + port));
        List<Msg> jeromqSeen = List.of(receiveWhileServing(fromJeromq, jq), receiveWhileServing(fromJeromq, jq));

        assertThat(libzmqSeen).containsExactly(sub("alpha"), sub("beta"));
        assertThat(jeromqSeen).isEqualTo(libzmqSeen);

        // And publishing through either reaches the subscriber, filtered.
        result(fromLibzmq.send(Msg.of("gamma", "not-for-you")));
        result(fromLibzmq.send(Msg.of("alpha-1", "x")));
        assertThat(py.awaitLine("MSG ")).isEqualTo(Msgs.line(Msg.of("alpha-1", "x")));
        result(fromJeromq.send(Msg.of("gamma", "not-for-you")));
        result(fromJeromq.send(Msg.of("beta-1", "y")));
        assertThat(jq.recvStr()).isEqualTo("beta-1");
        assertThat(jq.recvStr()).isEqualTo("y");

        // A JeroMQ cancel (a 0-prefixed message) shows as the same cancel notification.
        jq.unsubscribe("beta".getBytes(StandardCharsets.UTF_8));
        assertThat(receiveWhileServing(fromJeromq, jq)).isEqualTo(unsub("beta"));
    }

    /**
     * Receives from {@code s} while calling into the JeroMQ socket: JeroMQ (like libzmq) attaches a new
     * connection to a bound socket only when the application calls that socket, and only then sends its
     * subscriptions.
     */
    private static Msg receiveWhileServing(ZSocket s, ZMQ.Socket jq) {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < end) {
            Msg m = s.tryReceive();
            if (m != null) {
                return m;
            }
            assertThat(jq.recv(ZMQ.DONTWAIT)).isNull();
        }
        throw new AssertionError("nothing received within " + DEADLINE);
    }

    @Test
    void ourProxyForwardsFromALibzmqPublisherToAJeromqSubscriber() {
        assumeTrue(PyPeer.available(), "python3 with pyzmq is not installed");
        py = PyPeer.start("pub", "bind", "tcp://127.0.0.1:*");
        String upstream = py.awaitReady();
        ZMQ.Socket jq = jeromqSub("A-");
        int port = jq.bindToRandomPort("tcp://127.0.0.1");

        ZSocket xsub = socket(SocketType.XSUB);
        ZSocket xpub = socket(SocketType.XPUB);
        result(xsub.connect(upstream));
        CompletionStage<Done> proxy = ZProxy.proxy(xsub, xpub);
        result(xpub.connect("tcp://127.0.0.1:" + port));

        // The subscription travels JeroMQ -> XPUB -> proxy -> XSUB -> libzmq; only "A-" messages come back.
        for (int i = 0; i < 20; i++) {
            String topic = jq.recvStr();
            assertThat(topic).as("message %d through the proxy", i).isNotNull().startsWith("A-");
            assertThat(jq.hasReceiveMore()).isTrue();
            assertThat(jq.recvStr()).isEqualTo("payload");
        }
        py.closeInput();
        result(xsub.close());
        assertThat(result(proxy)).isEqualTo(Done.getInstance());
    }
}
