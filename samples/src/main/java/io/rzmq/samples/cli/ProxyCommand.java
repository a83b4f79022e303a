package io.rzmq.samples.cli;

import io.rzmq.pekko.Rzmq;
import io.rzmq.pekko.api.ZContext;
import io.rzmq.pekko.api.ZProxy;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.pekko.model.RzmqException;
import io.rzmq.protocol.SocketType;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code proxy FRONT BACK}: zmq_proxy between two endpoints. FRONT and BACK bind by default;
 * {@code >ENDPOINT} connects ({@code @ENDPOINT} binds explicitly). Socket types default to ROUTER/DEALER
 * (a request-reply queue); XSUB/XPUB makes a pub-sub forwarder, PULL/PUSH a pipeline streamer.
 * {@code --capture} sends a copy of every forwarded message to a third endpoint (a PUB, binding by default).
 * Runs until {@code --duration} passes, a socket fails, or Ctrl-C.
 */
@Command(name = "proxy", mixinStandardHelpOptions = true, version = "rzmq proxy 0.1",
    description = "zmq_proxy between FRONT and BACK (bound by default; >ENDPOINT connects).",
    sortOptions = false)
public final class ProxyCommand implements Callable<Integer> {
    private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(30);

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FRONT", description = "Frontend endpoint (the clients' side)")
    String front;

    @Parameters(index = "1", paramLabel = "BACK", description = "Backend endpoint (the workers' side)")
    String back;

    @Option(names = {"-F", "--front-type"}, paramLabel = "TYPE", description = "Frontend socket type (default: ${DEFAULT-VALUE})")
    SocketType frontType = SocketType.ROUTER;

    @Option(names = {"-B", "--back-type"}, paramLabel = "TYPE", description = "Backend socket type (default: ${DEFAULT-VALUE})")
    SocketType backType = SocketType.DEALER;

    @Option(names = "--capture", paramLabel = "ENDPOINT", description = "A PUB socket that gets a copy of every forwarded message")
    String capture;

    @Option(names = "--duration", paramLabel = "DURATION", converter = ZmqCli.DurationConverter.class,
        description = "Stop after this long, e.g. 60s (default: until Ctrl-C)")
    Duration duration;

    private final ActorSystem<?> givenSystem;
    /** Completing it stops the proxy (tests; the jar's command ends with the JVM). */
    final CompletableFuture<Void> stop = new CompletableFuture<>();

    /** A command that starts (and stops) its own actor system. */
    public ProxyCommand() {
        this(null);
    }

    /** A command that uses {@code system} and leaves it running. */
    public ProxyCommand(ActorSystem<?> system) {
        this.givenSystem = system;
    }

    /** Runs {@code proxy} with the tool's conventions; returns the exit code. */
    public static int run(String... args) {
        return commandLine(new ProxyCommand()).execute(args);
    }

    static CommandLine commandLine(ProxyCommand command) {
        return new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true).setExpandAtFiles(false);
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        ActorSystem<?> system = givenSystem != null ? givenSystem : CliRuntime.newSystem("proxy");
        ZContext ctx = Rzmq.get(system).newContext("proxy");
        try {
            long setup = System.nanoTime() + SETUP_TIMEOUT.toNanos();
            ZSocket f = ZSocket.create(ctx, frontType, ctx.defaultOptions());
            ZSocket b = ZSocket.create(ctx, backType, ctx.defaultOptions());
            ZSocket c = capture == null ? null : ZSocket.create(ctx, SocketType.PUB, ctx.defaultOptions());
            CompletionStage<Done> running;
            try {
                running = ZProxy.proxy(f, b, c);
            } catch (RzmqException e) {
                err.println("proxy: " + frontType + " -> " + backType + ": " + e.getMessage()
                    + " (pairs that work: ROUTER DEALER, XSUB XPUB, PULL PUSH)");
                return ZmqCli.USAGE;
            }
            if (!attach(err, "front", f, front, setup) || !attach(err, "back", b, back, setup)
                || (c != null && !attach(err, "capture", c, capture, setup))) {
                return ZmqCli.FAILED;
            }
            err.println("proxy running: " + frontType + " " + front + " <-> " + backType + " " + back);
            err.flush();
            CompletableFuture<Object> ended = CompletableFuture.anyOf(running.toCompletableFuture(), stop);
            try {
                if (duration == null) {
                    ended.get();
                } else {
                    ended.get(duration.toNanos(), TimeUnit.NANOSECONDS);
                }
            } catch (TimeoutException e) {
                return ZmqCli.OK; // --duration is up
            } catch (java.util.concurrent.ExecutionException e) {
                err.println("proxy: stopped: " + e.getCause().getMessage());
                return ZmqCli.FAILED;
            }
            return ZmqCli.OK;
        } catch (TimeoutException e) {
            err.println("proxy: setting up took longer than " + SETUP_TIMEOUT.toSeconds() + " s");
            return ZmqCli.FAILED;
        } catch (RzmqException e) {
            err.println("proxy: " + e.getMessage());
            return ZmqCli.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ZmqCli.FAILED;
        } finally {
            err.flush();
            try {
                ctx.close(Duration.ZERO).toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // exiting anyway
            }
            if (givenSystem == null) {
                system.terminate();
            }
        }
    }

    /** Binds or connects one socket and says so; false (the error printed) when that failed. */
    private static boolean attach(PrintWriter err, String role, ZSocket s, String endpoint, long deadline)
        throws TimeoutException, InterruptedException {
        String ep;
        try {
            ep = CliRuntime.attach(s, endpoint, true, deadline);
        } catch (RzmqException e) {
            err.println("proxy: " + role + " " + endpoint + ": " + e.getMessage());
            return false;
        }
        err.println((CliRuntime.binds(endpoint, true) ? role + " bound " : role + " connected ") + ep);
        return true;
    }
}
