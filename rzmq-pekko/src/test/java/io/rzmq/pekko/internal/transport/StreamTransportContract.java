package io.rzmq.pekko.internal.transport;

import io.rzmq.pekko.internal.transport.loop.IoLoops;
import io.rzmq.pekko.internal.transport.loop.LoopTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static io.rzmq.pekko.internal.transport.StreamProbe.DEADLINE;
import static io.rzmq.pekko.internal.transport.StreamProbe.awaitTrue;
import static io.rzmq.pekko.internal.transport.StreamProbe.onLoop;
import static io.rzmq.pekko.internal.transport.StreamProbe.pattern;
import static io.rzmq.pekko.internal.transport.StreamProbe.patternSlices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The seam's contract, run against each implementation (a subclass per transport): data, back-pressure,
 * flush, closing, failures, listeners; every callback on its stream's loop. tcp always; ipc paths where the
 * transport serves them ({@link #servesIpc()}).
 */
public abstract class StreamTransportContract {
    /** A transport on its own loops, closed after the test. */
    public interface Fixture extends AutoCloseable {
        StreamTransport transport();

        IoLoops loops();

        @Override
        void close();
    }

    /** A transport of the implementation under test on {@code loops} new loops named {@code name}. */
    protected abstract Fixture open(int loops, String name);

    /**
     * Returns once {@code l} has acted on the pause/resume calls made before (they are asynchronous), so that
     * a connection made afterwards meets their effect.
     */
    protected abstract void awaitListenerCommands(StreamListener l) throws Exception;

    /** Whether ipc paths are served (Pekko IO: no). */
    protected abstract boolean servesIpc();

    private Fixture fixture;
    protected StreamTransport transport;
    private final List<StreamListener> listeners = new ArrayList<>();

    @BeforeEach
    void openFixture() {
        fixture = open(2, "seam-test-loop-");
        transport = fixture.transport();
    }

    @AfterEach
    void stop() {
        for (StreamListener l : listeners) {
            l.close().toCompletableFuture().join();
        }
        fixture.close();
    }

    protected Loop loop(int i) {
        return fixture.loops().get(i);
    }

    protected IoLoops loops() {
        return fixture.loops();
    }

    public static SocketAddress any(String scheme) {
        return scheme.equals("tcp") ? new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)
            : LoopTransport.freshIpcAddress();
    }

    protected void assumeScheme(String scheme) {
        assumeTrue(scheme.equals("tcp") || servesIpc(), "this transport serves tcp only");
    }

    protected StreamListener bind(String scheme, StreamOptions o, StreamListenerHandler h) throws IOException {
        assumeScheme(scheme);
        StreamListener l = transport.bind(any(scheme), o, h);
        listeners.add(l);
        return l;
    }

    /** A connection from loop {@code loop} to {@code l}, started with {@code probe}. */
    protected ByteStream connect(StreamListener l, StreamOptions o, int loop, StreamProbe probe) throws Exception {
        transport.connect(l.boundAddress(), o, loop(loop), probe);
        ByteStream s = probe.awaitConnected();
        probe.startOn(s);
        return s;
    }

    /** Accepted streams, handed to the test instead of being started. */
    public static final class Accepts implements StreamListenerHandler {
        public final LinkedBlockingQueue<ByteStream> streams = new LinkedBlockingQueue<>();
        public final LinkedBlockingQueue<String> failures = new LinkedBlockingQueue<>();

        @Override
        public void onAccepted(ByteStream stream) {
            streams.add(stream);
        }

        @Override
        public void onAcceptFailed(IOException cause) {
            failures.add("accept: " + cause.getMessage());
        }

        @Override
        public void onSetupFailed(PeerAddress peer, IOException cause) {
            failures.add("setup " + peer.display() + ": " + cause.getMessage());
        }

        public ByteStream next() throws InterruptedException {
            ByteStream s = streams.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(s).as("an accepted connection").isNotNull();
            return s;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ipc"})
    void echoesWhatItIsSentInOrder(String scheme) throws Exception {
        EchoServer echo = new EchoServer();
        StreamListener l = bind(scheme, StreamOptions.defaults(), echo);
        assertThat(l.boundEndpoint()).startsWith(scheme + "://");
        StreamProbe client = new StreamProbe(true);
        ByteStream s = connect(l, StreamOptions.defaults(), 1, client);

        long total = 3L << 20;
        ByteBuffer[] batch = patternSlices(total, 1000);
        boolean now = onLoop(s, () -> s.write(batch, batch.length));
        if (!now) {
            assertThat(client.next()).isEqualTo("flushed");
        }
        awaitTrue("the echo of " + total + " bytes", () -> client.received.get() >= total);
        byte[] back = client.keptBytes();
        assertThat(back).hasSize((int) total);
        for (int i = 0; i < total; i++) {
            if (back[i] != pattern(i)) {
                throw new AssertionError("byte " + i + " differs");
            }
        }
        onLoop(s, s::closeGracefully); // the echo closes on our end of stream; then ours completes
        assertThat(client.next()).isEqualTo("closed");
        assertThat(client.offLoop).isEmpty();
        assertThat(echo.problems).isEmpty();
        if (scheme.equals("ipc")) {
            assertThat(s.peer().isIpc()).isTrue();
            assertThat(s.peer().display()).isEqualTo(((UnixDomainSocketAddress) l.boundAddress()).getPath().toString());
        }
    }

    /**
     * 64 MiB each way at once, as one gather write of 64 KiB heap slices, into readers that suspend after each
     * chunk and are resumed a little later from another thread: nothing lost, order kept, and each writer
     * hears onFlushed exactly once, after its reader took nearly everything.
     */
    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ipc"})
    void sixtyFourMebibytesEachWayThroughSlowReaders(String scheme) throws Exception {
        long total = 64L << 20;
        Accepts accepts = new Accepts();
        StreamListener l = bind(scheme, StreamOptions.defaults(), accepts);
        java.util.concurrent.ScheduledExecutorService resumer = java.util.concurrent.Executors
            .newSingleThreadScheduledExecutor();
        try {
            SlowReader a = new SlowReader(resumer);
            transport.connect(l.boundAddress(), StreamOptions.defaults(), loop(1), a);
            ByteStream sa = a.awaitConnected();
            a.startOn(sa);
            SlowReader b = new SlowReader(resumer);
            ByteStream sb = accepts.next();
            b.startOn(sb);

            ByteBuffer[] toB = patternSlices(total, 64 << 10);
            ByteBuffer[] toA = patternSlices(total, 64 << 10);
            AtomicLong bAtFlush = new AtomicLong(-1);
            AtomicLong aAtFlush = new AtomicLong(-1);
            a.onFlush = () -> bAtFlush.set(b.received.get());
            b.onFlush = () -> aAtFlush.set(a.received.get());
            assertThat(onLoop(sa, () -> sa.write(toB, toB.length))).as("64 MiB cannot fit the kernel").isFalse();
            assertThat(onLoop(sb, () -> sb.write(toA, toA.length))).isFalse();

            assertThat(a.next()).isEqualTo("flushed");
            assertThat(b.next()).isEqualTo("flushed");
            awaitTrue("all bytes both ways", () -> a.received.get() == total && b.received.get() == total);
            assertThat(a.mismatch).as("A's data in order").isEqualTo(-1);
            assertThat(b.mismatch).as("B's data in order").isEqualTo(-1);
            // Flushed means in the kernel: at most the two socket buffers' worth can still be in flight.
            assertThat(bAtFlush.get()).isGreaterThan(total - (16L << 20));
            assertThat(aAtFlush.get()).isGreaterThan(total - (16L << 20));
            assertThat(a.suspensions).isGreaterThan(10);
            assertThat(a.whileSuspended + b.whileSuspended).as("bytes delivered while suspended").isZero();
            for (ByteBuffer x : toB) {
                assertThat(x.hasRemaining()).isFalse();
            }
            assertThat(a.events).isEmpty();
            assertThat(b.events).isEmpty();
            assertThat(a.offLoop).isEmpty();
            assertThat(b.offLoop).isEmpty();
        } finally {
            resumer.shutdownNow();
        }
    }

    /** Suspends after every chunk; resumed 1 ms later from another thread. Checks the pattern as it comes. */
    static final class SlowReader extends StreamProbe {
        private final java.util.concurrent.ScheduledExecutorService resumer;
        volatile long mismatch = -1;
        volatile int suspensions;
        volatile Runnable onFlush = () -> { };
        private long at;
        /** Loop thread only: suspended and not yet resumed. */
        private boolean suspended;
        volatile int whileSuspended;

        SlowReader(java.util.concurrent.ScheduledExecutorService resumer) {
            super(false);
            this.resumer = resumer;
        }

        @Override
        protected void data(ByteBuffer data) {
            if (suspended) {
                whileSuspended++;
            }
            while (data.hasRemaining()) {
                if (data.get() != pattern(at) && mismatch < 0) {
                    mismatch = at;
                }
                at++;
            }
            stream.suspendReading();
            suspended = true;
            suspensions++;
            ByteStream s = stream;
            resumer.schedule(() -> s.loop().execute(() -> {
                suspended = false;
                s.resumeReading();
            }), 1, TimeUnit.MILLISECONDS);
        }

        @Override
        public void onFlushed() {
            onFlush.run();
            super.onFlushed();
        }
    }

    /**
     * With small socket buffers and the reader suspended, a 8 MiB batch stays pending; onFlushed comes only
     * once the reader has taken all but what the two small kernel buffers hold. Both ends on one loop, so
     * the count at onFlushed is exact.
     */
    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ipc"})
    void onFlushedComesOnlyOnceTheKernelTookTheWholeBatch(String scheme) throws Exception {
        StreamOptions small = StreamOptions.defaults().withSndBuf(64 << 10).withRcvBuf(64 << 10);
        long total = 8L << 20;
        assumeScheme(scheme);
        try (Fixture one = open(1, "seam-flush-loop-")) {
            StreamTransport t = one.transport();
            Accepts accepts = new Accepts();
            StreamListener l = t.bind(any(scheme), small, accepts);
            StreamProbe reader = new StreamProbe(false);
            AtomicLong readAtFlush = new AtomicLong(-1);
            StreamProbe writer = new StreamProbe(false) {
                @Override
                public void onFlushed() {
                    readAtFlush.set(reader.received.get()); // same loop: exact at this moment
                    super.onFlushed();
                }
            };
            t.connect(l.boundAddress(), small, one.loops().get(0), writer);
            ByteStream w = writer.awaitConnected();
            writer.startOn(w);
            ByteStream r = accepts.next();
            onLoop(r, () -> {
                reader.startOn(r);
                r.suspendReading();
            });

            ByteBuffer[] batch = patternSlices(total, 256 << 10);
            assertThat(onLoop(w, () -> w.write(batch, batch.length))).isFalse();
            assertThat(onLoop(w, w::writePending)).isTrue();
            assertThatThrownBy(() -> onLoop(w, () -> w.write(batch, 1))).isInstanceOf(IllegalStateException.class);
            // Many loop turns later the kernel still cannot hold 8 MiB with 64 KiB buffers: nothing flushed.
            for (int i = 0; i < 50; i++) {
                onLoop(w, () -> { });
            }
            assertThat(writer.events).isEmpty();
            assertThat(reader.received.get()).as("nothing read while suspended").isZero();

            onLoop(r, r::resumeReading);
            assertThat(writer.next()).isEqualTo("flushed");
            assertThat(readAtFlush.get()).as("read when the flush was reported")
                .isGreaterThan(total - (1L << 20));
            awaitTrue("all read", () -> reader.received.get() == total);
            assertThat(writer.events).isEmpty();
            assertThat(onLoop(w, w::writePending)).isFalse();
            assertThat(reader.offLoop).isEmpty();
            assertThat(writer.offLoop).isEmpty();
            l.close().toCompletableFuture().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ipc"})
    void thePeersEndOfStreamIsOnPeerClosedAndCloseThenCompletes(String scheme) throws Exception {
        Accepts accepts = new Accepts();
        StreamListener l = bind(scheme, StreamOptions.defaults(), accepts);
        StreamProbe client = new StreamProbe(true);
        ByteStream c = connect(l, StreamOptions.defaults(), 1, client);
        ByteStream server = accepts.next();
        StreamProbe serverProbe = new StreamProbe(false);
        serverProbe.startOn(server);

        // The server says goodbye and closes gracefully: the client reads the bytes, then end of stream.
        onLoop(server, () -> {
            server.write(new ByteBuffer[] {ByteBuffer.wrap("bye".getBytes())}, 1);
            server.closeGracefully();
        });
        assertThat(client.next()).isEqualTo("peerClosed");
        assertThat(new String(client.keptBytes())).isEqualTo("bye");
        // Half-closed: the client may still write, then closes.
        onLoop(c, () -> {
            c.write(new ByteBuffer[] {ByteBuffer.wrap("ok".getBytes())}, 1);
            c.closeGracefully();
        });
        assertThat(client.next()).isEqualTo("closed");
        assertThat(serverProbe.next()).isEqualTo("closed");
        assertThat(serverProbe.received.get()).as("no onReceived after closeGracefully").isZero();
        assertThat(client.offLoop).isEmpty();
        assertThat(serverProbe.offLoop).isEmpty();
    }

    @Test
    void abortResetsTheConnection() throws Exception {
        Accepts accepts = new Accepts();
        StreamListener l = bind("tcp", StreamOptions.defaults(), accepts);
        try (Socket peer = new Socket()) {
            peer.connect(l.boundAddress());
            peer.getOutputStream().write("hello".getBytes());
            ByteStream s = accepts.next();
            StreamProbe probe = new StreamProbe(false);
            probe.startOn(s);
            awaitTrue("hello read", () -> probe.received.get() == 5);
            onLoop(s, s::abort);
            assertThat(probe.next()).isEqualTo("closed");
            peer.setSoTimeout((int) DEADLINE.toMillis());
            InputStream in = peer.getInputStream();
            assertThatThrownBy(in::read).isInstanceOf(SocketException.class).hasMessageContaining("reset");
        }
    }

    @Test
    void aResetByThePeerIsOnFailedWithTheCause() throws Exception {
        Accepts accepts = new Accepts();
        StreamListener l = bind("tcp", StreamOptions.defaults(), accepts);
        Socket peer = new Socket();
        peer.connect(l.boundAddress());
        ByteStream s = accepts.next();
        StreamProbe probe = new StreamProbe(false);
        probe.startOn(s);
        peer.setSoLinger(true, 0);
        peer.close(); // RST
        assertThat(probe.next()).isEqualTo("failed");
        assertThat(probe.failure).isInstanceOf(IOException.class).hasMessageContaining("reset");
        assertThat(probe.events).as("one terminal callback").isEmpty();
        assertThat(probe.offLoop).isEmpty();
    }

    /**
     * Input we never read must not turn our graceful close into a reset: a reset would drop what is still in
     * our kernel send queue. 8 MiB written then closed at once; the peer still reads every byte and a clean
     * end of stream, and our close completes once it has closed too.
     */
    @Test
    void closingGracefullyWithUnreadInputStillDeliversEverything() throws Exception {
        Accepts accepts = new Accepts();
        StreamListener l = bind("tcp", StreamOptions.defaults(), accepts);
        int total = 8 << 20;
        try (Socket peer = new Socket()) {
            peer.connect(l.boundAddress());
            peer.getOutputStream().write(new byte[200_000]); // sits unread in our receive buffer
            ByteStream s = accepts.next();
            StreamProbe probe = new StreamProbe(false);
            onLoop(s, () -> {
                probe.startOn(s);
                s.suspendReading();
            });
            ByteBuffer[] batch = patternSlices(total, 64 << 10);
            onLoop(s, () -> {
                s.write(batch, batch.length);
                s.closeGracefully();
            });
            peer.setSoTimeout((int) DEADLINE.toMillis());
            byte[] got = peer.getInputStream().readAllBytes(); // throws on a reset
            assertThat(got).hasSize(total);
            for (int i = 0; i < total; i++) {
                if (got[i] != pattern(i)) {
                    throw new AssertionError("byte " + i + " differs");
                }
            }
            peer.close();
            assertThat(probe.next()).isEqualTo("closed");
            assertThat(probe.received.get()).isZero();
        }
    }

    @Test
    void tcpConnectRefusedIsAConnectFailure() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        StreamProbe probe = new StreamProbe(false);
        transport.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), StreamOptions.defaults(),
            loop(1), probe);
        assertThatThrownBy(probe::awaitConnected).isInstanceOf(ExecutionException.class)
            .hasCauseInstanceOf(ConnectException.class);
        awaitTrue("the failed connect no longer counts", () -> loops().get(1).connections() == 0);
    }

    @Test
    void aConnectionWhoseTuningTheKernelRefusesIsResetAndReportedWhileTheListenerGoesOn() throws Exception {
        assumeTrue(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux"),
            "Linux refuses TCP_KEEPIDLE above 32767 s");
        Accepts accepts = new Accepts();
        StreamOptions bad = StreamOptions.defaults().withKeepAlive(1).withKeepAliveIdle(40_000);
        StreamListener l = bind("tcp", bad, accepts);
        for (int i = 0; i < 2; i++) {
            try (Socket peer = new Socket()) {
                peer.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                int port = peer.getLocalPort();
                try {
                    peer.connect(l.boundAddress());
                } catch (SocketException e) {
                    // the reset can overtake the connect's end
                }
                String f = accepts.failures.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(f).isNotNull().startsWith("setup 127.0.0.1:" + port).contains("TCP_KEEPIDLE");
            }
        }
        assertThat(accepts.streams).isEmpty();
        // And a connect with those options fails as a whole.
        StreamProbe probe = new StreamProbe(false);
        StreamListener good = bind("tcp", StreamOptions.defaults(), new Accepts());
        transport.connect(good.boundAddress(), bad, loop(0), probe);
        assertThatThrownBy(probe::awaitConnected).hasMessageContaining("TCP_KEEPIDLE");
    }

    @Test
    void aClosedTcpListenerFreesItsPortAtOnce() throws Exception {
        StreamListener l = transport.bind(any("tcp"), StreamOptions.defaults(), new Accepts());
        SocketAddress bound = l.boundAddress();
        l.close().toCompletableFuture().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        StreamListener again = bind("tcp", StreamOptions.defaults(), new Accepts());
        assertThat(again.boundAddress()).isNotNull();
        StreamListener same = transport.bind(bound, StreamOptions.defaults(), new Accepts());
        listeners.add(same);
        assertThat(same.boundAddress()).isEqualTo(bound);
    }

    /**
     * A paused listener leaves new connections in the backlog (the kernel completes their handshake, nobody
     * accepts them); resumed, it accepts them.
     */
    @Test
    void aPausedListenerAcceptsNothingUntilResumed() throws Exception {
        Accepts accepts = new Accepts();
        StreamListener l = bind("tcp", StreamOptions.defaults(), accepts);
        try (Socket first = new Socket()) {
            first.connect(l.boundAddress());
            ByteStream one = accepts.next();
            onLoop(one, one::abort);
            l.pauseAccepting();
            awaitListenerCommands(l);
            try (Socket second = new Socket(); Socket third = new Socket()) {
                second.connect(l.boundAddress());
                third.connect(l.boundAddress());
                assertThat(accepts.streams.poll(300, TimeUnit.MILLISECONDS)).as("accepted while paused").isNull();
                l.resumeAccepting();
                ByteStream a = accepts.next();
                ByteStream b = accepts.next();
                onLoop(a, a::abort);
                onLoop(b, b::abort);
            }
        }
        assertThat(accepts.failures).isEmpty();
    }

    @Test
    void streamMethodsOffTheLoopThreadAreRefused() throws Exception {
        Accepts accepts = new Accepts();
        StreamListener l = bind("tcp", StreamOptions.defaults(), accepts);
        StreamProbe probe = new StreamProbe(false);
        ByteStream s = connect(l, StreamOptions.defaults(), 0, probe);
        assertThatThrownBy(s::suspendReading).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> s.write(new ByteBuffer[0], 0)).isInstanceOf(IllegalStateException.class);
        onLoop(s, s::abort);
        assertThat(probe.next()).isEqualTo("closed");
        AtomicBoolean more = new AtomicBoolean();
        onLoop(s, () -> more.set(s.write(new ByteBuffer[] {ByteBuffer.allocate(1)}, 1)));
        assertThat(more.get()).as("a write after close is not taken").isFalse();
        assertThat(probe.events).isEmpty();
    }
}
