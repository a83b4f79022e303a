package io.rzmq.benchmarks.transport;

import com.typesafe.config.ConfigFactory;
import io.rzmq.pekko.internal.transport.ByteStream;
import io.rzmq.pekko.internal.transport.ByteStreamHandler;
import io.rzmq.pekko.internal.transport.ConnectHandler;
import io.rzmq.pekko.internal.transport.PeerAddress;
import io.rzmq.pekko.internal.transport.StreamListener;
import io.rzmq.pekko.internal.transport.StreamListenerHandler;
import io.rzmq.pekko.internal.transport.StreamOptions;
import io.rzmq.pekko.internal.transport.StreamTransport;
import io.rzmq.pekko.internal.transport.loop.IoLoops;
import io.rzmq.pekko.internal.transport.loop.LoopTransport;
import io.rzmq.pekko.internal.transport.pekkoio.PekkoIoTransport;
import org.apache.pekko.actor.ActorSystem;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Round-trip latency of {@code size} bytes over the transport seam, selector loop vs Pekko IO (issue 14: the
 * old Pekko IO path was 3x libzmq at 64 B). Client and echo server in one process on two loops; each
 * invocation is {@value #ROUND_TRIPS} ping-pongs driven by the streams' callbacks on their loops (no hop
 * through the benchmark thread per message), so the figure is the transport's own.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx512m"})
public class StreamRoundTripBenchmark {
    static final int ROUND_TRIPS = 1000;

    @Param({"loop", "pekkoio"})
    public String transport;

    @Param({"64"})
    public int size;

    private ActorSystem system;
    private IoLoops loops;
    private StreamListener listener;
    private Pinger pinger;

    @Setup
    public void setUp() throws Exception {
        loops = IoLoops.start(2, "bench-loop-", "bench-loop-");
        StreamTransport t;
        if (transport.equals("pekkoio")) {
            system = ActorSystem.create("bench", ConfigFactory.load());
            loops.registerDispatchers(system, 10);
            t = new PekkoIoTransport(system, loops);
        } else {
            t = new LoopTransport(loops);
        }
        listener = t.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), StreamOptions.defaults(),
            new Echo());
        pinger = new Pinger(size);
        t.connect(listener.boundAddress(), StreamOptions.defaults(), loops.get(1), pinger);
        ByteStream s = pinger.connected.get(10, TimeUnit.SECONDS);
        s.start(pinger);
    }

    @TearDown
    public void tearDown() throws Exception {
        listener.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
        if (system != null) {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        loops.close();
    }

    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public void roundTrip() throws Exception {
        pinger.run(ROUND_TRIPS).get(60, TimeUnit.SECONDS);
    }

    /** Sends {@code size} bytes, waits for them back, repeats; completes after n round trips. On its loop. */
    static final class Pinger implements ConnectHandler, ByteStreamHandler {
        final CompletableFuture<ByteStream> connected = new CompletableFuture<>();
        private final byte[] payload;
        private final ByteBuffer[] batch = new ByteBuffer[1];
        private ByteStream stream;
        private CompletableFuture<Void> done;
        private int left;
        private int got;
        private boolean sendOnFlush;

        Pinger(int size) {
            payload = new byte[size];
        }

        CompletableFuture<Void> run(int n) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            stream.loop().execute(() -> {
                done = f;
                left = n;
                send();
            });
            return f;
        }

        private void send() {
            if (stream.writePending()) {
                sendOnFlush = true; // the echo overtook our write's ack
                return;
            }
            batch[0] = ByteBuffer.wrap(payload);
            stream.write(batch, 1);
        }

        @Override
        public void onConnected(ByteStream s) {
            stream = s;
            connected.complete(s);
        }

        @Override
        public void onConnectFailed(IOException cause) {
            connected.completeExceptionally(cause);
        }

        @Override
        public void onReceived(ByteBuffer data) {
            got += data.remaining();
            if (got < payload.length) {
                return;
            }
            got -= payload.length;
            if (--left == 0) {
                done.complete(null);
            } else {
                send();
            }
        }

        @Override
        public void onFlushed() {
            if (sendOnFlush) {
                sendOnFlush = false;
                send();
            }
        }

        @Override
        public void onPeerClosed() {
        }

        @Override
        public void onFailed(IOException cause) {
            if (done != null) {
                done.completeExceptionally(cause);
            }
        }

        @Override
        public void onClosed() {
        }
    }

    /** Echoes each connection's bytes; what arrives while a write is pending goes out on onFlushed. */
    static final class Echo implements StreamListenerHandler {
        @Override
        public void onAccepted(ByteStream stream) {
            stream.start(new ByteStreamHandler() {
                private final ByteBuffer out = ByteBuffer.allocate(1 << 20);
                private final ByteBuffer[] batch = new ByteBuffer[1];
                private boolean inFlight;

                @Override
                public void onReceived(ByteBuffer data) {
                    out.put(data);
                    pump();
                }

                private void pump() {
                    if (inFlight || out.position() == 0) {
                        return;
                    }
                    out.flip();
                    ByteBuffer copy = ByteBuffer.allocate(out.remaining()); // the next receive reuses out
                    copy.put(out).flip();
                    out.clear();
                    batch[0] = copy;
                    inFlight = !stream.write(batch, 1);
                }

                @Override
                public void onFlushed() {
                    inFlight = false;
                    pump();
                }

                @Override
                public void onPeerClosed() {
                    stream.closeGracefully();
                }

                @Override
                public void onFailed(IOException cause) {
                }

                @Override
                public void onClosed() {
                }
            });
        }

        @Override
        public void onAcceptFailed(IOException cause) {
        }

        @Override
        public void onSetupFailed(PeerAddress peer, IOException cause) {
        }
    }
}
