package io.rzmq.samples.soak;

import io.rzmq.samples.cli.ZmqCli;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** {@code rzmq-samples.jar soak [--duration 60s] ...}: the soak run; exit status 0 = no violation, 1 = some. */
@Command(name = "soak", mixinStandardHelpOptions = true,
    description = "Runs sequenced PUSH/PULL and REQ/REP traffic (rzmq and libzmq peers, tcp and ipc) while peers "
        + "crash and restart, garbage connections arrive, consumers are slow, sockets churn and CURVE clients use "
        + "wrong keys; checks order, loss, heap, threads and fds. See docs/soak.md.")
public final class SoakCommand implements Callable<Integer> {
    @Option(names = "--duration", paramLabel = "DURATION", converter = ZmqCli.DurationConverter.class,
        description = "How long the traffic and disturbances run (default 60s; e.g. 30m)")
    Duration duration = Duration.ofSeconds(60);

    @Option(names = "--rate", paramLabel = "N", description = "Messages per second of each sequenced sender (default 500)")
    int rate = 500;

    @Option(names = "--kill-every", paramLabel = "DURATION", converter = ZmqCli.DurationConverter.class,
        description = "Mean time between two kills of each libzmq peer (in-process peers: half of it; default 8s)")
    Duration killEvery = Duration.ofSeconds(8);

    @Option(names = "--no-libzmq", description = "Leave out the libzmq (pyzmq) peers")
    boolean noLibzmq;

    @Option(names = "--no-attacks", description = "Leave out the memory attacks of issue 12 "
        + "(pre-handshake flood: defect 1; endless multipart message: defect 5)")
    boolean noAttacks;

    public static int run(String... args) {
        return new CommandLine(new SoakCommand()).execute(args);
    }

    @Override
    public Integer call() throws Exception {
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "rzmq-soak");
        try {
            SoakRunner.Result r = SoakRunner.run(system,
                new SoakRunner.Settings(duration, rate, !noLibzmq, killEvery, !noAttacks), System.out);
            return r.passed() ? 0 : 1;
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }
}
