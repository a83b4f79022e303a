package io.rzmq.samples;

import io.rzmq.pekko.model.MonitorEventKind;

import io.rzmq.pekko.Rzmq;
import io.rzmq.pekko.model.RzmqException;
import io.rzmq.pekko.model.MonitorEvent;
import io.rzmq.pekko.api.ZContext;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import io.rzmq.samples.guide.Forwarder;
import io.rzmq.samples.guide.HelloWorld;
import io.rzmq.samples.guide.LoadBalancingBroker;
import io.rzmq.samples.guide.SecureService;
import io.rzmq.samples.guide.TaskVentilator;
import io.rzmq.samples.guide.Weather;
import io.rzmq.samples.guide.WeatherScala;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The tour of rzmq: the basic patterns over inproc and tcp, then each ZeroMQ guide program
 * ({@code io.rzmq.samples.guide}). Prints what happens and exits 0 when all went as expected, 1 otherwise.
 */
public final class Demo {
    private Demo() {
    }

    public static void main(String[] args) throws Exception {
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "rzmq-demo");
        int exit = 0;
        try {
            run(system, System.out);
        } catch (Throwable t) {
            System.out.println();
            System.out.println("demo failed: " + t);
            t.printStackTrace();
            exit = 1;
        } finally {
            system.terminate();
            try {
                system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.out.println("demo failed: the actor system did not terminate in time: " + e);
                exit = 1;
            }
        }
        System.exit(exit);
    }

    /**
     * The whole tour in {@code system}: the basic inproc and tcp sections, then every guide program with
     * small counts. Returns when all went as expected; throws at the first step that did not.
     */
    public static void run(ActorSystem<?> system, PrintStream out) throws Exception {
        long t0 = System.nanoTime();
        ZContext ctx = Rzmq.get(system).defaultContext();
        out.println("rzmq demo: ZeroMQ sockets on Pekko " + system.settings().config().getString("pekko.version"));
        pipeline(ctx, "inproc://demo-pipeline", out);
        publishSubscribe(ctx, "inproc://demo-news", out);
        tcp(ctx, out);

        section(out, "guide: hello world, REQ/REP with CompletionStages (HelloWorld)");
        List<String> replies = HelloWorld.run(ctx, "tcp://127.0.0.1:*", 3, out);
        check(replies.equals(List.of("World 1", "World 2", "World 3")), "every Hello gets its World, in order");

        section(out, "guide: weather updates, PUB/SUB with Pekko Streams (Weather)");
        Weather.Report report = Weather.run(system, ctx, "tcp://127.0.0.1:*", "10001", 5, out);
        check(report.updates().size() == 5 && report.updates().stream().allMatch(u -> u.startsWith("10001 ")),
            "the client gets only its zip code");

        section(out, "guide: the weather updates again, written in Scala with scaladsl streams (WeatherScala)");
        WeatherScala.Report scalaReport = WeatherScala.run(system, ctx, "tcp://127.0.0.1:*", 10002, 5, out);
        check(scalaReport.updates().size() == 5 && scalaReport.updates().forall(u -> u.zip() == 10002),
            "the Scala client gets only its zip code");

        section(out, "guide: parallel pipeline, PUSH/PULL with typed actors (TaskVentilator)");
        TaskVentilator.Summary summary = TaskVentilator.run(system, ctx, 3, 30, out);
        check(summary.results() == 30 && summary.total() == 9455, "the sink gets every task's result");

        section(out, "guide: load-balancing broker, ROUTER/ROUTER with REQ clients and workers (LoadBalancingBroker)");
        LoadBalancingBroker.Outcome outcome = LoadBalancingBroker.run(system, ctx, 3, 2, 2, out);
        check(outcome.repliesPerClient().values().stream().allMatch(r -> r.size() == 2),
            "every client gets a reply to each request");

        section(out, "guide: pub-sub forwarder, XSUB/XPUB with ZProxy (Forwarder)");
        Map<String, List<String>> forwarded = Forwarder.run(ctx, List.of("weather", "sports"), 3, out);
        check(forwarded.entrySet().stream().allMatch(e -> e.getValue().size() == 3
            && e.getValue().stream().allMatch(m -> m.startsWith(e.getKey() + " "))), "each subscriber gets only its topic");

        section(out, "CURVE-secured REQ/REP with the authenticator and certificate files (SecureService)");
        SecureService.Outcome secure = SecureService.run(system, ctx, null, 2, out);
        check(secure.admitted().replies().size() == 2, "the trusted client gets its replies");
        check(secure.unknownKey().clientEvent().kind() == MonitorEventKind.HANDSHAKE_FAILED_AUTH
            && secure.unknownKey().clientEvent().value() == 400 && secure.unknownKey().replies().isEmpty(),
            "the client with an unknown key is refused (400) and gets no reply");
        check(secure.wrongServerKey().replies().isEmpty(), "the client with the wrong server key gets no reply");

        out.println();
        out.printf("done: every step behaved as expected (%d ms)%n", (System.nanoTime() - t0) / 1_000_000);
    }

    private static void section(PrintStream out, String title) {
        out.println();
        out.println("== " + title);
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** PUSH round-robins tasks over two PULL workers; each worker gets its share, in order. */
    static void pipeline(ZContext ctx, String endpoint, PrintStream out) throws Exception {
        out.println();
        out.println("== PUSH/PULL over " + endpoint);
        ZSocket ventilator = ZSocket.create(ctx, SocketType.PUSH);
        String bound = await(ventilator.bind(endpoint));
        out.println("PUSH bound to " + bound);
        ZSocket w1 = ZSocket.create(ctx, SocketType.PULL);
        ZSocket w2 = ZSocket.create(ctx, SocketType.PULL);
        await(w1.connect(endpoint));
        await(w2.connect(endpoint));
        out.println("two PULL workers connected; PUSH sees " + await(ventilator.status()).readyPeers() + " peers");
        for (int i = 1; i <= 6; i++) {
            await(ventilator.send(Msg.of("task", Integer.toString(i))));
        }
        out.println("sent 6 two-frame messages [task, N]");
        for (ZSocket w : List.of(w1, w2)) {
            StringBuilder got = new StringBuilder();
            for (int i = 0; i < 3; i++) {
                Msg m = await(w.receive());
                check(m.frameCount() == 2, "multipart messages arrive whole");
                got.append(' ').append(m.frame(1).asString());
            }
            out.println((w == w1 ? "worker 1" : "worker 2") + " got tasks" + got + " (round-robin)");
        }
        try {
            await(w1.send(Msg.of("nope")));
            check(false, "PULL cannot send");
        } catch (java.util.concurrent.ExecutionException e) {
            out.println("a PULL socket refuses to send: " + e.getCause().getMessage());
        }
        ZSocket big = ZSocket.create(ctx, SocketType.PUSH);
        await(big.connect(endpoint.replace("pipeline", "big")));
        await(big.send(Msg.of(new byte[10 * 1024 * 1024])));
        await(big.close());
        out.println("a PUSH connected before anyone bound, queued a 10 MB message and closed (LINGER -1)");
        ZSocket late = ZSocket.create(ctx, SocketType.PULL);
        await(late.bind(endpoint.replace("pipeline", "big")));
        Msg m = await(late.receive());
        check(m.byteSize() == 10 * 1024 * 1024, "the queued message is delivered after the bind");
        out.println("the PULL that bound later received it: " + m.byteSize() + " bytes");
        for (ZSocket s : List.of(ventilator, w1, w2, late)) {
            await(s.close());
        }
    }

    /** PUB filters by topic prefix on the publisher side; SUB sees only what it subscribed to. */
    static void publishSubscribe(ZContext ctx, String endpoint, PrintStream out) throws Exception {
        out.println();
        out.println("== PUB/SUB over " + endpoint);
        ZSocket pub = ZSocket.create(ctx, SocketType.PUB);
        await(pub.bind(endpoint));
        ZSocket sub = ZSocket.create(ctx, SocketType.SUB);
        await(sub.connect(endpoint));
        await(sub.subscribe("weather."));
        out.println("SUB subscribed to 'weather.'");
        // Subscriptions travel to the publisher asynchronously: publish a probe until one arrives.
        int probes = 0;
        while (true) {
            await(pub.send(Msg.of("weather.probe")));
            probes++;
            try {
                await(sub.receive(Duration.ofMillis(20)));
                break;
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof RzmqException re) || re.code() != RzmqException.Code.EAGAIN) {
                    throw e;
                }
            }
        }
        out.println("subscription reached the publisher after " + probes + " probe(s)");
        List<String> published = List.of("sports.football", "weather.paris", "news.world", "weather.tokyo", "weather.end");
        for (String topic : published) {
            await(pub.send(Msg.of(topic, "payload of " + topic)));
        }
        out.println("published " + published);
        StringBuilder received = new StringBuilder();
        String topic;
        do {
            Msg m = await(sub.receive());
            topic = m.firstString();
            if (!topic.equals("weather.probe")) {
                received.append(received.length() == 0 ? "" : ", ").append(topic);
            }
        } while (!topic.equals("weather.end"));
        out.println("SUB received [" + received + "] (filtered by prefix)");
        check(received.toString().equals("weather.paris, weather.tokyo, weather.end"), "topic filtering");
        await(pub.close());
        await(sub.close());
        out.println("sockets closed: " + List.of(pub, sub).stream().map(s -> s.isClosed() ? "closed" : "open")
            .collect(Collectors.joining(", ")));
    }

    /** The same patterns over loopback TCP, on ports the system picks. */
    static void tcp(ZContext ctx, PrintStream out) throws Exception {
        out.println();
        out.println("== over tcp://127.0.0.1:*");
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL);
        String endpoint = await(pull.bind("tcp://127.0.0.1:*"));
        out.println("PULL bound to " + endpoint + " (port chosen by the system)");
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH);
        await(push.connect(endpoint));
        int n = 1_000;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            if (!push.trySend(Msg.of(Integer.toString(i)))) {
                await(push.send(Msg.of(Integer.toString(i))));
            }
        }
        for (int i = 0; i < n; i++) {
            Msg m = await(pull.receive());
            check(m.firstString().equals(Integer.toString(i)), "tcp messages arrive in order");
        }
        out.printf("PUSH -> PULL: %d messages in order over TCP in %d ms%n", n, (System.nanoTime() - t0) / 1_000_000);

        ZSocket pub = ZSocket.create(ctx, SocketType.PUB);
        String pubEndpoint = await(pub.bind("tcp://127.0.0.1:*"));
        ZSocket sub = ZSocket.create(ctx, SocketType.SUB);
        await(sub.subscribe("alerts"));
        await(sub.connect(pubEndpoint));
        int probes = 0;
        Msg first = null;
        while (first == null) {
            await(pub.send(Msg.of("alerts", "probe")));
            await(pub.send(Msg.of("noise", "filtered on the publisher side")));
            probes++;
            try {
                first = await(sub.receive(Duration.ofMillis(20)));
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof RzmqException re) || re.code() != RzmqException.Code.EAGAIN) {
                    throw e;
                }
            }
        }
        check(first.firstString().equals("alerts"), "only subscribed topics arrive");
        out.println("SUB connected to " + pubEndpoint + " and got '" + first.frame(1).asString()
            + "' after " + probes + " probe(s); 'noise' was filtered out");
        for (ZSocket s : List.of(push, pull, pub, sub)) {
            await(s.close());
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("unexpected: " + what);
        }
    }
}
