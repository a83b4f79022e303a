package io.rzmq.pekko.internal.transport.ipc;

import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.io.Tcp;
import org.apache.pekko.io.TcpMessage;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXServerSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The ipc connection manager on its own, driven through Pekko IO's classic TCP protocol. */
class IpcManagerTest {
    static ActorSystem system;
    static ActorRef manager;

    @TempDir
    Path dir;

    /** An event used as a write ack. */
    record Ack(int n) implements Tcp.Event {
    }

    /** Both ends of one connection: probes registered as handlers, and the connection actors. */
    record Pair(ClassicProbe client, ActorRef clientConn, ClassicProbe server, ActorRef serverConn) {
    }

    @BeforeAll
    static void start() {
        system = ActorSystem.create("ipc-manager-test");
        manager = IpcIo.get(system).manager();
    }

    @AfterAll
    static void stop() throws Exception {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    /** Binds {@code address} with {@code handler} as bind handler; returns the listener actor. */
    static ActorRef bind(String address, ClassicProbe handler) {
        manager.tell(TcpMessage.bind(handler.ref, IpcAddresses.carrier(address), 10, List.of(), false), handler.ref);
        ClassicProbe.Got bound = handler.expectWithSender(Tcp.Bound.class);
        return bound.sender();
    }

    static String bindFailure(String address) {
        ClassicProbe handler = new ClassicProbe(system);
        manager.tell(TcpMessage.bind(handler.ref, IpcAddresses.carrier(address), 10, List.of(), false), handler.ref);
        Tcp.CommandFailed f = handler.expect(Tcp.CommandFailed.class);
        assertThat(f.cause().isDefined()).as("failure has a cause").isTrue();
        return f.cause().get().getMessage();
    }

    /** Connects to {@code address} and registers both ends ({@code bindHandler} sees the accept). */
    static Pair connect(String address, ClassicProbe bindHandler, boolean keepServerOpenOnPeerClosed) {
        ClassicProbe client = new ClassicProbe(system);
        manager.tell(TcpMessage.connect(IpcAddresses.carrier(address)), client.ref);
        ClassicProbe.Got c = client.expectWithSender(Tcp.Connected.class);
        ClassicProbe.Got s = bindHandler.expectWithSender(Tcp.Connected.class);
        assertThat(IpcAddresses.address(((Tcp.Connected) s.msg()).remoteAddress())).isEqualTo(address);
        // Both ends are this process: the peer's credentials are ours, as libzmq writes them for ZAP.
        String self = ":" + ProcessHandle.current().pid();
        assertThat(IpcAddresses.peerCredentials(((Tcp.Connected) s.msg()).remoteAddress())).startsWith("localhost:")
            .endsWith(self);
        assertThat(IpcAddresses.peerCredentials(((Tcp.Connected) c.msg()).remoteAddress())).endsWith(self);
        ClassicProbe server = new ClassicProbe(system);
        c.sender().tell(TcpMessage.register(client.ref), client.ref);
        s.sender().tell(TcpMessage.register(server.ref, keepServerOpenOnPeerClosed, true), server.ref);
        return new Pair(client, c.sender(), server, s.sender());
    }

    static ByteString bytes(String s) {
        return ByteString.fromString(s, StandardCharsets.UTF_8);
    }

    static ByteString pattern(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + (i >> 10));
        }
        return ByteString.fromArrayUnsafe(b);
    }

    @Test
    void bindConnectEchoUnbindAndClose() throws Exception {
        String path = dir.resolve("echo.sock").toString();
        ClassicProbe handler = new ClassicProbe(system);
        ActorRef listener = bind(path, handler);
        assertThat(Files.readAttributes(Path.of(path), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther())
            .as("a socket file").isTrue();

        Pair p = connect(path, handler, false);
        p.clientConn().tell(TcpMessage.write(bytes("hello"), new Ack(1)), p.client().ref);
        p.client().expectMsg(new Ack(1));
        assertThat(p.server().receiveBytes(5).utf8String()).isEqualTo("hello");
        p.serverConn().tell(TcpMessage.write(bytes("olleh"), new Ack(2)), p.server().ref);
        p.server().expectMsg(new Ack(2));
        assertThat(p.client().receiveBytes(5).utf8String()).isEqualTo("olleh");

        // Unbind: the file goes, the connection it accepted stays.
        listener.tell(TcpMessage.unbind(), handler.ref);
        handler.expectMsg(Tcp.Unbound$.MODULE$);
        assertThat(Files.exists(Path.of(path), LinkOption.NOFOLLOW_LINKS)).as("socket file removed").isFalse();
        p.clientConn().tell(TcpMessage.write(bytes("still"), new Ack(3)), p.client().ref);
        p.client().expectMsg(new Ack(3));
        assertThat(p.server().receiveBytes(5).utf8String()).isEqualTo("still");

        p.clientConn().tell(TcpMessage.close(), p.client().ref);
        p.client().expectMsg(Tcp.Closed$.MODULE$);
        p.server().expectMsg(Tcp.PeerClosed$.MODULE$);
    }

    @Test
    void abstractNamesBindConnectAndRefuseASecondBind() {
        String name = "@rzmq-test-" + UUID.randomUUID();
        ClassicProbe handler = new ClassicProbe(system);
        ActorRef listener = bind(name, handler);
        Pair p = connect(name, handler, false);
        p.clientConn().tell(TcpMessage.write(bytes("abstract"), new Ack(1)), p.client().ref);
        p.client().expectMsg(new Ack(1));
        assertThat(p.server().receiveBytes(8).utf8String()).isEqualTo("abstract");

        assertThat(bindFailure(name)).contains("address in use");

        listener.tell(TcpMessage.unbind(), handler.ref);
        handler.expectMsgIgnoring(Tcp.Unbound$.MODULE$, Tcp.Connected.class);
        // The name is free again.
        ClassicProbe again = new ClassicProbe(system);
        bind(name, again);
    }

    @Test
    void suspendedReadingHoldsTheWriterBackAndResumingDeliversEverythingInOrder() {
        String path = dir.resolve("bp.sock").toString();
        ClassicProbe handler = new ClassicProbe(system);
        bind(path, handler);
        Pair p = connect(path, handler, false);

        // The server stops reading before anything is sent; its write ack proves the suspend was applied
        // (one connection's commands run in order on the selector thread).
        p.serverConn().tell(TcpMessage.suspendReading(), p.server().ref);
        p.serverConn().tell(TcpMessage.write(bytes("go"), new Ack(0)), p.server().ref);
        p.server().expectMsg(new Ack(0));
        assertThat(p.client().receiveBytes(2).utf8String()).isEqualTo("go");

        // Far more than the kernel buffers hold: the write cannot complete while the server does not read.
        ByteString big = pattern(8 * 1024 * 1024);
        p.clientConn().tell(TcpMessage.write(big, new Ack(1)), p.client().ref);
        Tcp.Command second = TcpMessage.write(bytes("x"), new Ack(2));
        p.clientConn().tell(second, p.client().ref);
        // Only one write may be pending: the second fails, which also shows the first is still in progress.
        Tcp.CommandFailed failed = p.client().expect(Tcp.CommandFailed.class);
        assertThat(failed.cmd()).isEqualTo(second);
        assertThat(p.server().poll()).as("nothing delivered while reading is suspended").isNull();
        assertThat(p.client().poll()).as("the big write is not acknowledged yet").isNull();

        p.serverConn().tell(TcpMessage.resumeReading(), p.server().ref);
        assertThat(p.server().receiveBytes(big.size())).isEqualTo(big);
        p.client().expectMsg(new Ack(1));
    }

    @Test
    void inPullModeEachResumeReadingDeliversOneChunk() {
        String path = dir.resolve("pull.sock").toString();
        ClassicProbe handler = new ClassicProbe(system);
        // A pull-mode Bind: its accepted connections read only when asked, one chunk per ResumeReading.
        manager.tell(TcpMessage.bind(handler.ref, IpcAddresses.carrier(path), 10, List.of(), true), handler.ref);
        handler.expectWithSender(Tcp.Bound.class);
        Pair p = connect(path, handler, false);

        ByteString big = pattern(1024 * 1024);
        p.clientConn().tell(TcpMessage.write(big, new Ack(1)), p.client().ref);
        // A server write's ack comes after whatever its channel read before (one thread, in order).
        int barrier = 100;
        p.serverConn().tell(TcpMessage.write(bytes("x"), new Ack(barrier)), p.server().ref);
        p.server().expectMsg(new Ack(barrier));
        ByteStringBuilder got = new ByteStringBuilder();
        int chunks = 0;
        while (got.length() < big.size()) {
            p.serverConn().tell(TcpMessage.resumeReading(), p.server().ref);
            ByteString chunk = p.server().expect(Tcp.Received.class).data();
            assertThat(chunk.size()).isLessThanOrEqualTo(128 * 1024);
            got.append(chunk);
            chunks++;
            p.serverConn().tell(TcpMessage.write(bytes("x"), new Ack(++barrier)), p.server().ref);
            p.server().expectMsg(new Ack(barrier)); // and not a second Received
        }
        assertThat(got.result()).isEqualTo(big);
        assertThat(chunks).isGreaterThanOrEqualTo(8);
        p.client().expectMsgIgnoring(new Ack(1), Tcp.Received.class);
    }

    @Test
    void closeFlushesThePendingWriteFirst() {
        String path = dir.resolve("close.sock").toString();
        ClassicProbe handler = new ClassicProbe(system);
        bind(path, handler);
        Pair p = connect(path, handler, false);

        ByteString data = pattern(2 * 1024 * 1024);
        p.clientConn().tell(TcpMessage.write(data, new Ack(1)), p.client().ref);
        p.clientConn().tell(TcpMessage.close(), p.client().ref);
        assertThat(p.server().receiveBytes(data.size())).isEqualTo(data);
        p.server().expectMsg(Tcp.PeerClosed$.MODULE$);
        p.client().expectMsg(new Ack(1));
        p.client().expectMsg(Tcp.Closed$.MODULE$);
    }

    @Test
    void abortClosesAtOnceAndThePeerSeesTheEnd() {
        String path = dir.resolve("abort.sock").toString();
        ClassicProbe handler = new ClassicProbe(system);
        bind(path, handler);
        Pair p = connect(path, handler, false);
        p.clientConn().tell(TcpMessage.abort(), p.client().ref);
        p.client().expectMsg(Tcp.Aborted$.MODULE$);
        assertThat(p.server().expect(Tcp.ConnectionClosed.class).isPeerClosed()).isTrue();
    }

    @Test
    void confirmedCloseWaitsForThePeerToClose() {
        String path = dir.resolve("confirmed.sock").toString();
        ClassicProbe handler = new ClassicProbe(system);
        bind(path, handler);
        Pair p = connect(path, handler, true);
        p.clientConn().tell(TcpMessage.confirmedClose(), p.client().ref);
        p.server().expectMsg(Tcp.PeerClosed$.MODULE$);
        // Kept open on PeerClosed: the server can still answer before it closes.
        p.serverConn().tell(TcpMessage.write(bytes("bye"), new Ack(1)), p.server().ref);
        p.server().expectMsg(new Ack(1));
        assertThat(p.client().receiveBytes(3).utf8String()).isEqualTo("bye");
        p.serverConn().tell(TcpMessage.close(), p.server().ref);
        p.server().expectMsg(Tcp.Closed$.MODULE$);
        p.client().expectMsg(Tcp.ConfirmedClosed$.MODULE$);
    }

    @Test
    void aStoppedHandlerClosesItsConnection() {
        String path = dir.resolve("handler.sock").toString();
        ClassicProbe handler = new ClassicProbe(system);
        bind(path, handler);
        Pair p = connect(path, handler, false);
        p.server().stop();
        assertThat(p.client().expect(Tcp.ConnectionClosed.class).isPeerClosed()).isTrue();
    }

    @Test
    void connectFailuresSayWhy() {
        String missing = dir.resolve("nobody.sock").toString();
        ClassicProbe client = new ClassicProbe(system);
        manager.tell(TcpMessage.connect(IpcAddresses.carrier(missing)), client.ref);
        Tcp.CommandFailed f = client.expect(Tcp.CommandFailed.class);
        assertThat(f.cmd()).isInstanceOf(Tcp.Connect.class);
        assertThat(f.cause().get().getMessage()).contains(missing).contains("No such file");

        manager.tell(TcpMessage.connect(IpcAddresses.carrier("*")), client.ref);
        assertThat(client.expect(Tcp.CommandFailed.class).cause().get().getMessage()).contains("wildcard");
    }

    @Test
    void bindErrorsAreClearAndTouchNothing() throws Exception {
        String live = dir.resolve("live.sock").toString();
        bind(live, new ClassicProbe(system));
        assertThat(bindFailure(live)).contains("address in use").contains("live socket");

        Path regular = dir.resolve("regular.txt");
        Files.writeString(regular, "keep me");
        assertThat(bindFailure(regular.toString())).contains("address in use").contains("not a socket");
        assertThat(Files.readString(regular)).isEqualTo("keep me");

        assertThat(bindFailure(dir.resolve("no/such/dir/x.sock").toString())).contains("does not exist");
        assertThat(bindFailure("/tmp/" + "x".repeat(120))).contains("longer than 107 bytes");
        assertThat(bindFailure("@")).contains("empty");
    }

    @Test
    void aStaleSocketFileFromADeadProcessDoesNotStopABind() throws Exception {
        Path path = dir.resolve("stale.sock");
        // What a crashed process leaves behind: a socket file nobody listens on.
        try (AFUNIXServerSocketChannel dead = AFUNIXServerSocketChannel.open()) {
            dead.setDeleteOnClose(false);
            dead.bind(AFUNIXSocketAddress.of(path.toFile()), 1);
        }
        assertThat(Files.exists(path, LinkOption.NOFOLLOW_LINKS)).isTrue();

        ClassicProbe handler = new ClassicProbe(system);
        bind(path.toString(), handler);
        Pair p = connect(path.toString(), handler, false);
        p.clientConn().tell(TcpMessage.write(bytes("alive"), new Ack(1)), p.client().ref);
        assertThat(p.server().receiveBytes(5).utf8String()).isEqualTo("alive");
    }

    @Test
    void wildcardBindsAFreshPathUnderTheTempDirectoryAndUnbindRemovesIt() {
        ClassicProbe h1 = new ClassicProbe(system);
        ClassicProbe h2 = new ClassicProbe(system);
        manager.tell(TcpMessage.bind(h1.ref, IpcAddresses.carrier("*"), 10, List.of(), false), h1.ref);
        ClassicProbe.Got b1 = h1.expectWithSender(Tcp.Bound.class);
        manager.tell(TcpMessage.bind(h2.ref, IpcAddresses.carrier("*"), 10, List.of(), false), h2.ref);
        Tcp.Bound b2 = h2.expect(Tcp.Bound.class);
        String path1 = ((Tcp.Bound) b1.msg()).localAddress().getHostString();
        String path2 = b2.localAddress().getHostString();
        assertThat(path1).isNotEqualTo(path2).startsWith(System.getProperty("java.io.tmpdir"));
        assertThat(Files.exists(Path.of(path1), LinkOption.NOFOLLOW_LINKS)).isTrue();

        Pair p = connect(path1, h1, false);
        p.clientConn().tell(TcpMessage.write(bytes("wild"), new Ack(1)), p.client().ref);
        assertThat(p.server().receiveBytes(4).utf8String()).isEqualTo("wild");

        b1.sender().tell(TcpMessage.unbind(), h1.ref);
        h1.expectMsg(Tcp.Unbound$.MODULE$);
        assertThat(Files.exists(Path.of(path1), LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(Files.exists(Path.of(path2), LinkOption.NOFOLLOW_LINKS)).isTrue();
    }

    @Test
    void unbindRemovesOnlyItsOwnSocketFile() throws Exception {
        Path path = dir.resolve("mine.sock");
        ClassicProbe first = new ClassicProbe(system);
        ActorRef firstListener = bind(path.toString(), first);
        // Someone removes our file and binds the path again: that file is theirs, not ours to delete.
        Files.delete(path);
        ClassicProbe second = new ClassicProbe(system);
        bind(path.toString(), second);
        firstListener.tell(TcpMessage.unbind(), first.ref);
        first.expectMsg(Tcp.Unbound$.MODULE$);
        assertThat(Files.exists(path, LinkOption.NOFOLLOW_LINKS)).as("the other listener's file").isTrue();
        Pair p = connect(path.toString(), second, false);
        p.clientConn().tell(TcpMessage.write(bytes("ok"), new Ack(1)), p.client().ref);
        assertThat(p.server().receiveBytes(2).utf8String()).isEqualTo("ok");
    }

    @Test
    void aStoppedBindHandlerReleasesTheAddress() {
        String path = dir.resolve("gone.sock").toString();
        ClassicProbe handler = new ClassicProbe(system);
        bind(path, handler);
        handler.stop();
        // The listener notices, closes and removes its file; then the path can be bound again.
        ClassicProbe next = new ClassicProbe(system);
        long deadline = System.nanoTime() + ClassicProbe.TIMEOUT.toNanos();
        while (true) {
            manager.tell(TcpMessage.bind(next.ref, IpcAddresses.carrier(path), 10, List.of(), false), next.ref);
            Object m = next.next().msg();
            if (m instanceof Tcp.Bound) {
                break;
            }
            assertThat(System.nanoTime()).as("rebind within the deadline, last: " + m).isLessThan(deadline);
        }
    }

    @Test
    void terminatingTheActorSystemRemovesTheSocketFilesOfLiveBinds() throws Exception {
        ActorSystem other = ActorSystem.create("ipc-terminating");
        try {
            ActorRef otherManager = IpcIo.get(other).manager();
            ClassicProbe handler = new ClassicProbe(other);
            Path path = dir.resolve("until-shutdown.sock");
            otherManager.tell(TcpMessage.bind(handler.ref, IpcAddresses.carrier(path.toString()), 10, List.of(), false),
                handler.ref);
            handler.expect(Tcp.Bound.class);
            assertThat(Files.exists(path, LinkOption.NOFOLLOW_LINKS)).isTrue();
            other.terminate();
            other.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + ClassicProbe.TIMEOUT.toNanos();
            while (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                assertThat(System.nanoTime()).as("socket file removed after termination").isLessThan(deadline);
                Thread.onSpinWait();
            }
        } finally {
            other.terminate();
        }
    }
}
