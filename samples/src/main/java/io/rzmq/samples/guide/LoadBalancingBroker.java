package io.rzmq.samples.guide;

import io.rzmq.pekko.api.ZContext;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static io.rzmq.samples.guide.GuideSupport.await;
import static io.rzmq.samples.guide.GuideSupport.isTerminated;

/**
 * The guide's load-balancing broker: REQ clients talk to a ROUTER frontend, REQ workers to a ROUTER
 * backend. A worker announces itself with "READY" and then with each reply; the broker keeps the idle
 * workers in a queue and hands each client request to the worker that has been idle longest. It reads the
 * frontend only while some worker is idle, so requests wait in the clients' queues, not in the broker.
 *
 * <p>The broker is a typed actor that receives from both ROUTERs through {@code pipeToSelf}; clients and
 * workers are {@code CompletionStage} loops. Envelopes: the frontend delivers {@code [client, "", request]};
 * the broker sends {@code [worker, "", client, "", request]} to the backend; the worker's REQ sees
 * {@code [client, "", request]} and answers {@code [client, "", reply]}.
 */
public final class LoadBalancingBroker {
    private static final Frame READY = Frame.of("READY");

    private LoadBalancingBroker() {
    }

    /** Every client's replies, in order; each reply names the worker that served it. */
    public record Outcome(Map<String, List<String>> repliesPerClient, Map<String, Integer> requestsPerWorker) {
    }

    public static void main(String[] args) {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int workers = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int requests = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        GuideSupport.runMain("broker", (system, ctx, out) -> run(system, ctx, clients, workers, requests, out));
    }

    /**
     * Starts a broker on two loopback TCP ports, {@code workers} workers and {@code clients} clients that
     * each send {@code requests} requests one after the other; returns when every client has its replies,
     * after closing every socket (which stops the broker and the workers).
     */
    public static Outcome run(ActorSystem<?> system, ZContext ctx, int clients, int workers, int requests,
                              PrintStream out) throws Exception {
        ZSocket frontend = ZSocket.create(ctx, SocketType.ROUTER);
        ZSocket backend = ZSocket.create(ctx, SocketType.ROUTER);
        List<ZSocket> peers = new ArrayList<>();
        try {
            String frontendAt = await(frontend.bind("tcp://127.0.0.1:*"));
            String backendAt = await(backend.bind("tcp://127.0.0.1:*"));
            out.println("broker: frontend ROUTER on " + frontendAt + ", backend ROUTER on " + backendAt);
            system.systemActorOf(broker(frontend, backend), "lb-broker-" + System.nanoTime(), Props.empty());

            for (int w = 1; w <= workers; w++) {
                String name = "worker-" + w;
                ZSocket worker = ZSocket.create(ctx, SocketType.REQ,
                    ctx.defaultOptions().withRoutingId(name.getBytes(StandardCharsets.UTF_8)));
                peers.add(worker);
                await(worker.connect(backendAt));
                worker.send(Msg.of(READY)).whenComplete((d, e) -> work(worker, name, e));
            }
            out.println(workers + " REQ workers connected and said READY");

            List<CompletableFuture<List<String>>> replies = new ArrayList<>();
            for (int c = 1; c <= clients; c++) {
                String name = "client-" + c;
                ZSocket client = ZSocket.create(ctx, SocketType.REQ,
                    ctx.defaultOptions().withRoutingId(name.getBytes(StandardCharsets.UTF_8)));
                peers.add(client);
                await(client.connect(frontendAt));
                replies.add(ask(client, name, 1, requests, new ArrayList<>()).toCompletableFuture());
            }
            out.println(clients + " REQ clients connected, each sending " + requests + " request(s)");

            Map<String, List<String>> perClient = new TreeMap<>();
            Map<String, Integer> perWorker = new TreeMap<>();
            for (int c = 0; c < clients; c++) {
                List<String> got = await(replies.get(c));
                perClient.put("client-" + (c + 1), got);
                out.println("  client-" + (c + 1) + " got " + got);
                for (String reply : got) {
                    perWorker.merge(reply.substring(0, reply.indexOf(' ')), 1, Integer::sum);
                }
            }
            out.println("requests served per worker: " + perWorker);
            return new Outcome(perClient, perWorker);
        } finally {
            for (ZSocket s : peers) {
                await(s.close());
            }
            await(frontend.close());
            await(backend.close());
        }
    }

    /** A client: sends "request i" and waits for its reply, {@code requests} times in turn. */
    private static CompletionStage<List<String>> ask(ZSocket client, String name, int i, int requests,
                                                     List<String> replies) {
        if (i > requests) {
            return CompletableFuture.completedFuture(replies);
        }
        return client.send(Msg.of(name + " request " + i))
            .thenCompose(d -> client.receive())
            .thenCompose(reply -> {
                replies.add(reply.firstString());
                return ask(client, name, i + 1, requests, replies);
            });
    }

    /** A worker's loop: receive [client, "", request], answer [client, "", reply]; ends when its socket closes. */
    private static void work(ZSocket worker, String name, Throwable failure) {
        if (failure != null) {
            if (!isTerminated(failure)) {
                System.err.println(name + " stopped: " + failure);
            }
            return;
        }
        worker.receive()
            .thenCompose(request -> worker.send(Msg.ofFrames(request.frame(0), Frame.EMPTY,
                Frame.of(name + " answered '" + request.frame(2).asString() + "'"))))
            .whenComplete((Done d, Throwable e) -> work(worker, name, e));
    }

    // ------------------------------------------------------------------ the broker actor

    private sealed interface Event {
    }

    private record FromFrontend(Msg msg) implements Event {
    }

    private record FromBackend(Msg msg) implements Event {
    }

    private record Failed(Throwable cause) implements Event {
    }

    private static Behavior<Event> broker(ZSocket frontend, ZSocket backend) {
        return Behaviors.setup(context -> {
            ArrayDeque<Frame> idleWorkers = new ArrayDeque<>();
            boolean[] readingFrontend = {false};
            receive(context, backend, FromBackend::new);
            return Behaviors.receive(Event.class)
                .onMessage(FromBackend.class, e -> {
                    Msg m = e.msg();
                    idleWorkers.addLast(m.frame(0));
                    if (!m.frame(2).equals(READY)) {
                        // [worker, "", client, "", reply] -> [client, "", reply]
                        frontend.send(m.dropFirst(2));
                    }
                    receive(context, backend, FromBackend::new);
                    if (!readingFrontend[0]) {
                        readingFrontend[0] = true;
                        receive(context, frontend, FromFrontend::new);
                    }
                    return Behaviors.same();
                })
                .onMessage(FromFrontend.class, e -> {
                    Frame worker = idleWorkers.removeFirst();
                    // [client, "", request] -> [worker, "", client, "", request]
                    backend.send(e.msg().prepend(Frame.EMPTY).prepend(worker));
                    readingFrontend[0] = !idleWorkers.isEmpty();
                    if (readingFrontend[0]) {
                        receive(context, frontend, FromFrontend::new);
                    }
                    return Behaviors.same();
                })
                .onMessage(Failed.class, f -> {
                    if (!isTerminated(f.cause())) {
                        context.getLog().warn("broker stops: {}", f.cause().toString());
                    }
                    return Behaviors.stopped();
                })
                .build();
        });
    }

    private static void receive(ActorContext<Event> context, ZSocket socket,
                                java.util.function.Function<Msg, Event> wrap) {
        context.pipeToSelf(socket.receive(), (m, e) -> e == null ? wrap.apply(m) : new Failed(e));
    }
}
