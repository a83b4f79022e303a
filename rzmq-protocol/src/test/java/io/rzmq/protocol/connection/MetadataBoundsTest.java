package io.rzmq.protocol.connection;

import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Metadata;
import io.rzmq.protocol.SocketType;
import io.rzmq.protocol.ZmtpException;
import io.rzmq.protocol.security.HandshakeContext;
import io.rzmq.protocol.security.NullMechanism;
import io.rzmq.protocol.wire.Commands;
import io.rzmq.protocol.wire.FrameEncoder;
import io.rzmq.protocol.wire.Greeting;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue 12 defect 4: the peer's handshake metadata is bounded in property count and size. */
class MetadataBoundsTest {

    private static ZmtpConnection pull() {
        Metadata md = Metadata.builder().put(Metadata.SOCKET_TYPE, SocketType.PULL.zmtpName()).build();
        ZmtpConnection c = new ZmtpConnection(new ZmtpConfig(SocketType.PULL, -1), new NullMechanism(HandshakeContext.of(md)),
            new RecordingHandler());
        c.start();
        return c;
    }

    private static byte[] greetingAndReady(Metadata props) {
        FrameEncoder e = new FrameEncoder();
        e.writeRaw(Greeting.encode("NULL", false));
        e.writeCommand(Commands.ready(props));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Frame f : e.takeOutput()) {
            out.write(f.unsafeArray(), f.offset(), f.size());
        }
        return out.toByteArray();
    }

    private static Metadata.Builder push(int extra, int valueSize) {
        Metadata.Builder b = Metadata.builder().put(Metadata.SOCKET_TYPE, "PUSH");
        for (int i = 0; i < extra; i++) {
            b.put("X-P" + i, new byte[valueSize]);
        }
        return b;
    }

    @Test
    void sixtyFourPropertiesAreAcceptedAndSixtyFiveRefused() {
        ZmtpConnection ok = pull();
        byte[] good = greetingAndReady(push(63, 8).build());
        ok.receive(good, 0, good.length);
        assertThat(ok.isReady()).isTrue();
        assertThat(ok.peer().metadata().size()).isEqualTo(64);

        ZmtpConnection bad = pull();
        byte[] tooMany = greetingAndReady(push(64, 8).build());
        assertThatThrownBy(() -> bad.receive(tooMany, 0, tooMany.length))
            .isInstanceOfSatisfying(ZmtpException.class, e -> {
                assertThat(e.kind()).isEqualTo(ZmtpException.Kind.PROTOCOL);
                assertThat(e.getMessage()).contains("rzmq.handshake.max-properties");
            });
    }

    @Test
    void metadataOverEightKibIsRefusedEvenUnderTheCommandCap() {
        // Socket-Type (21 bytes) + one property of 8,180 bytes: 8,201 bytes of metadata in a 9 KiB command.
        ZmtpConnection bad = pull();
        byte[] big = greetingAndReady(push(1, 8180 - 4 - 4).build());
        assertThatThrownBy(() -> bad.receive(big, 0, big.length))
            .isInstanceOfSatisfying(ZmtpException.class,
                e -> assertThat(e.getMessage()).contains("rzmq.handshake.max-properties-size"));
        ZmtpConnection ok = pull();
        byte[] fits = greetingAndReady(push(1, 8000).build());
        ok.receive(fits, 0, fits.length);
        assertThat(ok.isReady()).isTrue();
    }

    @Test
    void compactMetadataKeepsItsMeaning() {
        Metadata md = Metadata.builder().put("Socket-Type", "DEALER").put("X-a", "1").put("x-A", "2")
            .put("Identity", new byte[] {1, 2}).build();
        assertThat(md.size()).isEqualTo(3);
        assertThat(md.getString("SOCKET-TYPE")).contains("DEALER");
        assertThat(md.getString("x-a")).contains("2");
        assertThat(md.names()).containsExactly("Socket-Type", "x-A", "Identity");
        assertThat(md.names().get(0)).isSameAs(Metadata.SOCKET_TYPE);
        assertThat(md.get("identity")).hasValueSatisfying(v -> assertThat(v).containsExactly(1, 2));
        assertThat(md.contains("nope")).isFalse();
        // A name given twice on the wire: the later value wins.
        byte[] twice = {1, 'A', 0, 0, 0, 1, 'x', 1, 'a', 0, 0, 0, 1, 'y'};
        Metadata d = Metadata.decode(Frame.wrap(twice), 64, 8192);
        assertThat(d.size()).isEqualTo(1);
        assertThat(d.getString("a")).contains("y");
    }
}
