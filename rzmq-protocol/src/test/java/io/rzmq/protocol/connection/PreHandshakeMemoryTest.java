package io.rzmq.protocol.connection;

import io.rzmq.protocol.Metadata;
import io.rzmq.protocol.SocketType;
import io.rzmq.protocol.ZmtpException;
import io.rzmq.protocol.security.HandshakeContext;
import io.rzmq.protocol.security.NullMechanism;
import io.rzmq.protocol.wire.Greeting;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12 defect 1: thousands of connections that each send a greeting and a frame header declaring
 * 1 MiB exhausted the heap, because the decoder allocated the declared size up front. Measured here as
 * the bytes allocated while feeding N connections (an upper bound of what they retain, since they are
 * all kept alive): on main it was over 1 MiB per connection.
 */
class PreHandshakeMemoryTest {
    private static final int CONNECTIONS = 500;
    /** Per connection: its objects, our greeting and READY output, the 102 bytes fed. Far below 1 MiB. */
    private static final long BUDGET_PER_CONNECTION = 32 * 1024;

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    private static ZmtpConnection server() {
        Metadata md = Metadata.builder().put(Metadata.SOCKET_TYPE, SocketType.PULL.zmtpName()).build();
        return new ZmtpConnection(new ZmtpConfig(SocketType.PULL, -1), new NullMechanism(HandshakeContext.of(md)),
            new RecordingHandler());
    }

    /** A NULL greeting, then a long frame header declaring 1 MiB and 29 bytes of its body: 102 bytes. */
    private static byte[] attack(int flags) {
        byte[] g = Greeting.encode("NULL", false);
        byte[] out = new byte[g.length + 9 + 29];
        System.arraycopy(g, 0, out, 0, g.length);
        out[g.length] = (byte) (flags | 0x02);
        long size = 1 << 20;
        for (int i = 0; i < 8; i++) {
            out[g.length + 1 + i] = (byte) (size >>> (56 - 8 * i));
        }
        return out;
    }

    private static long feedAll(byte[] bytes, List<ZmtpConnection> keep) {
        long before = allocatedBytes();
        for (int i = 0; i < CONNECTIONS; i++) {
            ZmtpConnection c = server();
            c.start();
            try {
                c.receive(bytes.clone(), 0, bytes.length);
            } catch (ZmtpException e) {
                // refused: also fine, as long as nothing large was allocated first
            }
            keep.add(c);
        }
        long allocated = allocatedBytes() - before;
        System.out.printf("PreHandshakeMemoryTest: %d bytes allocated per connection (flags 0x%02x)%n",
            allocated / CONNECTIONS, bytes[64] & 0xFF);
        return allocated;
    }

    @Test
    void aFloodOfGreetingsWithHugeCommandHeadersCostsLittlePerConnection() {
        List<ZmtpConnection> keep = new ArrayList<>();
        long allocated = feedAll(attack(0x04), keep);
        assertThat(allocated / CONNECTIONS).as("bytes allocated per connection").isLessThan(BUDGET_PER_CONNECTION);
        assertThat(keep).hasSize(CONNECTIONS);
    }

    @Test
    void aFloodOfGreetingsWithHugeDataHeadersCostsLittlePerConnection() {
        List<ZmtpConnection> keep = new ArrayList<>();
        long allocated = feedAll(attack(0x00), keep);
        assertThat(allocated / CONNECTIONS).as("bytes allocated per connection").isLessThan(BUDGET_PER_CONNECTION);
        assertThat(keep).hasSize(CONNECTIONS);
    }
}
