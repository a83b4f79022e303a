package io.rzmq.pekko.internal.pipe;

import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Msg;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** A conflating pipe keeps the latest message only, and every pipe command. */
class ConflatingPipeTest {

    @Test
    void keepsOnlyTheLatestMessageAndIgnoresTheHwmForMessages() {
        Pipe p = Pipe.of(1, true);
        assertThat(p.isConflating()).isTrue();
        for (int i = 0; i < 100; i++) {
            assertThat(p.offer(Msg.of("m" + i))).isTrue();
        }
        assertThat(p.size()).isEqualTo(1);
        assertThat(p.peek()).isEqualTo(Msg.of("m99"));
        assertThat(p.poll()).isEqualTo(Msg.of("m99"));
        assertThat(p.poll()).isNull();
        assertThat(p.isEmpty()).isTrue();
    }

    @Test
    void commandsAreQueuedInOrderAndReadBeforeTheLatestMessage() {
        Pipe p = Pipe.of(4, true);
        PipeCommand a = new PipeCommand.Subscribe(Frame.wrap("a".getBytes()));
        PipeCommand b = new PipeCommand.Subscribe(Frame.wrap("b".getBytes()));
        p.offer(a);
        p.offer(Msg.of("old"));
        p.offer(b);
        p.offer(Msg.of("new"));
        assertThat(p.poll()).isEqualTo(a);
        assertThat(p.poll()).isEqualTo(b);
        assertThat(p.poll()).isEqualTo(Msg.of("new"));
        assertThat(p.poll()).isNull();
    }

    @Test
    void theReaderIsWokenOnceWhenAMessageArrivesAfterItFoundThePipeEmpty() {
        Pipe p = Pipe.of(4, true);
        AtomicInteger wakeups = new AtomicInteger();
        p.onReadable(wakeups::incrementAndGet);
        assertThat(p.poll()).isNull();
        p.offer(Msg.of("one"));
        p.offer(Msg.of("two"));
        assertThat(wakeups).hasValue(1);
        assertThat(p.poll()).isEqualTo(Msg.of("two"));
    }

    @Test
    void finishesOnceTheLatestMessageIsReadAndDropsItWhenTheReaderCloses() {
        Pipe p = Pipe.of(4, true);
        p.offer(Msg.of("last"));
        p.closeWrite();
        assertThat(p.isFinished()).isFalse();
        assertThat(p.poll()).isEqualTo(Msg.of("last"));
        assertThat(p.isFinished()).isTrue();

        Pipe q = Pipe.of(4, true);
        q.offer(Msg.of("x"));
        q.closeRead();
        assertThat(q.isEmpty()).isTrue();
        assertThat(q.offer(Msg.of("y"))).isFalse();
    }

    @Test
    void aPlainPipeDoesNotConflate() {
        Pipe p = Pipe.of(2, false);
        assertThat(p.isConflating()).isFalse();
        assertThat(p.offer(Msg.of("a"))).isTrue();
        assertThat(p.offer(Msg.of("b"))).isTrue();
        assertThat(p.offer(Msg.of("c"))).isFalse();
        assertThat(p.poll()).isEqualTo(Msg.of("a"));
    }
}
