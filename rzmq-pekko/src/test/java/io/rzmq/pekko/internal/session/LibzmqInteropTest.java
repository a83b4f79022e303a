package io.rzmq.pekko.internal.session;

import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.pekko.internal.pipe.PipeCommand;
import io.rzmq.testkit.Msgs;
import io.rzmq.pekko.testing.PeerPipes;
import io.rzmq.testkit.PyPeer;
import io.rzmq.pekko.testing.SocketHarness;
import io.rzmq.pekko.internal.engine.SocketSetup;
import io.rzmq.pekko.internal.transport.TransportEvent;
import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Interop with libzmq 4.3 (pyzmq under /usr/bin/python3, started per test) over loopback TCP. */
class LibzmqInteropTest {
    private static final ActorTestKit kit = ActorTestKit.create();
    private static final TcpTransport tcp = new TcpTransport();

    @BeforeAll
    static void needsPyzmq() {
        assumeTrue(PyPeer.available(), "python3 with pyzmq is not installed");
    }

    @AfterAll
    static void shutdown() {
        kit.shutdownTestKit();
    }

    private static SocketSetup setup(SocketType type) {
        return SocketSetup.of(type, SocketOptions.defaults());
    }

    @Test
    void libzmqPushConnectsToOurBoundPull() {
        SocketHarness socket = new SocketHarness(kit);
        socket.bind(tcp, "tcp://127.0.0.1:0", setup(SocketType.PULL));
        String endpoint = socket.await(TransportEvent.Bound.class).resolved();
        try (PyPeer peer = PyPeer.start("push", "connect", endpoint, "30")) {
            PeerPipes in = socket.awaitAttached();
            assertThat(in.attached.peer().socketType()).isEqualTo(SocketType.PUSH);
            assertThat(in.attached.peer().minorVersion()).isEqualTo(1);
            for (int i = 0; i < 30; i++) {
                assertThat(in.receive()).isEqualTo(Msgs.generated(i));
            }
            peer.closeInput();
        }
    }

    @Test
    void aFastLibzmqPusherIsHeldBackByOurSmallReceivePipeAndLosesNothing() {
        SocketHarness socket = new SocketHarness(kit);
        socket.bind(tcp, "tcp://127.0.0.1:0", SocketSetup.of(SocketType.PULL,
            SocketOptions.defaults().withRcvHwm(5)));
        String endpoint = socket.await(TransportEvent.Bound.class).resolved();
        int count = 20_000;
        try (PyPeer peer = PyPeer.start("push", "connect", endpoint, String.valueOf(count))) {
            PeerPipes in = socket.awaitAttached();
            for (int i = 0; i < count; i++) {
                assertThat(in.receive()).isEqualTo(Msgs.generated(i));
            }
            peer.awaitLine("SENT");
            peer.closeInput();
        }
    }

    @Test
    void ourPushConnectsToABoundLibzmqPull() {
        try (PyPeer peer = PyPeer.start("pull", "bind", "tcp://127.0.0.1:*", "30")) {
            String endpoint = peer.awaitReady();
            SocketHarness socket = new SocketHarness(kit);
            socket.connect(tcp, endpoint, setup(SocketType.PUSH));
            PeerPipes out = socket.awaitAttached();
            for (int i = 0; i < 30; i++) {
                out.send(Msgs.generated(i));
            }
            for (int i = 0; i < 30; i++) {
                assertThat(Msgs.parse(peer.awaitLine("MSG"))).isEqualTo(Msgs.generated(i));
            }
            assertThat(peer.awaitLine("DONE")).isEqualTo("DONE 30");
        }
    }

    @Test
    void ourSubscriptionMakesALibzmqPubFilter() {
        try (PyPeer peer = PyPeer.start("pub", "bind", "tcp://127.0.0.1:*")) {
            String endpoint = peer.awaitReady();
            SocketHarness socket = new SocketHarness(kit);
            socket.connect(tcp, endpoint, setup(SocketType.SUB));
            PeerPipes sub = socket.awaitAttached();
            sub.send(PipeCommand.Resync.INSTANCE); // as the SUB socket does before its set
            sub.send(new PipeCommand.Subscribe(Frame.of("A")));
            socket.await(TransportEvent.PeerReady.class);
            for (int i = 0; i < 50; i++) {
                Msg m = sub.receive();
                assertThat(m.firstString()).startsWith("A-");
                assertThat(m.frame(1)).isEqualTo(Frame.of("payload"));
            }
            peer.closeInput();
        }
    }

    @Test
    void aLibzmqSubSubscribesToOurBoundPubWithSubscribeCommands() {
        SocketHarness socket = new SocketHarness(kit);
        socket.bind(tcp, "tcp://127.0.0.1:0", setup(SocketType.PUB));
        String endpoint = socket.await(TransportEvent.Bound.class).resolved();
        try (PyPeer peer = PyPeer.start("sub", "connect", endpoint, "5", "A")) {
            PeerPipes pub = socket.awaitAttached();
            assertThat(pub.receiveItem()).isEqualTo(new PipeCommand.Subscribe(Frame.of("A")));
            for (int i = 0; i < 5; i++) {
                pub.send(Msg.of("B-" + i, "not for you"));
                pub.send(Msg.of("A-" + i, "for you"));
            }
            for (int i = 0; i < 5; i++) {
                assertThat(Msgs.parse(peer.awaitLine("MSG"))).isEqualTo(Msg.of("A-" + i, "for you"));
            }
            assertThat(peer.awaitLine("DONE")).isEqualTo("DONE 5");
        }
    }

    @Test
    void afterTheLibzmqPeerIsKilledAndRestartedTrafficResumesWithWhatWasQueued() {
        int port = TcpBindConnectTest.freePort();
        String endpoint = "tcp://127.0.0.1:" + port;
        SocketHarness socket = new SocketHarness(kit);
        socket.connect(tcp, endpoint, SocketSetup.of(SocketType.PUSH, SocketOptions.defaults()
            .withReconnectIvl(Duration.ofMillis(50)).withReconnectIvlMax(Duration.ofMillis(400))));
        PeerPipes out = socket.awaitAttached();

        PyPeer first = PyPeer.start("pull", "bind", endpoint, "-1");
        try {
            first.awaitReady();
            socket.await(TransportEvent.PeerReady.class);
            out.send(Msg.of("before"));
            assertThat(Msgs.parse(first.awaitLine("MSG"))).isEqualTo(Msg.of("before"));
        } finally {
            first.kill();
        }
        socket.await(TransportEvent.PeerLost.class);
        for (int i = 0; i < 20; i++) {
            out.send(Msgs.generated(i));
        }
        try (PyPeer second = PyPeer.start("pull", "bind", endpoint, "-1")) {
            second.awaitReady();
            socket.await(TransportEvent.PeerReady.class);
            for (int i = 0; i < 20; i++) {
                assertThat(Msgs.parse(second.awaitLine("MSG"))).isEqualTo(Msgs.generated(i));
            }
            out.send(Msg.of("after"));
            assertThat(Msgs.parse(second.awaitLine("MSG"))).isEqualTo(Msg.of("after"));
        }
    }
}
