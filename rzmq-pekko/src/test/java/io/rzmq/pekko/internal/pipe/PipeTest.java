package io.rzmq.pekko.internal.pipe;

import io.rzmq.protocol.Msg;
import org.junit.jupiter.api.Test;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PipeTest {

    @Test
    void readerWakesOnceWhenDataArrivesAfterItFoundThePipeEmpty() {
        Pipe pipe = new Pipe(10);
        AtomicInteger wakes = new AtomicInteger();
        pipe.onReadable(wakes::incrementAndGet);

        assertThat(pipe.offer("a")).isTrue();
        assertThat(wakes).hasValue(0); // the reader never looked: nobody to wake

        assertThat(pipe.poll()).isEqualTo("a");
        assertThat(pipe.poll()).isNull(); // found empty: arms the wake-up
        assertThat(pipe.offer("b")).isTrue();
        assertThat(pipe.offer("c")).isTrue();
        assertThat(wakes).hasValue(1); // one edge, not one per item
        assertThat(pipe.poll()).isEqualTo("b");
        assertThat(pipe.poll()).isEqualTo("c");
        assertThat(pipe.poll()).isNull();
        assertThat(pipe.offer("d")).isTrue();
        assertThat(wakes).hasValue(2);
    }

    @Test
    void writerIsRefusedAtTheHwmAndWokenAtHalf() {
        Pipe pipe = new Pipe(4);
        AtomicInteger wakes = new AtomicInteger();
        pipe.onWritable(wakes::incrementAndGet);
        for (int i = 0; i < 4; i++) {
            assertThat(pipe.offer(i)).isTrue();
        }
        assertThat(pipe.isFull()).isTrue();
        assertThat(pipe.offer(4)).isFalse();
        assertThat(pipe.offer(4)).isFalse();
        assertThat(pipe.size()).isEqualTo(4);

        assertThat(pipe.poll()).isEqualTo(0); // 3 left: above the low-water mark of 2
        assertThat(wakes).hasValue(0);
        assertThat(pipe.poll()).isEqualTo(1); // 2 left: room, wake the writer once
        assertThat(wakes).hasValue(1);
        assertThat(pipe.poll()).isEqualTo(2);
        assertThat(wakes).hasValue(1);
        assertThat(pipe.offer(4)).isTrue();
    }

    @Test
    void noWriterWakeUpWithoutARefusedOffer() {
        Pipe pipe = new Pipe(2);
        AtomicInteger wakes = new AtomicInteger();
        pipe.onWritable(wakes::incrementAndGet);
        pipe.offer(1);
        pipe.offer(2);
        pipe.poll();
        pipe.poll();
        assertThat(wakes).hasValue(0);
    }

    @Test
    void hwmOfOneHoldsOneItem() {
        Pipe pipe = new Pipe(1);
        assertThat(pipe.offer("x")).isTrue();
        assertThat(pipe.offer("y")).isFalse();
        assertThat(pipe.poll()).isEqualTo("x");
        assertThat(pipe.offer("y")).isTrue();
        assertThatThrownBy(() -> new Pipe(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closeWriteLetsTheReaderDrainThenFinish() {
        Pipe pipe = new Pipe(10);
        AtomicInteger wakes = new AtomicInteger();
        pipe.onReadable(wakes::incrementAndGet);
        pipe.offer("a");
        pipe.closeWrite();
        assertThat(pipe.offer("late")).isFalse();
        assertThat(pipe.isWriteClosed()).isTrue();
        assertThat(pipe.isFinished()).isFalse();
        assertThat(pipe.poll()).isEqualTo("a");
        assertThat(pipe.poll()).isNull();
        assertThat(pipe.isFinished()).isTrue();

        Pipe idle = new Pipe(10);
        AtomicInteger idleWakes = new AtomicInteger();
        idle.onReadable(idleWakes::incrementAndGet);
        assertThat(idle.poll()).isNull(); // reader asleep
        idle.closeWrite();
        assertThat(idleWakes).hasValue(1); // the close wakes it so it can notice
        assertThat(idle.isFinished()).isTrue();
    }

    @Test
    void abortWriteHidesWhatWasQueued() {
        Pipe pipe = new Pipe(10);
        pipe.offer("a");
        pipe.offer("b");
        pipe.abortWrite();
        assertThat(pipe.isFinished()).isTrue();
        assertThat(pipe.peek()).isNull();
        assertThat(pipe.poll()).isNull();
    }

    @Test
    void closeReadRefusesTheWriterAndWakesItIfItWasWaiting() {
        Pipe pipe = new Pipe(1);
        AtomicInteger wakes = new AtomicInteger();
        pipe.onWritable(wakes::incrementAndGet);
        pipe.offer("a");
        assertThat(pipe.offer("b")).isFalse(); // writer now waits for room
        pipe.closeRead();
        assertThat(wakes).hasValue(1); // ...and learns the reader is gone
        assertThat(pipe.isReaderClosed()).isTrue();
        assertThat(pipe.offer("c")).isFalse();
        assertThat(pipe.size()).isZero();
    }

    @Test
    void drainStopsAtTheLimitOrWhenTheConsumerSaysSo() {
        Pipe pipe = new Pipe(10);
        for (int i = 0; i < 6; i++) {
            pipe.offer(i);
        }
        assertThat(pipe.drain(x -> true, 4)).isEqualTo(4);
        assertThat(pipe.drain(x -> false, 10)).isEqualTo(1); // consumer took one and stopped
        assertThat(pipe.drain(x -> true, 10)).isEqualTo(1);
        assertThat(pipe.drain(x -> true, 10)).isZero();
    }

    /**
     * A producer and a consumer thread that park whenever the pipe says so and rely only on the
     * wake-ups to continue: a lost wake-up would hang (caught by the deadline), a lost or reordered
     * item fails the sequence check.
     */
    @Test
    void concurrentProducerAndConsumerNeverLoseAWakeUpOrAnItem() throws Exception {
        Pipe pipe = new Pipe(64);
        int count = 2_000_000;
        Semaphore readable = new Semaphore(0);
        Semaphore writable = new Semaphore(0);
        pipe.onReadable(readable::release);
        pipe.onWritable(writable::release);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Msg[] items = {Msg.of("x"), Msg.of("y")};

        Thread producer = new Thread(() -> {
            try {
                for (int i = 0; i < count; i++) {
                    Object item = (i & 1023) == 0 ? Integer.valueOf(i) : items[i & 1];
                    while (!pipe.offer(item)) {
                        if (!writable.tryAcquire(10, TimeUnit.SECONDS)) {
                            throw new AssertionError("writer never woken at item " + i);
                        }
                    }
                }
                pipe.closeWrite();
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        }, "pipe-producer");
        Thread consumer = new Thread(() -> {
            try {
                int n = 0;
                while (true) {
                    Object item = pipe.poll();
                    if (item == null) {
                        if (pipe.isFinished()) {
                            break;
                        }
                        if (!readable.tryAcquire(10, TimeUnit.SECONDS)) {
                            throw new AssertionError("reader never woken after item " + n);
                        }
                        continue;
                    }
                    Object expected = (n & 1023) == 0 ? Integer.valueOf(n) : items[n & 1];
                    if (!expected.equals(item)) {
                        throw new AssertionError("item " + n + " was " + item);
                    }
                    n++;
                }
                if (n != count) {
                    throw new AssertionError("consumed " + n + " of " + count);
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        }, "pipe-consumer");
        producer.start();
        consumer.start();
        producer.join(60_000);
        consumer.join(60_000);
        assertThat(producer.isAlive()).as("producer finished").isFalse();
        assertThat(consumer.isAlive()).as("consumer finished").isFalse();
        assertThat(failure.get()).isNull();
    }
}
