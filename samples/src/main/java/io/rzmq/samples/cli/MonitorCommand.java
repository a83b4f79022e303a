package io.rzmq.samples.cli;

import io.rzmq.pekko.Rzmq;
import io.rzmq.pekko.api.ZContext;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.pekko.model.MonitorEvent;
import io.rzmq.pekko.model.MonitorEventKind;
import io.rzmq.pekko.model.RzmqException;
import io.rzmq.pekko.stream.ZmqMonitor;
import io.rzmq.pekko.stream.ZmqStreams;
import io.rzmq.protocol.SocketType;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code monitor ENDPOINT}: opens one socket of {@code --type} on ENDPOINT (connects; {@code @ENDPOINT} binds)
 * and prints its monitor events as they happen, one line each: UTC time, kind, endpoint, peer, detail and
 * value, as {@link MonitorEvent} gives them (zmq_socket_monitor's events). It ends after {@code --count}
 * events, at the first event of kind {@code --until}, after {@code --duration}, or on Ctrl-C.
 */
@Command(name = "monitor", mixinStandardHelpOptions = true, version = "rzmq monitor 0.1",
    description = "Print a socket's monitor events live (CONNECTED, HANDSHAKE_*, DISCONNECTED, ...).",
    sortOptions = false)
public final class MonitorCommand implements Callable<Integer> {
    private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(30);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    /** Events waiting to be printed; the monitor stream itself drops the oldest beyond its own buffer. */
    private static final int QUEUE = 1024;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ENDPOINT",
        description = "Endpoint to connect to (tcp://host:port, ipc://path); @ENDPOINT binds instead")
    String endpoint;

    @Option(names = {"-t", "--type"}, paramLabel = "TYPE",
        description = "Socket type, one that pairs with the peer's (default: ${DEFAULT-VALUE}): ${COMPLETION-CANDIDATES}")
    SocketType type = SocketType.SUB;

    @Option(names = {"-n", "--count"}, paramLabel = "N", description = "Exit after N events")
    int count = -1;

    @Option(names = "--until", paramLabel = "KIND", description = "Exit after the first event of KIND, e.g. HANDSHAKE_SUCCEEDED")
    MonitorEventKind until;

    @Option(names = "--duration", paramLabel = "DURATION", converter = ZmqCli.DurationConverter.class,
        description = "Exit after watching this long, e.g. 30s (default: until Ctrl-C)")
    Duration duration;

    private final ActorSystem<?> givenSystem;

    /** A command that starts (and stops) its own actor system. */
    public MonitorCommand() {
        this(null);
    }

    /** A command that uses {@code system} and leaves it running. */
    public MonitorCommand(ActorSystem<?> system) {
        this.givenSystem = system;
    }

    /** Runs {@code monitor} with the tool's conventions; returns the exit code. */
    public static int run(String... args) {
        return commandLine(new MonitorCommand()).execute(args);
    }

    static CommandLine commandLine(MonitorCommand command) {
        return new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true).setExpandAtFiles(false);
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ActorSystem<?> system = givenSystem != null ? givenSystem : CliRuntime.newSystem("monitor");
        ZContext ctx = Rzmq.get(system).newContext("monitor");
        ArrayBlockingQueue<MonitorEvent> events = new ArrayBlockingQueue<>(QUEUE);
        AtomicLong dropped = new AtomicLong();
        try {
            long setup = System.nanoTime() + SETUP_TIMEOUT.toNanos();
            ZSocket socket = ZSocket.create(ctx, type, ctx.defaultOptions().withLinger(Duration.ZERO));
            // Watch before binding or connecting, so that the first events are seen too.
            ZmqMonitor monitor = ZmqStreams.monitor(socket)
                .toMat(Sink.foreach(e -> {
                    if (!events.offer(e)) {
                        dropped.incrementAndGet();
                    }
                }), Keep.left())
                .run(system);
            CliRuntime.await(monitor.started(), setup);
            String ep = CliRuntime.attach(socket, endpoint, false, setup);
            err.println((CliRuntime.binds(endpoint, false) ? "monitoring " + type + " bound to " : "monitoring "
                + type + " connected to ") + ep);
            err.flush();
            long end = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
            int printed = 0;
            while (count < 0 || printed < count) {
                long left = end == Long.MAX_VALUE ? TimeUnit.DAYS.toNanos(1) : end - System.nanoTime();
                MonitorEvent e = left <= 0 ? null : events.poll(left, TimeUnit.NANOSECONDS);
                if (e == null) {
                    if (end != Long.MAX_VALUE) {
                        break; // --duration is up
                    }
                    continue;
                }
                out.println(format(e));
                out.flush();
                printed++;
                if (e.kind() == until || e.kind() == MonitorEventKind.MONITOR_STOPPED) {
                    break;
                }
            }
            if (dropped.get() > 0) {
                err.println("monitor: " + dropped.get() + " events dropped (printing fell behind)");
            }
            return ZmqCli.OK;
        } catch (TimeoutException e) {
            err.println("monitor: setting up " + endpoint + " took longer than " + SETUP_TIMEOUT.toSeconds() + " s");
            return ZmqCli.FAILED;
        } catch (RzmqException e) {
            err.println("monitor: " + endpoint + ": " + e.getMessage());
            return ZmqCli.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ZmqCli.FAILED;
        } finally {
            out.flush();
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

    /** {@code 12:00:00.123 KIND endpoint peer=... (detail) value=...}. */
    static String format(MonitorEvent e) {
        return TIME.format(e.timestamp()) + " " + e;
    }
}
