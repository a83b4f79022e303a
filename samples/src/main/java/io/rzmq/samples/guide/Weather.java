package io.rzmq.samples.guide;

import io.rzmq.pekko.api.ZContext;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.pekko.stream.ZmqControl;
import io.rzmq.pekko.stream.ZmqStreams;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;

import static io.rzmq.samples.guide.GuideSupport.await;

/**
 * The guide's weather service, as Pekko Streams: a PUB server streams "zip temperature humidity" updates
 * for random zip codes into {@code ZmqStreams.sink}; a SUB client subscribes to one zip code, takes N
 * updates from {@code ZmqStreams.source} and averages their temperatures. The publisher filters by prefix,
 * so the client only ever sees its own zip code. PUB never waits for a slow or late subscriber: updates
 * sent before the subscription arrived are simply not delivered, as in ZeroMQ.
 */
public final class Weather {
    /** The zip codes the server reports on; few, so that the client's share of updates is large. */
    static final int FIRST_ZIP = 10000;
    static final int ZIP_CODES = 10;

    private Weather() {
    }

    /** The client's result: the updates it received and their mean temperature. */
    public record Report(String zip, List<String> updates, double averageTemperature) {
    }

    public static void main(String[] args) {
        String zip = args.length > 0 ? args[0] : "10001";
        int readings = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        GuideSupport.runMain("weather", (system, ctx, out) -> run(system, ctx, "tcp://127.0.0.1:*", zip, readings, out));
    }

    /**
     * Runs the server and one client on {@code endpoint} until the client has {@code readings} updates for
     * {@code zip} (one of 10000..10009); stops the server and returns the client's report.
     */
    public static Report run(ActorSystem<?> system, ZContext ctx, String endpoint, String zip, int readings,
                             PrintStream out) throws Exception {
        ZSocket pub = ZSocket.create(ctx, SocketType.PUB);
        String bound = await(pub.bind(endpoint));
        out.println("weather server (PUB) bound to " + bound + ", streaming updates for zip codes "
            + FIRST_ZIP + ".." + (FIRST_ZIP + ZIP_CODES - 1));
        // An endless stream of updates; the kill switch ends it, and the sink then closes the PUB socket.
        Pair<UniqueKillSwitch, CompletionStage<Done>> server = Source.repeat(Done.getInstance())
            .map(tick -> update())
            .viaMat(KillSwitches.single(), Keep.right())
            .toMat(ZmqStreams.sink(pub), Keep.both())
            .run(system);

        ZSocket sub = ZSocket.create(ctx, SocketType.SUB);
        await(sub.connect(bound));
        // The trailing space keeps "1000" from also matching "10001".
        await(sub.subscribe(zip + " "));
        out.println("weather client (SUB) connected, subscribed to zip code " + zip);
        Pair<ZmqControl, CompletionStage<List<String>>> client = ZmqStreams.source(sub)
            .map(Msg::firstString)
            .take(readings)
            .toMat(Sink.seq(), Keep.both())
            .run(system);
        try {
            List<String> updates = await(client.second());
            double average = updates.stream()
                .mapToInt(u -> Integer.parseInt(u.split(" ")[1]))
                .average()
                .orElse(Double.NaN);
            out.println("  first updates received: " + updates.subList(0, Math.min(3, updates.size())));
            out.printf("average temperature for zip code %s over %d readings: %.1f F%n", zip, updates.size(), average);
            return new Report(zip, updates, average);
        } finally {
            server.first().shutdown();
            await(server.second());
            await(client.first().isShutdown());
            out.println("server and client streams stopped, sockets closed");
        }
    }

    /** One "zip temperature humidity" update, as in the guide. */
    private static Msg update() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int zip = FIRST_ZIP + random.nextInt(ZIP_CODES);
        int temperature = random.nextInt(215) - 80;
        int humidity = random.nextInt(50) + 10;
        return Msg.of(zip + " " + temperature + " " + humidity);
    }
}
