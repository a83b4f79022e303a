package io.rzmq.protocol.fuzz;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checked-in seeds are the ones {@link SeedCorpus} writes, and the recorded handshakes still complete
 * against a fresh mechanism: a seed that no longer reaches READY would leave the fuzzer stuck in the first
 * command. When a wire change breaks this, regenerate the seeds (see {@link SeedCorpus}).
 */
class SeedCorpusTest {
    static final Path ROOT = Path.of("src/test/resources/io/rzmq/protocol/fuzz");

    @Test
    void checkedInSeedsAreCurrent() throws Exception {
        for (Map.Entry<String, byte[]> e : SeedCorpus.all().entrySet()) {
            Path file = ROOT.resolve(e.getKey());
            assertThat(file).as("seed %s (run SeedCorpus to write it)", e.getKey()).exists();
            assertThat(Arrays.equals(Files.readAllBytes(file), e.getValue()))
                .as("seed %s is stale: regenerate with SeedCorpus", e.getKey()).isTrue();
        }
    }

    @Test
    void recordedHandshakesComplete() {
        for (Map.Entry<String, byte[]> e : SeedCorpus.all().entrySet()) {
            String name = e.getKey();
            if (!name.contains("/peerBytes/")) {
                continue;
            }
            Peers.Side side = Arrays.stream(Peers.Side.values())
                .filter(s -> name.startsWith(switch (s) {
                    case NULL -> "NullHandshake";
                    case PLAIN_CLIENT -> "PlainClient";
                    case PLAIN_SERVER -> "PlainServer";
                    case CURVE_CLIENT -> "CurveClient";
                    case CURVE_SERVER -> "CurveServer";
                })).findFirst().orElseThrow();
            Peers.Endpoint ours = HandshakeTarget.run(side, e.getValue());
            assertThat(ours.conn.isReady()).as("%s completes (%s)", name, ours.failure).isTrue();
            assertThat(ours.messages.size() + ours.subscriptions.size()).as("%s delivers its message", name).isEqualTo(1);
        }
    }
}
