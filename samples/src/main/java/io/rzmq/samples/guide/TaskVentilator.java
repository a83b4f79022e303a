package io.rzmq.samples.guide;

import io.rzmq.pekko.api.ZContext;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.pekko.typed.ZmqSocketActor;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.rzmq.samples.guide.GuideSupport.await;
import static io.rzmq.samples.guide.GuideSupport.check;

/**
 * The guide's parallel pipeline: a ventilator PUSHes tasks, workers PULL them, do the work and PUSH the
 * results to a sink that PULLs them all. Each worker is a typed actor that owns two {@link ZmqSocketActor}s
 * (a PULL for tasks with ack-based flow control, a PUSH for results); the ventilator and the sink are plain
 * {@link ZSocket}s. PUSH round-robins over the workers that are connected, so the ventilator waits until
 * all of them are before it sends the batch.
 */
public final class TaskVentilator {
    /** Tells a worker to stop. */
    private static final String STOP = "stop";

    private TaskVentilator() {
    }

    /** What the sink collected: how many results came from each worker, and the sum of all results. */
    public record Summary(Map<String, Integer> resultsPerWorker, long total) {
        public int results() {
            return resultsPerWorker.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    public static void main(String[] args) {
        int workers = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int tasks = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        GuideSupport.runMain("ventilator", (system, ctx, out) -> run(system, ctx, workers, tasks, out));
    }

    /**
     * Runs a batch of {@code tasks} tasks (task i is "square i") through {@code workers} workers over
     * tcp://127.0.0.1; returns what the sink received. Every socket and worker is stopped on return.
     */
    public static Summary run(ActorSystem<?> system, ZContext ctx, int workers, int tasks, PrintStream out)
        throws Exception {
        ZSocket ventilator = ZSocket.create(ctx, SocketType.PUSH);
        ZSocket sink = ZSocket.create(ctx, SocketType.PULL);
        List<ActorRef<Object>> workerRefs = new ArrayList<>();
        try {
            String tasksAt = await(ventilator.bind("tcp://127.0.0.1:*"));
            String resultsAt = await(sink.bind("tcp://127.0.0.1:*"));
            out.println("ventilator (PUSH) on " + tasksAt + ", sink (PULL) on " + resultsAt);
            for (int i = 1; i <= workers; i++) {
                workerRefs.add(system.systemActorOf(worker(ctx, "worker-" + i, tasksAt, resultsAt),
                    "ventilator-worker-" + i + "-" + System.nanoTime(), org.apache.pekko.actor.typed.Props.empty()));
            }
            awaitPeers(ventilator, workers);
            out.println(workers + " workers (typed actors) connected");
            for (int i = 1; i <= tasks; i++) {
                await(ventilator.send(Msg.of("square", Integer.toString(i))));
            }
            out.println("ventilator sent " + tasks + " tasks");
            Map<String, Integer> perWorker = new TreeMap<>();
            long total = 0;
            for (int i = 0; i < tasks; i++) {
                Msg result = await(sink.receive());
                perWorker.merge(result.firstString(), 1, Integer::sum);
                total += Long.parseLong(result.frame(1).asString());
            }
            out.println("sink received " + tasks + " results, per worker " + perWorker + ", sum of squares " + total);
            return new Summary(perWorker, total);
        } finally {
            workerRefs.forEach(w -> w.tell(STOP));
            await(ventilator.close());
            await(sink.close());
        }
    }

    /** Polls the PUSH socket's status until {@code peers} peers are ready, within the sample deadline. */
    private static void awaitPeers(ZSocket socket, int peers) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(GuideSupport.DEADLINE_SECONDS).toNanos();
        while (await(socket.status()).readyPeers() < peers) {
            check(System.nanoTime() < deadline, peers + " workers connect in time");
            Thread.onSpinWait();
        }
    }

    /** A worker: takes tasks from its PULL actor one by one, pushes "name, i*i" to the sink, acks each. */
    private static Behavior<Object> worker(ZContext ctx, String name, String tasksAt, String resultsAt) {
        return Behaviors.setup(context -> {
            ActorRef<ZmqSocketActor.Command> tasks = context.spawn(
                ZmqSocketActor.create(ctx, SocketType.PULL, ctx.defaultOptions()), "tasks");
            ActorRef<ZmqSocketActor.Command> results = context.spawn(
                ZmqSocketActor.create(ctx, SocketType.PUSH, ctx.defaultOptions()), "results");
            results.tell(new ZmqSocketActor.Connect(resultsAt, null));
            tasks.tell(new ZmqSocketActor.Connect(tasksAt, null));
            // Window 1: the actor is handed the next task only after it has acked the last one.
            tasks.tell(new ZmqSocketActor.Deliver(context.getSelf().narrow(), 1, context.getSystem().ignoreRef()));
            return Behaviors.receive(Object.class)
                // Stopping the worker stops its two socket actors, which close their sockets.
                .onMessageEquals(STOP, Behaviors::stopped)
                .onMessage(ZmqSocketActor.Delivery.class, delivery -> {
                    long n = Long.parseLong(delivery.msg().frame(1).asString());
                    results.tell(ZmqSocketActor.Send.noReply(Msg.of(name, Long.toString(n * n))));
                    delivery.ack();
                    return Behaviors.same();
                })
                .build();
        });
    }
}
