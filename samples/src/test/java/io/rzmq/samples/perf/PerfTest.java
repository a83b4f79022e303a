package io.rzmq.samples.perf;

import io.rzmq.protocol.Msg;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The perf tool sends what an application would: a new message per send, and its roles pair up. */
class PerfTest {
    @Test
    void everySendGetsItsOwnCopyOfThePayload() {
        byte[] payload = {1, 2, 3, 4};
        Msg first = Perf.newMessage(payload);
        Msg second = Perf.newMessage(payload);
        assertThat(first).isNotSameAs(second);
        assertThat(first.first().unsafeArray()).isNotSameAs(payload).isNotSameAs(second.first().unsafeArray());
        payload[0] = 9; // the application reuses its buffer: messages already built must not change
        assertThat(first.first().toByteArray()).containsExactly(1, 2, 3, 4);
        assertThat(second.first().toByteArray()).containsExactly(1, 2, 3, 4);
        assertThat(Perf.newMessage(new byte[0]).byteSize()).isZero();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void throughputAndLatencyRolesPairOverTcp() throws Exception {
        String thr = "tcp://127.0.0.1:" + freePort();
        CompletableFuture<Integer> localThr = CompletableFuture.supplyAsync(
            () -> Perf.run("local_thr", new String[] {thr, "64", "20000"}));
        assertThat(Perf.run("remote_thr", new String[] {thr, "64", "20000"})).isZero();
        assertThat(localThr.get(50, TimeUnit.SECONDS)).isZero();

        String lat = "tcp://127.0.0.1:" + freePort();
        CompletableFuture<Integer> localLat = CompletableFuture.supplyAsync(
            () -> Perf.run("local_lat", new String[] {lat, "64", "200"}));
        assertThat(Perf.run("remote_lat", new String[] {lat, "64", "200"})).isZero();
        assertThat(localLat.get(50, TimeUnit.SECONDS)).isZero();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
