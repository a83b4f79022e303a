package io.rzmq.pekko.internal.transport.loop;

import io.rzmq.pekko.internal.transport.StreamListener;
import io.rzmq.pekko.internal.transport.StreamOptions;
import io.rzmq.pekko.internal.transport.StreamProbe;
import io.rzmq.pekko.internal.transport.StreamTransport;
import io.rzmq.pekko.internal.transport.StreamTransportContract;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.rzmq.pekko.internal.transport.StreamProbe.DEADLINE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The seam's contract on the selector loop (tcp and ipc paths), and what only ipc paths have. */
class LoopTransportTest extends StreamTransportContract {

    /** The selector transport on {@code n} new loops. */
    static Fixture loopFixture(int n, String name) {
        IoLoops loops = IoLoops.start(n, name, name);
        LoopTransport t = new LoopTransport(loops);
        return new Fixture() {
            @Override
            public StreamTransport transport() {
                return t;
            }

            @Override
            public IoLoops loops() {
                return loops;
            }

            @Override
            public void close() {
                loops.close();
            }
        };
    }

    @Override
    protected Fixture open(int loops, String name) {
        return loopFixture(loops, name);
    }

    @Override
    protected boolean servesIpc() {
        return true;
    }

    @Override
    protected void awaitListenerCommands(StreamListener l) throws Exception {
        CompletableFuture<Void> barrier = new CompletableFuture<>();
        loops().get(0).execute(() -> barrier.complete(null)); // the listener's commands run on loop 0, in order
        barrier.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void ipcConnectToNothingIsAConnectFailure() {
        StreamProbe probe = new StreamProbe(false);
        transport.connect(LoopTransport.freshIpcAddress(), StreamOptions.defaults(), loops().get(0), probe);
        assertThatThrownBy(probe::awaitConnected).isInstanceOf(ExecutionException.class)
            .hasCauseInstanceOf(IOException.class);
    }

    @Test
    void ipcBindReplacesAStaleSocketFileButNotALiveOneAndRemovesItsOwnOnClose() throws Exception {
        UnixDomainSocketAddress path = LoopTransport.freshIpcAddress();
        // A stale socket file: bound by a channel that is closed without removing it.
        try (var ch = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            ch.bind(path);
        }
        assertThat(Files.exists(path.getPath())).isTrue();
        StreamListener l = transport.bind(path, StreamOptions.defaults(), new Accepts());
        assertThatThrownBy(() -> transport.bind(path, StreamOptions.defaults(), new Accepts()))
            .isInstanceOf(IOException.class).hasMessageContaining("address in use");
        l.close().toCompletableFuture().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(Files.exists(path.getPath())).isFalse();

        Path plain = Files.createTempFile("rzmq-seam", ".txt");
        try {
            assertThatThrownBy(() -> transport.bind(UnixDomainSocketAddress.of(plain), StreamOptions.defaults(),
                new Accepts())).hasMessageContaining("not a socket");
            assertThat(Files.exists(plain)).isTrue();
        } finally {
            Files.deleteIfExists(plain);
        }
    }

}
