package io.rzmq.samples;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo tour (the README's main command) runs every section to completion. */
class DemoTest {
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theTourRunsToCompletion() throws Exception {
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "demo-test");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try {
            Demo.run(system, new PrintStream(printed, true, StandardCharsets.UTF_8));
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        String out = printed.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("(HelloWorld)", "(Weather)", "(WeatherScala)", "(TaskVentilator)", "(LoadBalancingBroker)",
            "(Forwarder)", "proxy ended", "(SecureService)", "HANDSHAKE_FAILED_AUTH 400",
            "done: every step behaved as expected");
    }
}
