package io.rzmq.pekko.internal.transport.ipc;

import io.rzmq.pekko.internal.session.IpcTransport;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Interop with libzmq 4.3 (pyzmq under /usr/bin/python3, one process per test) over ipc://, in both
 * directions and both bind roles, for filesystem paths and Linux abstract names.
 */
class IpcLibzmqInteropTest {
    private static final ActorTestKit kit = ActorTestKit.create();
    private static final IpcTransport ipc = new IpcTransport();
    private static Path dir;

    @BeforeAll
    static void needsPyzmq() throws IOException {
        assumeTrue(PyPeer.available(), "python3 with pyzmq is not installed");
        dir = Files.createTempDirectory("rzmq-ipc-interop");
    }

    @AfterAll
    static void shutdown() throws IOException {
        kit.shutdownTestKit();
        if (dir != null) {
            try (var files = Files.list(dir)) {
                files.forEach(f -> {
                    try {
                        Files.deleteIfExists(f);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
            Files.deleteIfExists(dir);
        }
    }

    /** A fresh endpoint of the given kind: "path" or "abstract". */
    private static String endpoint(String kind) {
        String id = UUID.randomUUID().toString().substring(0, 8);
        return kind.equals("abstract") ? "ipc://@rzmq-interop-" + id : "ipc://" + dir.resolve(id + ".ipc");
    }

    private static SocketSetup setup(SocketType type) {
        return SocketSetup.of(type, SocketOptions.defaults());
    }

    @ParameterizedTest
    @ValueSource(strings = {"path", "abstract"})
    void libzmqPushConnectsToOurBoundPull(String kind) {
        SocketHarness socket = new SocketHarness(kit);
        socket.bind(ipc, endpoint(kind), setup(SocketType.PULL));
        String endpoint = socket.await(TransportEvent.Bound.class).resolved();
        try (PyPeer peer = PyPeer.start("push", "connect", endpoint, "30")) {
            PeerPipes in = socket.awaitAttached();
            assertThat(in.attached.peer().socketType()).isEqualTo(SocketType.PUSH);
            for (int i = 0; i < 30; i++) {
                assertThat(in.receive()).isEqualTo(Msgs.generated(i));
            }
            peer.closeInput();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"path", "abstract"})
    void ourPushConnectsToABoundLibzmqPull(String kind) {
        String requested = endpoint(kind);
        try (PyPeer peer = PyPeer.start("pull", "bind", requested, "30")) {
            String endpoint = peer.awaitReady();
            assertThat(endpoint).isEqualTo(requested);
            SocketHarness socket = new SocketHarness(kit);
            socket.connect(ipc, endpoint, setup(SocketType.PUSH));
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

    @ParameterizedTest
    @ValueSource(strings = {"path", "abstract"})
    void ourSubConnectsToABoundLibzmqPubAndItFilters(String kind) {
        try (PyPeer peer = PyPeer.start("pub", "bind", endpoint(kind))) {
            String endpoint = peer.awaitReady();
            SocketHarness socket = new SocketHarness(kit);
            socket.connect(ipc, endpoint, setup(SocketType.SUB));
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

    @ParameterizedTest
    @ValueSource(strings = {"path", "abstract"})
    void aLibzmqSubConnectsToOurBoundPubAndGetsOnlyItsTopic(String kind) {
        SocketHarness socket = new SocketHarness(kit);
        socket.bind(ipc, endpoint(kind), setup(SocketType.PUB));
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

    @ParameterizedTest
    @ValueSource(strings = {"path", "abstract"})
    void aLibzmqPullBindsAndOurPushDeliversMultipartAndLargeMessages(String kind) {
        String requested = endpoint(kind);
        try (PyPeer peer = PyPeer.start("pull", "bind", requested, "3")) {
            String endpoint = peer.awaitReady();
            SocketHarness socket = new SocketHarness(kit);
            socket.connect(ipc, endpoint, setup(SocketType.PUSH));
            PeerPipes out = socket.awaitAttached();
            byte[] big = new byte[1024 * 1024];
            big[0] = 1;
            big[big.length - 1] = 2;
            Msg large = Msg.of("big".getBytes(), big);
            out.send(Msg.of("x", "", "z"));
            out.send(large);
            out.send(Msg.of("end"));
            assertThat(Msgs.parse(peer.awaitLine("MSG"))).isEqualTo(Msg.of("x", "", "z"));
            assertThat(Msgs.parse(peer.awaitLine("MSG"))).isEqualTo(large);
            assertThat(Msgs.parse(peer.awaitLine("MSG"))).isEqualTo(Msg.of("end"));
        }
    }
}
