package io.rzmq.pekko.security;

import io.rzmq.pekko.api.ZContext;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * The built-in authenticator for Java code: an {@link Authenticator} actor behind a
 * {@link CompletionStage} API (CZMQ's zauth).
 *
 * <pre>{@code
 * ZAuth auth = ZAuth.start(ctx).toCompletableFuture().join();   // binds inproc://zeromq.zap.01
 * auth.configure(AuthSettings.defaults().withPlainUser("admin", "secret"));
 * ...
 * auth.stop();
 * }</pre>
 *
 * Every method returns at once. Changes complete when the new policy answers requests, or fail (keeping
 * the previous policy) when a file cannot be read. The authenticator also stops when its context closes.
 */
public final class ZAuth {
    private static final AtomicLong NAMES = new AtomicLong();

    private final ZContext context;
    private final ActorRef<Authenticator.Command> actor;
    private final ActorSystem<?> system;
    private final Duration askTimeout;
    private final CompletableFuture<Done> stopped;

    private ZAuth(ZContext context, ActorRef<Authenticator.Command> actor, Duration askTimeout,
                  CompletableFuture<Done> stopped) {
        this.context = context;
        this.actor = actor;
        this.system = context.system();
        this.askTimeout = askTimeout;
        this.stopped = stopped;
    }

    /** Starts an authenticator for {@code ctx} with the settings of {@code rzmq.authenticator}. */
    public static CompletionStage<ZAuth> start(ZContext ctx) {
        return start(ctx, AuthSettings.create(ctx.system().settings().config()));
    }

    /**
     * Starts an authenticator for {@code ctx} with {@code settings}; completes once it is bound and
     * answering, or fails (EADDRINUSE when another ZAP handler is bound in the context; an I/O error when
     * the password file or certificate directory cannot be read).
     */
    public static CompletionStage<ZAuth> start(ZContext ctx, AuthSettings settings) {
        Objects.requireNonNull(ctx, "ctx");
        Objects.requireNonNull(settings, "settings");
        ActorSystem<?> system = ctx.system();
        Duration timeout = system.settings().config().getDuration("rzmq.authenticator.ask-timeout");
        CompletableFuture<Done> started = new CompletableFuture<>();
        CompletableFuture<Done> stopped = new CompletableFuture<>();
        String name = "rzmq-zauth-" + ctx.name().replaceAll("[^A-Za-z0-9_-]", "_") + "-" + NAMES.incrementAndGet();
        ActorRef<Authenticator.Command> ref = system.systemActorOf(
            Authenticator.create(ctx, settings, e -> {
                if (e == null) {
                    started.complete(Done.getInstance());
                } else {
                    started.completeExceptionally(e);
                }
            }, () -> stopped.complete(Done.getInstance())),
            name, Props.empty());
        ZAuth auth = new ZAuth(ctx, ref, timeout, stopped);
        return started.thenApply(d -> auth);
    }

    public ZContext context() {
        return context;
    }

    /** The actor (to tell it {@link Authenticator.Command}s from other actors). */
    public ActorRef<Authenticator.Command> actor() {
        return actor;
    }

    /** Adds addresses to the allow list. */
    public CompletionStage<Done> allow(String... addresses) {
        return askDone(r -> new Authenticator.Allow(List.of(addresses), r));
    }

    /** Adds addresses to the deny list. */
    public CompletionStage<Done> deny(String... addresses) {
        return askDone(r -> new Authenticator.Deny(List.of(addresses), r));
    }

    /** Replaces the whole policy. */
    public CompletionStage<Done> configure(AuthSettings settings) {
        return askDone(r -> Authenticator.Configure.to(settings, r));
    }

    /** Changes the policy: {@code change} maps the settings in force to the new ones. */
    public CompletionStage<Done> update(UnaryOperator<AuthSettings> change) {
        Objects.requireNonNull(change, "change");
        return askDone(r -> new Authenticator.Configure(change, r));
    }

    /** Reads the password file and the certificate directory again. */
    public CompletionStage<Done> reload() {
        return askDone(Authenticator.Reload::new);
    }

    /** The settings in force. */
    public CompletionStage<AuthSettings> settings() {
        return whileRunning(() -> AskPattern.ask(actor, Authenticator.GetSettings::new, askTimeout, system.scheduler()));
    }

    /** The request counters. */
    public CompletionStage<Authenticator.Stats> stats() {
        return whileRunning(() -> AskPattern.ask(actor, Authenticator.GetStats::new, askTimeout, system.scheduler()));
    }

    /** Unbinds and closes the handler socket; completes when the authenticator has stopped. Idempotent. */
    public CompletionStage<Done> stop() {
        if (!stopped.isDone()) {
            actor.tell(new Authenticator.Stop(null));
        }
        return stopped.minimalCompletionStage();
    }

    /** Completes when the authenticator has stopped (after {@link #stop()} or its context's close). */
    public CompletionStage<Done> whenStopped() {
        return stopped.minimalCompletionStage();
    }

    private CompletionStage<Done> askDone(
        java.util.function.Function<ActorRef<org.apache.pekko.pattern.StatusReply<Done>>, Authenticator.Command> f) {
        return whileRunning(() -> AskPattern.askWithStatus(actor, f::apply, askTimeout, system.scheduler()));
    }

    private <T> CompletionStage<T> whileRunning(java.util.function.Supplier<CompletionStage<T>> ask) {
        if (stopped.isDone()) {
            return CompletableFuture.failedStage(new IllegalStateException("the authenticator has stopped"));
        }
        return ask.get();
    }

    @Override
    public String toString() {
        return "ZAuth(" + context.name() + ", " + actor.path().name() + ")";
    }
}
