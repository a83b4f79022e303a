package io.rzmq.samples.guide;

import io.rzmq.pekko.Rzmq;
import io.rzmq.pekko.api.ZContext;
import io.rzmq.protocol.Msg;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import scala.jdk.javaapi.CollectionConverters;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each guide program runs to completion with small counts and returns what the pattern promises. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GuideProgramsTest {
    static ActorSystem<Void> system;
    static ZContext ctx;

    @BeforeAll
    static void start() {
        system = ActorSystem.create(Behaviors.empty(), "guide-test");
        ctx = Rzmq.get(system).defaultContext();
    }

    @AfterAll
    static void stop() throws Exception {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helloWorldAnswersEveryRequestInOrderOverTcp() throws Exception {
        List<String> replies = HelloWorld.run(ctx, "tcp://127.0.0.1:*", 4, out);
        assertThat(replies).containsExactly("World 1", "World 2", "World 3", "World 4");
        assertThat(printed()).contains("server answered 4 request(s)");
    }

    @Test
    void helloWorldRunsOverInproc() throws Exception {
        List<String> replies = HelloWorld.run(ctx, "inproc://guide-hello-test", 2, out);
        assertThat(replies).containsExactly("World 1", "World 2");
    }

    @Test
    void weatherClientSeesOnlyItsZipCodeAndAveragesThem() throws Exception {
        Weather.Report report = Weather.run(system, ctx, "tcp://127.0.0.1:*", "10003", 8, out);
        assertThat(report.updates()).hasSize(8).allSatisfy(u -> assertThat(u).startsWith("10003 "));
        double expected = report.updates().stream().mapToInt(u -> Integer.parseInt(u.split(" ")[1])).average()
            .orElseThrow();
        assertThat(report.averageTemperature()).isEqualTo(expected).isBetween(-80.0, 134.0);
    }

    @Test
    void scalaWeatherClientParsesOnlyItsZipCodeAndAveragesThem() throws Exception {
        WeatherScala.Report report = WeatherScala.run(system, ctx, "tcp://127.0.0.1:*", 10007, 8, out);
        List<WeatherScala.Update> updates = CollectionConverters.asJava(report.updates());
        assertThat(updates).hasSize(8).allSatisfy(u -> {
            assertThat(u.zip()).isEqualTo(10007);
            assertThat(u.temperature()).isBetween(-80, 134);
            assertThat(u.humidity()).isBetween(10, 59);
        });
        double expected = updates.stream().mapToInt(WeatherScala.Update::temperature).average().orElseThrow();
        assertThat(report.averageTemperature()).isEqualTo(expected);
        assertThat(printed()).contains("subscribed to zip code 10007", "server and client streams stopped");
    }

    @Test
    void scalaWeatherUpdatesRoundTripThroughMessages() {
        WeatherScala.Update update = new WeatherScala.Update(10004, -12, 40);
        assertThat(update.toMsg().firstString()).isEqualTo("10004 -12 40");
        assertThat(WeatherScala.Update$.MODULE$.parse(update.toMsg())).isEqualTo(update);
        assertThatThrownBy(() -> WeatherScala.Update$.MODULE$.parse(Msg.of("10004 hot")))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a weather update");
    }

    @Test
    void ventilatorSpreadsTasksOverAllWorkersAndTheSinkGetsEveryResult() throws Exception {
        TaskVentilator.Summary summary = TaskVentilator.run(system, ctx, 3, 12, out);
        assertThat(summary.results()).isEqualTo(12);
        assertThat(summary.total()).isEqualTo(IntStream.rangeClosed(1, 12).map(i -> i * i).sum());
        // The ventilator waits for every worker before sending, so round-robin reaches each of them.
        assertThat(summary.resultsPerWorker()).containsOnlyKeys("worker-1", "worker-2", "worker-3");
    }

    @Test
    void brokerRoutesEveryRequestToAWorkerAndTheReplyBackToItsClient() throws Exception {
        LoadBalancingBroker.Outcome outcome = LoadBalancingBroker.run(system, ctx, 3, 2, 3, out);
        assertThat(outcome.repliesPerClient()).containsOnlyKeys("client-1", "client-2", "client-3");
        outcome.repliesPerClient().forEach((client, replies) -> {
            assertThat(replies).hasSize(3);
            for (int i = 0; i < 3; i++) {
                assertThat(replies.get(i)).matches("worker-[12] answered '" + client + " request " + (i + 1) + "'");
            }
        });
        assertThat(outcome.requestsPerWorker().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(9);
    }

    @Test
    void forwarderCarriesEachTopicToItsSubscriberOnly() throws Exception {
        Map<String, List<String>> received = Forwarder.run(ctx, List.of("alpha", "beta"), 4, out);
        assertThat(received).containsOnlyKeys("alpha", "beta");
        received.forEach((topic, messages) ->
            assertThat(messages).hasSize(4).allSatisfy(m -> assertThat(m).startsWith(topic + " ")));
        assertThat(printed()).contains("proxy ended");
    }
}
