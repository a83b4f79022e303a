package io.rzmq.protocol.connection;

import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Whatever way the bytes of a whole session are cut, the peer sees the same handshake and messages. */
class ConnectionChunkingPropertiesTest {

    private static List<Msg> sampleMessages() {
        Random r = new Random(11);
        List<Msg> msgs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int parts = 1 + r.nextInt(4);
            byte[][] frames = new byte[parts][];
            for (int p = 0; p < parts; p++) {
                frames[p] = new byte[r.nextInt(10) == 0 ? 9000 + r.nextInt(300) : r.nextInt(300)];
                r.nextBytes(frames[p]);
            }
            msgs.add(Msg.of(frames));
        }
        return msgs;
    }

    @Property(tries = 100)
    void anySplitOfTheSessionYieldsTheSameMessages(@ForAll @Size(max = 40) List<@IntRange(min = 0, max = 1_000_000) Integer> rawCuts) {
        List<Msg> msgs = sampleMessages();
        // The sender's whole output: greeting, READY, then the messages.
        ZmtpConnection sender = ZmtpConnectionTest.nullConnection(SocketType.PUSH, new RecordingHandler());
        RecordingHandler h = new RecordingHandler();
        ZmtpConnection receiver = ZmtpConnectionTest.nullConnection(SocketType.PULL, h);
        sender.start();
        receiver.start();
        Link.pump(sender, receiver, 0);
        msgs.forEach(sender::send);
        byte[] stream = Link.drain(sender);

        int[] cuts = rawCuts.stream().mapToInt(c -> c % (stream.length + 1)).sorted().toArray();
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : stream.length;
            byte[] chunk = Arrays.copyOfRange(stream, from, to);
            receiver.receive(chunk, 0, chunk.length);
            from = to;
        }
        assertThat(h.messages).isEqualTo(msgs);
    }

    @Property(tries = 30)
    void handshakeSurvivesAnySplit(@ForAll @IntRange(min = 1, max = 70) int chunkSize) {
        RecordingHandler ha = new RecordingHandler();
        RecordingHandler hb = new RecordingHandler();
        ZmtpConnection a = ZmtpConnectionTest.nullConnection(SocketType.REQ, ha);
        ZmtpConnection b = ZmtpConnectionTest.nullConnection(SocketType.REP, hb);
        a.start();
        b.start();
        Link.pump(a, b, chunkSize);
        a.send(Msg.of("", "request"));
        Link.pump(a, b, chunkSize);
        assertThat(hb.messages).containsExactly(Msg.of("", "request"));
        assertThat(ha.peer.socketType()).isEqualTo(SocketType.REP);
    }
}
