package io.rzmq.pekko.internal.session;

import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.pekko.model.MonitorEventKind;
import io.rzmq.pekko.internal.pipe.PipeCommand;
import io.rzmq.testkit.Msgs;
import io.rzmq.pekko.testing.PeerPipes;
import io.rzmq.pekko.testing.SocketHarness;
import io.rzmq.pekko.model.Endpoint;
import io.rzmq.pekko.internal.engine.SocketSetup;
import io.rzmq.pekko.internal.transport.TransportEvent;
import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** rzmq TCP transport to rzmq TCP transport: messages, back-pressure, reconnects, linger. */
class TcpDataPathTest {
    private static final ActorTestKit kit = ActorTestKit.create();
    private static final TcpTransport tcp = new TcpTransport();

    @AfterAll
    static void shutdown() {
        kit.shutdownTestKit();
    }

    /** A connected pair: the bind side's and the connect side's pipes. */
    private record Pair(SocketHarness server, SocketHarness client, PeerPipes bound, PeerPipes connected,
                        String endpoint, ActorRef<TransportCommand> listener, ActorRef<TransportCommand> session) {
    }

    private static Pair connectedPair(SocketSetup serverSetup, SocketSetup clientSetup, String connectHost) {
        SocketHarness server = new SocketHarness(kit);
        ActorRef<TransportCommand> listener = server.bind(tcp, "tcp://127.0.0.1:0", serverSetup);
        String endpoint = server.await(TransportEvent.Bound.class).resolved();
        int port = Endpoint.parse(endpoint).port();
        SocketHarness client = new SocketHarness(kit);
        ActorRef<TransportCommand> session = client.connect(tcp, "tcp://" + connectHost + ":" + port, clientSetup);
        PeerPipes connected = client.awaitAttached();
        TransportEvent.PeerReady ready = client.await(TransportEvent.PeerReady.class);
        assertThat(ready.id()).isEqualTo(connected.id());
        assertThat(ready.peer().socketType()).isEqualTo(serverSetup.type());
        PeerPipes bound = server.awaitAttached();
        assertThat(bound.attached.peer().socketType()).isEqualTo(clientSetup.type());
        assertThat(bound.attached.endpoint()).isEqualTo(endpoint);
        return new Pair(server, client, bound, connected, endpoint, listener, session);
    }

    private static SocketSetup setup(SocketType type) {
        return SocketSetup.of(type, SocketOptions.defaults());
    }

    private static List<Msg> variedMessages() {
        List<Msg> msgs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            msgs.add(Msgs.generated(i));
        }
        msgs.add(Msg.of(Frame.EMPTY));
        msgs.add(Msg.of(new byte[0], new byte[0], new byte[0]));
        byte[] big = new byte[10 * 1024 * 1024];
        new Random(42).nextBytes(big);
        msgs.add(Msg.ofFrames(Frame.of("big"), Frame.wrap(big)));
        byte[] medium = new byte[300];
        new Random(7).nextBytes(medium);
        msgs.add(Msg.of(medium));
        msgs.add(Msg.of("after-the-big-ones"));
        return msgs;
    }

    @Test
    void messagesFlowBothWaysIncludingMultipartEmptyAndTenMegabytes() {
        Pair p = connectedPair(setup(SocketType.PAIR), setup(SocketType.PAIR), "127.0.0.1");
        List<Msg> msgs = variedMessages();

        for (Msg m : msgs) {
            p.connected().send(m);
        }
        for (Msg m : msgs) {
            assertThat(p.bound().receive()).isEqualTo(m);
        }
        for (Msg m : msgs) {
            p.bound().send(m);
        }
        for (Msg m : msgs) {
            assertThat(p.connected().receive()).isEqualTo(m);
        }
    }

    @Test
    void aFullReceivingPipePausesTheConnectionAndLosesNothing() throws Exception {
        SocketOptions small = SocketOptions.defaults().withSndHwm(10).withRcvHwm(10);
        Pair p = connectedPair(SocketSetup.of(SocketType.PULL, small), SocketSetup.of(SocketType.PUSH, small),
            "127.0.0.1");
        int count = 20_000;
        CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < count; i++) {
                p.connected().send(Msgs.generated(i));
            }
        });
        for (int i = 0; i < count; i++) {
            assertThat(p.bound().receive()).isEqualTo(Msgs.generated(i));
            assertThat(p.bound().fromPeer().size()).isLessThanOrEqualTo(10);
        }
        sender.get(SocketHarness.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void connectResolvesHostNames() {
        Pair p = connectedPair(setup(SocketType.PULL), setup(SocketType.PUSH), "localhost");
        p.connected().send(Msg.of("via a host name"));
        assertThat(p.bound().receive()).isEqualTo(Msg.of("via a host name"));
    }

    @Test
    void theSessionReconnectsWhenTheListenerComesBackAndDeliversWhatWasQueued() {
        SocketSetup pull = setup(SocketType.PULL);
        SocketSetup push = SocketSetup.of(SocketType.PUSH, SocketOptions.defaults()
            .withReconnectIvl(Duration.ofMillis(20)).withReconnectIvlMax(Duration.ofMillis(200)));
        Pair p = connectedPair(pull, push, "127.0.0.1");
        p.connected().send(Msg.of("before"));
        assertThat(p.bound().receive()).isEqualTo(Msg.of("before"));

        p.listener().tell(new TransportCommand.Close(Duration.ZERO));
        kit.createTestProbe().expectTerminated(p.listener(), SocketHarness.TIMEOUT);
        assertThat(p.server().await(TransportEvent.PipeDetached.class).id()).isEqualTo(p.bound().id());
        TransportEvent.PeerLost lost = p.client().await(TransportEvent.PeerLost.class);
        assertThat(lost.id()).isEqualTo(p.connected().id());
        p.client().awaitMonitor(MonitorEventKind.CONNECT_RETRIED);

        for (int i = 0; i < 100; i++) {
            p.connected().send(Msgs.generated(i));
        }
        SocketHarness server2 = new SocketHarness(kit);
        server2.bind(tcp, p.endpoint(), pull);
        server2.await(TransportEvent.Bound.class);
        TransportEvent.PeerReady again = p.client().await(TransportEvent.PeerReady.class);
        assertThat(again.id()).isEqualTo(p.connected().id());
        PeerPipes bound2 = server2.awaitAttached();
        for (int i = 0; i < 100; i++) {
            assertThat(bound2.receive()).isEqualTo(Msgs.generated(i));
        }
    }

    @Test
    void closingASessionWithLingerDeliversWhatItQueued() {
        SocketHarness server = new SocketHarness(kit);
        server.bind(tcp, "tcp://127.0.0.1:0", setup(SocketType.PULL));
        String endpoint = server.await(TransportEvent.Bound.class).resolved();
        SocketHarness client = new SocketHarness(kit);
        ActorRef<TransportCommand> session = client.connect(tcp, endpoint, setup(SocketType.PUSH));
        PeerPipes connected = client.awaitAttached();
        for (int i = 0; i < 500; i++) {
            connected.send(Msgs.generated(i));
        }
        // Close at once: the handshake may not even have happened yet.
        session.tell(new TransportCommand.Close(Duration.ofSeconds(10)));

        PeerPipes bound = server.awaitAttached();
        for (int i = 0; i < 500; i++) {
            assertThat(bound.receive()).isEqualTo(Msgs.generated(i));
        }
        client.await(TransportEvent.PipeDetached.class);
        kit.createTestProbe().expectTerminated(session, SocketHarness.TIMEOUT);
        // The accept side sees the connection end and detaches that pipe pair.
        assertThat(server.await(TransportEvent.PipeDetached.class).id()).isEqualTo(bound.id());
    }

    @Test
    void aClosingSessionKeepsConnectingWithinLingerAndDeliversOnceThePeerAppears() {
        int port = TcpBindConnectTest.freePort();
        SocketHarness client = new SocketHarness(kit);
        ActorRef<TransportCommand> session = client.connect(tcp, "tcp://127.0.0.1:" + port,
            SocketSetup.of(SocketType.PUSH, SocketOptions.defaults().withReconnectIvl(Duration.ofMillis(20))));
        PeerPipes out = client.awaitAttached();
        for (int i = 0; i < 10; i++) {
            out.send(Msgs.generated(i));
        }
        session.tell(new TransportCommand.Close(Duration.ofSeconds(20)));
        client.awaitMonitor(MonitorEventKind.CONNECT_RETRIED);

        SocketHarness server = new SocketHarness(kit);
        server.bind(tcp, "tcp://127.0.0.1:" + port, setup(SocketType.PULL));
        PeerPipes in = server.awaitAttached();
        for (int i = 0; i < 10; i++) {
            assertThat(in.receive()).isEqualTo(Msgs.generated(i));
        }
        client.await(TransportEvent.PipeDetached.class);
        kit.createTestProbe().expectTerminated(session, SocketHarness.TIMEOUT);
    }

    @Test
    void lingerBoundsTheCloseOfASessionWhosePeerStoppedReading() {
        SocketOptions small = SocketOptions.defaults().withRcvHwm(1).withSndHwm(200);
        Pair p = connectedPair(SocketSetup.of(SocketType.PULL, small), SocketSetup.of(SocketType.PUSH, small),
            "127.0.0.1");
        // 200 MB against a receiver that takes one message and then nothing: the TCP buffers fill up.
        byte[] megabyte = new byte[1024 * 1024];
        for (int i = 0; i < 200; i++) {
            p.connected().send(Msg.of(megabyte));
        }
        assertThat(p.bound().receive().byteSize()).isEqualTo(megabyte.length);

        p.session().tell(new TransportCommand.Close(Duration.ofMillis(300)));
        p.client().await(TransportEvent.PipeDetached.class);
        kit.createTestProbe().expectTerminated(p.session(), SocketHarness.TIMEOUT);
        assertThat(p.connected().toPeer().isEmpty()).isTrue(); // closed for reading: what was left is dropped
    }

    @Test
    void subscriptionsQueuedBeforeTheSocketsResyncAreNotSent() {
        int port = TcpBindConnectTest.freePort();
        SocketHarness client = new SocketHarness(kit);
        client.connect(tcp, "tcp://127.0.0.1:" + port, setup(SocketType.SUB));
        PeerPipes sub = client.awaitAttached();
        sub.send(new PipeCommand.Subscribe(Frame.of("stale")));
        sub.send(new PipeCommand.Cancel(Frame.of("stale")));

        SocketHarness server = new SocketHarness(kit);
        server.bind(tcp, "tcp://127.0.0.1:" + port, setup(SocketType.PUB));
        client.await(TransportEvent.PeerReady.class);
        sub.send(PipeCommand.Resync.INSTANCE);
        sub.send(new PipeCommand.Subscribe(Frame.of("A")));
        sub.send(new PipeCommand.Cancel(Frame.of("A")));
        sub.send(new PipeCommand.Subscribe(Frame.of("")));

        PeerPipes pub = server.awaitAttached();
        assertThat(pub.receiveItem()).isEqualTo(new PipeCommand.Subscribe(Frame.of("A")));
        assertThat(pub.receiveItem()).isEqualTo(new PipeCommand.Cancel(Frame.of("A")));
        assertThat(pub.receiveItem()).isEqualTo(new PipeCommand.Subscribe(Frame.EMPTY));
        pub.send(Msg.of("anything"));
        assertThat(sub.receive()).isEqualTo(Msg.of("anything"));
    }

    @Test
    void aConnectingPubHearsResyncBeforeEachConnectionsSubscriptions() {
        SocketHarness server = new SocketHarness(kit);
        ActorRef<TransportCommand> listener = server.bind(tcp, "tcp://127.0.0.1:0", setup(SocketType.SUB));
        String endpoint = server.await(TransportEvent.Bound.class).resolved();
        SocketHarness client = new SocketHarness(kit);
        client.connect(tcp, endpoint, SocketSetup.of(SocketType.PUB,
            SocketOptions.defaults().withReconnectIvl(Duration.ofMillis(20))));
        PeerPipes pub = client.awaitAttached();
        PeerPipes sub = server.awaitAttached();
        sub.send(PipeCommand.Resync.INSTANCE);
        sub.send(new PipeCommand.Subscribe(Frame.of("A")));
        assertThat(pub.receiveItem()).isEqualTo(PipeCommand.Resync.INSTANCE);
        assertThat(pub.receiveItem()).isEqualTo(new PipeCommand.Subscribe(Frame.of("A")));

        listener.tell(new TransportCommand.Close(Duration.ZERO));
        kit.createTestProbe().expectTerminated(listener, SocketHarness.TIMEOUT);
        client.await(TransportEvent.PeerLost.class);
        SocketHarness server2 = new SocketHarness(kit);
        server2.bind(tcp, endpoint, setup(SocketType.SUB));
        PeerPipes sub2 = server2.awaitAttached();
        sub2.send(PipeCommand.Resync.INSTANCE);
        sub2.send(new PipeCommand.Subscribe(Frame.of("B")));
        assertThat(pub.receiveItem()).isEqualTo(PipeCommand.Resync.INSTANCE);
        assertThat(pub.receiveItem()).isEqualTo(new PipeCommand.Subscribe(Frame.of("B")));
    }

    @Test
    void closingAListenerWithLingerFlushesEveryConnection() {
        Pair p = connectedPair(setup(SocketType.PUSH), setup(SocketType.PULL), "127.0.0.1");
        for (int i = 0; i < 300; i++) {
            p.bound().send(Msgs.generated(i));
        }
        p.listener().tell(new TransportCommand.Close(Duration.ofSeconds(10)));
        for (int i = 0; i < 300; i++) {
            assertThat(p.connected().receive()).isEqualTo(Msgs.generated(i));
        }
        p.server().awaitMonitor(MonitorEventKind.CLOSED);
        kit.createTestProbe().expectTerminated(p.listener(), SocketHarness.TIMEOUT);
        p.client().await(TransportEvent.PeerLost.class);
    }
}
