package io.rzmq.samples.guide;

import io.rzmq.pekko.Rzmq;
import io.rzmq.pekko.api.ZContext;
import io.rzmq.pekko.security.Authenticator;
import io.rzmq.testkit.PyPeer;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client of docs/samples.md, curve_client.py (pyzmq on libzmq 4.3), against the sample's service: it
 * reads the certificate files the sample wrote with pyzmq's own loader, and libzmq's CURVE client is admitted
 * or refused by our authenticator as the certificates say.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SecureServicePyzmqTest {
    private static final String PYTHON = "/usr/bin/python3";
    static ActorSystem<Void> system;

    @TempDir
    Path certs;

    @BeforeAll
    static void start() {
        Assumptions.assumeTrue(PyPeer.available(), "pyzmq is not installed");
        system = ActorSystem.create(Behaviors.empty(), "secure-pyzmq-test");
    }

    @AfterAll
    static void stop() throws Exception {
        if (system != null) {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aPyzmqClientWithATrustedCertificateIsAnsweredAndAnUnknownOneIsRefused() throws Exception {
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        ZContext ctx = Rzmq.get(system).newContext("secure-pyzmq");
        SecureService.Certificates c = SecureService.prepare(certs, out);
        SecureService.Server server = SecureService.start(ctx, c.server(), c.clients(), "tcp://127.0.0.1:*", out);
        try {
            assertThat(client(server.endpoint(), "alice", "hi from libzmq"))
                .isEqualTo("REPLY hello alice, answer to 'hi from libzmq'");
            assertThat(server.seen()).containsExactly("hi from libzmq | " + c.alice().publicKeyZ85() + " | alice");

            assertThat(client(server.endpoint(), "mallory", "let me in")).isEqualTo("REFUSED 400");
            assertThat(server.seen()).hasSize(1);
            Authenticator.Stats stats = server.stats().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(stats.accepted()).isEqualTo(1);
            assertThat(stats.denied()).isGreaterThanOrEqualTo(1);   // libzmq reconnects and may knock again
        } finally {
            server.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);
            ctx.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** Runs curve_client.py and returns the one line it prints. */
    private String client(String endpoint, String name, String request) throws Exception {
        Path script = Path.of(SecureServicePyzmqTest.class.getResource("/curve_client.py").toURI());
        Process p = new ProcessBuilder(PYTHON, script.toString(), endpoint, certs.toString(), name, request)
            .redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("curve_client.py finished").isTrue();
        String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.exitValue()).as("curve_client.py exit; printed: " + printed).isZero();
        return printed;
    }
}
