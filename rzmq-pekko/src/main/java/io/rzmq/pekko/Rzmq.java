package io.rzmq.pekko;

import io.rzmq.pekko.internal.support.PeerErrorLog;
import io.rzmq.pekko.internal.support.PeerErrors;

import io.rzmq.pekko.internal.engine.EngineSettings;
import io.rzmq.pekko.internal.engine.MechanismFactory;
import io.rzmq.pekko.internal.transport.nio.NioTcp;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import io.rzmq.pekko.api.ZContext;
import io.rzmq.pekko.internal.context.ContextActor;
import io.rzmq.pekko.internal.context.ContextCommand;
import io.rzmq.pekko.model.Endpoint;
import io.rzmq.pekko.internal.session.Transport;
import io.rzmq.pekko.internal.session.IpcTransport;
import io.rzmq.pekko.internal.session.TcpTransport;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.actor.typed.Props;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The rzmq Pekko extension: {@code Rzmq.get(system)}. Owns a default {@link ZContext} and creates more;
 * on actor-system shutdown (CoordinatedShutdown, phase {@code service-stop}) it closes every context,
 * with each socket's LINGER capped by {@code rzmq.context.shutdown-linger}.
 */
public final class Rzmq implements Extension {

    /** The extension's id; {@link #getInstance()} lets Pekko load it from {@code library-extensions}. */
    public static final class Id extends ExtensionId<Rzmq> {
        private Id() {
        }

        @Override
        public Rzmq createExtension(ActorSystem<?> system) {
            return new Rzmq(system);
        }

        public static Id getInstance() {
            return ID;
        }
    }

    public static final Id ID = new Id();

    private final ActorSystem<?> system;
    private final RzmqSettings settings;
    private final Map<Endpoint.Scheme, Transport> transports;
    private final Set<ZContext> contexts = ConcurrentHashMap.newKeySet();
    private final AtomicLong contextCounter = new AtomicLong();
    private final ZContext defaultContext;
    private final PeerErrorLog peerErrors;

    private Rzmq(ActorSystem<?> system) {
        this.system = system;
        this.settings = RzmqSettings.create(system.settings().config());
        // Created now, so its sweep runs from the start; built from the same rzmq.log settings.
        this.peerErrors = PeerErrors.get(system);
        this.transports = Collections.unmodifiableMap(defaultTransports(EngineSettings.create(system.settings().config())));
        // Set up tcp:// I/O now, from the caller's thread: it finds the I/O loop behind rzmq.dispatcher.
        NioTcp.get(Adapter.toClassic(system));
        this.defaultContext = newContext("default");
        // One hook for all contexts: a close still waiting when the system ends completes then.
        system.getWhenTerminated().thenRun(() -> contexts.forEach(ZContext::systemTerminated));
        CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceStop(), "rzmq-close-contexts",
            () -> closeAll().thenApply(d -> {
                peerErrors.flush();
                return d;
            }));
    }

    /** The extension of {@code system}, created on first use. */
    public static Rzmq get(ActorSystem<?> system) {
        return ID.apply(system);
    }

    // inproc:// is wired by the contexts themselves (no Session/Engine in between).
    private static Map<Endpoint.Scheme, Transport> defaultTransports(EngineSettings engines) {
        Map<Endpoint.Scheme, Transport> m = new EnumMap<>(Endpoint.Scheme.class);
        m.put(Endpoint.Scheme.TCP, new TcpTransport(engines, MechanismFactory.fromOptions()));
        m.put(Endpoint.Scheme.IPC, new IpcTransport(engines, MechanismFactory.fromOptions()));
        return m;
    }

    public RzmqSettings settings() {
        return settings;
    }

    /** Where peer errors of this actor system are logged (one WARN per endpoint and period). */
    public PeerErrorLog peerErrors() {
        return peerErrors;
    }

    public ActorSystem<?> system() {
        return system;
    }

    /** The context sockets use unless they are given another. */
    public ZContext defaultContext() {
        return defaultContext;
    }

    /** A new, independent context (its own inproc namespace), closed by {@link ZContext#close()}. */
    public ZContext newContext() {
        return newContext("ctx");
    }

    /** A new context; {@code name} shows in actor names and error messages. */
    public ZContext newContext(String name) {
        String actorName = "rzmq-" + name.replaceAll("[^A-Za-z0-9_-]", "_") + "-" + contextCounter.incrementAndGet();
        ActorRef<ContextCommand> ref = system.systemActorOf(
            ContextActor.create(name, transports, settings.pumpBatch(), settings.zapMaxPending()), actorName,
            Props.empty());
        ZContext ctx = ZContext.create(system, settings.socketDefaults(), settings.socketCreateTimeout(), name, ref,
            contexts::remove);
        contexts.add(ctx);
        return ctx;
    }

    private CompletionStage<Done> closeAll() {
        List<CompletableFuture<Done>> closing = new ArrayList<>();
        for (ZContext c : contexts) {
            closing.add(c.close(settings.shutdownLinger()).toCompletableFuture());
        }
        return CompletableFuture.allOf(closing.toArray(new CompletableFuture<?>[0])).thenApply(v -> Done.getInstance());
    }
}
