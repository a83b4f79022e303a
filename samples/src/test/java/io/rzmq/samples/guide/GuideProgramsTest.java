package io.rzmq.samples.guide;

import io.rzmq.pekko.model.MonitorEventKind;

import io.rzmq.pekko.Rzmq;
import io.rzmq.pekko.model.MonitorEvent;
import io.rzmq.pekko.api.ZContext;
import io.rzmq.pekko.security.ZCert;
import io.rzmq.protocol.Msg;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import scala.jdk.javaapi.CollectionConverters;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

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

    @Test
    void secureServiceAdmitsTheTrustedClientOnlyAndTellsTheServerWhoItIs(@TempDir Path certs) throws Exception {
        // A context of its own: the authenticator is the context's one ZAP handler.
        ZContext secure = Rzmq.get(system).newContext("secure-test");
        SecureService.Outcome outcome;
        try {
            outcome = SecureService.run(system, secure, certs, 3, out);
        } finally {
            secure.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        SecureService.Certificates c = outcome.certificates();
        assertThat(c.generated()).containsExactly("server", "alice", "mallory");

        // alice: admitted, answered, and the server saw her key (User-Id) and her certificate's name.
        assertThat(outcome.admitted().clientEvent().kind()).isEqualTo(MonitorEventKind.HANDSHAKE_SUCCEEDED);
        assertThat(outcome.admitted().replies()).containsExactly("hello alice, answer to 'alice request 1'",
            "hello alice, answer to 'alice request 2'", "hello alice, answer to 'alice request 3'");
        assertThat(outcome.seenByServer()).containsExactly(
            "alice request 1 | " + c.alice().publicKeyZ85() + " | alice",
            "alice request 2 | " + c.alice().publicKeyZ85() + " | alice",
            "alice request 3 | " + c.alice().publicKeyZ85() + " | alice");

        // mallory: refused by the authenticator (400), on both ends, and no reply.
        for (MonitorEvent e : List.of(outcome.unknownKey().clientEvent(), outcome.unknownKey().serverEvent())) {
            assertThat(e.kind()).isEqualTo(MonitorEventKind.HANDSHAKE_FAILED_AUTH);
            assertThat(e.value()).isEqualTo(400);
        }
        assertThat(outcome.unknownKey().replies()).isEmpty();

        // The wrong server key: the server cannot open the HELLO; the authenticator is never asked.
        assertThat(outcome.wrongServerKey().serverEvent().kind().isHandshakeFailure()).isTrue();
        assertThat(outcome.wrongServerKey().clientEvent().kind()).isNotEqualTo(MonitorEventKind.HANDSHAKE_SUCCEEDED);
        assertThat(outcome.wrongServerKey().replies()).isEmpty();
        assertThat(outcome.authenticator().requests()).isEqualTo(2);
        assertThat(outcome.authenticator().accepted()).isEqualTo(1);
        assertThat(outcome.authenticator().denied()).isEqualTo(1);
        assertThat(printed()).contains("HANDSHAKE_FAILED_AUTH 400", "no reply within", "server answered 3 request(s)");

        // The files: secrets owner-only, and the trusted directory holds alice's public certificate only.
        for (String name : List.of("server", "alice", "mallory")) {
            assertThat(ZCert.loadWithSecret(certs.resolve(name)).keyPair()).isPresent();
            if (Files.getFileStore(certs).supportsFileAttributeView("posix")) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(certs.resolve(name + "_secret"))))
                    .isEqualTo("rw-------");
            }
        }
        try (Stream<Path> trusted = Files.list(c.clients())) {
            assertThat(trusted.map(p -> p.getFileName().toString())).containsExactly("alice");
        }
        ZCert trustedAlice = ZCert.load(c.clients().resolve("alice"));
        assertThat(trustedAlice.hasSecretKey()).isFalse();
        assertThat(trustedAlice.publicKeyZ85()).isEqualTo(c.alice().publicKeyZ85());
    }

    @Test
    void secureServiceLoadsTheCertificatesOfAGivenDirectory(@TempDir Path certs) throws Exception {
        SecureService.Certificates first = SecureService.prepare(certs, out);
        ZContext secure = Rzmq.get(system).newContext("secure-test-again");
        SecureService.Outcome again;
        try {
            again = SecureService.run(system, secure, certs, 1, out);
        } finally {
            secure.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        assertThat(again.certificates().generated()).isEmpty();
        assertThat(again.certificates().server()).isEqualTo(first.server());
        assertThat(again.certificates().alice()).isEqualTo(first.alice());
        assertThat(again.admitted().replies()).hasSize(1);
        assertThat(again.unknownKey().replies()).isEmpty();
        assertThat(printed()).contains("(all loaded)");
    }
}
