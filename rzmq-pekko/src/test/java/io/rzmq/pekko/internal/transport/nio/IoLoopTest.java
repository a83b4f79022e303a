package io.rzmq.pekko.internal.transport.nio;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The I/O loop as an executor: order, wake-ups from other threads, and shutdown. */
class IoLoopTest {
    private final IoLoop loop = IoLoop.standalone("io-loop-test");

    @AfterEach
    void stop() throws InterruptedException {
        loop.shutdown();
        assertThat(loop.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void tasksRunInOrderOnTheLoopThreadWhichKnowsItsLoop() throws Exception {
        List<Integer> order = new CopyOnWriteArrayList<>();
        CompletableFuture<IoLoop> seen = new CompletableFuture<>();
        for (int i = 0; i < 1000; i++) {
            int n = i;
            // Some tasks queue more work from the loop itself: it runs after what was already queued.
            loop.execute(() -> order.add(n));
        }
        loop.execute(() -> seen.complete(loop.onLoopThread() ? IoLoop.current() : null));
        assertThat(seen.get(10, TimeUnit.SECONDS)).isSameAs(loop);
        assertThat(order).hasSize(1000);
        for (int i = 0; i < 1000; i++) {
            assertThat(order.get(i)).isEqualTo(i);
        }
        assertThat(IoLoop.current()).isNull();
    }

    @Test
    void aTaskFromAnotherThreadWakesALoopBlockedInSelect() throws Exception {
        // Once the loop has nothing to do it blocks in select(); every later task must still run.
        for (int round = 0; round < 200; round++) {
            CountDownLatch ran = new CountDownLatch(1);
            loop.execute(ran::countDown);
            assertThat(ran.await(10, TimeUnit.SECONDS)).as("round %d", round).isTrue();
        }
    }

    @Test
    void tasksQueuedFromTheLoopRunWithoutAnyOtherThreadsHelp() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        loop.execute(() -> chain(100, done));
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    }

    private void chain(int left, CountDownLatch done) {
        if (left == 0) {
            done.countDown();
        } else {
            loop.execute(() -> chain(left - 1, done));
        }
    }

    @Test
    void shutdownClosesWhatIsStillRegistered() throws Exception {
        CompletableFuture<ServerSocketChannel> registered = new CompletableFuture<>();
        CountDownLatch closedOnShutdown = new CountDownLatch(1);
        loop.execute(() -> {
            try {
                ServerSocketChannel ch = ServerSocketChannel.open();
                ch.bind(new InetSocketAddress("127.0.0.1", 0));
                ch.configureBlocking(false);
                ch.register(loop.selector(), SelectionKey.OP_ACCEPT, new IoLoop.Ready() {
                    @Override
                    public void onReady(SelectionKey key) {
                    }

                    @Override
                    public void onShutdown() {
                        try {
                            ch.close();
                        } catch (IOException ignored) {
                            // closing anyway
                        }
                        closedOnShutdown.countDown();
                    }
                });
                registered.complete(ch);
            } catch (IOException e) {
                registered.completeExceptionally(e);
            }
        });
        ServerSocketChannel ch = registered.get(10, TimeUnit.SECONDS);
        loop.shutdown();
        assertThat(loop.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(closedOnShutdown.getCount()).isZero();
        assertThat(ch.isOpen()).isFalse();
        assertThat(loop.isShutdown()).isTrue();
    }
}
