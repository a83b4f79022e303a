package io.rzmq.protocol;

import io.rzmq.protocol.wire.Properties;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12 defect 4: a peer's READY / INITIATE properties were kept as a map of entries of strings and
 * arrays, about 14 times their encoded size. Measured as the heap retained by many decoded instances.
 */
class MetadataFootprintTest {
    private static final int INSTANCES = 20_000;

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** What libzmq puts in READY (Socket-Type, Identity) plus two ZMQ_METADATA "X-" properties. */
    private static byte[] typicalReady() {
        return Properties.encode(Metadata.builder()
            .put(Metadata.SOCKET_TYPE, "DEALER")
            .put(Metadata.IDENTITY, "client-0001")
            .put("X-Hostname", "worker-17.example")
            .put("X-Version", "4.3.4")
            .build());
    }

    @Test
    void decodedPropertiesCostLittleMoreThanTheirEncodedSize() {
        byte[] wire = typicalReady();
        Metadata[] keep = new Metadata[INSTANCES];
        long before = heapAfterGc();
        for (int i = 0; i < INSTANCES; i++) {
            keep[i] = Properties.decode(Frame.wrap(wire));
        }
        long retained = heapAfterGc() - before;
        double perProperty = (double) retained / INSTANCES / 4;
        double encodedPerProperty = wire.length / 4.0;
        System.out.printf("MetadataFootprintTest: %.1f bytes per property retained, %.1f encoded (%.1fx)%n",
            perProperty, encodedPerProperty, perProperty / encodedPerProperty);
        assertThat(keep[INSTANCES - 1].getString("identity")).contains("client-0001");
        // One object and one array per instance: at most twice the encoded size (it was ~8x here).
        assertThat(perProperty).isLessThan(2 * encodedPerProperty);
    }
}
