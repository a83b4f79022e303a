package io.rzmq.pekko.internal.transport.loop;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.rzmq.pekko.internal.transport.nio.IoLoop;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.dispatch.Dispatcher;
import org.apache.pekko.dispatch.DispatcherPrerequisites;
import org.apache.pekko.dispatch.Dispatchers;
import org.apache.pekko.dispatch.ExecutorServiceFactoryProvider;
import org.apache.pekko.dispatch.MessageDispatcher;
import org.apache.pekko.dispatch.MessageDispatcherConfigurator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The I/O loops of an actor system (libzmq's ZMQ_IO_THREADS): N {@link IoLoop}s, each one thread running a
 * selector and, as a Pekko dispatcher ({@link #registerDispatchers}), the actors pinned to it. A new
 * connection goes to the loop with the fewest connections, ties broken round robin ({@link #pick()}).
 */
public final class IoLoops implements AutoCloseable {
    /** Dispatcher ids are this prefix and the loop's index. */
    public static final String DISPATCHER_PREFIX = "rzmq.io-loop-";

    private final LoopHandle[] loops;
    private final AtomicInteger cursor = new AtomicInteger();

    private IoLoops(LoopHandle[] loops) {
        this.loops = loops;
    }

    /**
     * Starts {@code count} loops on daemon threads named {@code threadPrefix + i}, whose dispatchers will be
     * {@code dispatcherPrefix + i} once registered.
     */
    public static IoLoops start(int count, String threadPrefix, String dispatcherPrefix) {
        if (count < 1) {
            throw new IllegalArgumentException("io loops must be at least 1: " + count);
        }
        LoopHandle[] loops = new LoopHandle[count];
        for (int i = 0; i < count; i++) {
            String name = threadPrefix + i;
            IoLoop io = new IoLoop(r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
            });
            loops[i] = new LoopHandle(io, i, dispatcherPrefix + i);
        }
        return new IoLoops(loops);
    }

    /** {@code count} loops with the standard dispatcher ids ({@value #DISPATCHER_PREFIX}{@code i}). */
    public static IoLoops start(int count, String threadPrefix) {
        return start(count, threadPrefix, DISPATCHER_PREFIX);
    }

    public int size() {
        return loops.length;
    }

    public LoopHandle get(int index) {
        return loops[index];
    }

    /**
     * The loop for a new connection: fewest connections, and among equals the next in round-robin order.
     * Counting happens when the connection is made, so two picks racing may choose the same loop: harmless.
     */
    public LoopHandle pick() {
        int n = loops.length;
        if (n == 1) {
            return loops[0];
        }
        int start = Math.floorMod(cursor.getAndIncrement(), n);
        LoopHandle best = loops[start];
        int bestCount = best.connections();
        for (int i = 1; i < n; i++) {
            LoopHandle h = loops[(start + i) % n];
            int c = h.connections();
            if (c < bestCount) {
                best = h;
                bestCount = c;
            }
        }
        return best;
    }

    /**
     * Registers each loop as a Pekko dispatcher of {@code system} under its {@link LoopHandle#dispatcherId()}
     * (Pekko's dynamic dispatchers: no configuration for users to edit), running up to {@code throughput}
     * messages per actor per turn. Spawn with {@code DispatcherSelector.fromConfig(id)} (typed) or
     * {@code Props.withDispatcher(id)} (classic).
     *
     * @throws IllegalStateException if an id is taken already
     */
    public List<String> registerDispatchers(ActorSystem system, int throughput) {
        Dispatchers dispatchers = system.dispatchers();
        List<String> ids = new ArrayList<>(loops.length);
        for (LoopHandle h : loops) {
            String id = h.dispatcherId();
            Config config = ConfigFactory.parseMap(Map.of("id", id, "throughput", throughput))
                .withFallback(dispatchers.defaultDispatcherConfig());
            if (!dispatchers.registerConfigurator(id,
                new LoopDispatcherConfigurator(config, dispatchers.prerequisites(), id, throughput, h.io()))) {
                throw new IllegalStateException("dispatcher " + id + " exists already");
            }
            ids.add(id);
        }
        return ids;
    }

    /** Stops every loop (their channels are closed without callbacks) and waits up to 10 s for each thread. */
    @Override
    public void close() {
        for (LoopHandle h : loops) {
            h.io().shutdown();
        }
        for (LoopHandle h : loops) {
            try {
                h.io().awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** A dispatcher whose executor is one existing loop. */
    private static final class LoopDispatcherConfigurator extends MessageDispatcherConfigurator {
        private final Dispatcher instance;

        LoopDispatcherConfigurator(Config config, DispatcherPrerequisites prerequisites, String id, int throughput,
                                   IoLoop loop) {
            super(config, prerequisites);
            ExecutorServiceFactoryProvider provider = (name, threads) -> () -> new LoopView(loop);
            this.instance = new Dispatcher(this, id, throughput, scala.concurrent.duration.Duration.Zero(), provider,
                scala.concurrent.duration.FiniteDuration.apply(1, TimeUnit.SECONDS));
        }

        @Override
        public MessageDispatcher dispatcher() {
            return instance;
        }
    }

    /**
     * The loop as the dispatcher's executor, without giving the dispatcher its lifetime: a Pekko dispatcher
     * shuts its executor down when it has had no actors for a while and makes a new one on next use; that
     * must not stop the loop, which {@link IoLoops} owns.
     */
    private static final class LoopView extends AbstractExecutorService {
        private final IoLoop loop;
        private volatile boolean shut;

        LoopView(IoLoop loop) {
            this.loop = loop;
        }

        @Override
        public void execute(Runnable command) {
            loop.execute(command);
        }

        @Override
        public void shutdown() {
            shut = true;
        }

        @Override
        public List<Runnable> shutdownNow() {
            shut = true;
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return shut;
        }

        @Override
        public boolean isTerminated() {
            return shut;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }
    }
}
