package io.rzmq.samples.soak;

import io.rzmq.samples.cli.ZmqCli;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The soak run inside {@code mvn verify}: 60 s of traffic with disturbances (issue 12). Shorten it locally
 * with {@code -Drzmq.soak.duration=20s}. The libzmq peers run when /usr/bin/python3 can import zmq (as for
 * the interop tests); without pyzmq the rzmq-only flows run and the summary says so.
 */
class SoakTest {

    @Test
    void soakRunsWithoutViolations() throws Exception {
        Duration duration = new ZmqCli.DurationConverter().convert(System.getProperty("rzmq.soak.duration", "60s"));
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "soak-test");
        try {
            SoakRunner.Result result = CompletableFuture.supplyAsync(() -> {
                try {
                    return SoakRunner.run(system, SoakRunner.Settings.of(duration), System.out);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).get(duration.toSeconds() + 600, TimeUnit.SECONDS);
            assertThat(result.violations()).as(result.summary()).isEmpty();
            assertThat(result.passed()).as(result.summary()).isTrue();
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }
}
