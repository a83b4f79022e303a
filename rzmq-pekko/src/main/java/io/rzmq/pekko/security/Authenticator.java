package io.rzmq.pekko.security;

import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.pekko.api.ZContext;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Metadata;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import io.rzmq.protocol.ZmtpException;
import io.rzmq.protocol.security.ZapCodec;
import io.rzmq.protocol.security.ZapReply;
import io.rzmq.protocol.security.ZapRequest;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.pattern.StatusReply;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The built-in ZAP handler (RFC 27) as a typed actor, with CZMQ zauth's policy ({@link AuthSettings}).
 * It binds a ROUTER socket at {@code inproc://zeromq.zap.01} of its {@link ZContext} and answers every
 * request the context's server sockets (PLAIN/CURVE servers, or any with a ZAP domain) send there. Being a
 * plain ZAP handler on a plain socket, it can be replaced by any REP/ROUTER handler of your own.
 *
 * <p>Java code usually goes through {@link ZAuth}; actors spawn {@link #create(ZContext, AuthSettings)}
 * and tell it {@link Allow}, {@link Deny}, {@link Configure}, {@link Reload}, {@link GetSettings},
 * {@link GetStats} or {@link Stop}. Commands sent while it starts wait (stashed). Policy changes apply in
 * the order sent, one at a time; files (password file, certificate directory) are read on Pekko's
 * blocking-I/O dispatcher, and requests are answered with the previous policy meanwhile. A change whose
 * files cannot be read is refused (StatusReply error) and the previous policy stays.
 *
 * <p>Replies: 200 admits (user id: the PLAIN user name, or the CURVE public key in Z85; metadata: the
 * client certificate's, when it came from the certificate directory), 400 refuses (address lists, unknown
 * user, wrong password, unknown key, unsupported mechanism). A malformed request is answered 500 when its
 * request id can be found (so the server's handshake ends at once instead of waiting for a reply that
 * never comes), and ignored when it cannot; the handler carries on either way.
 *
 * <p>It stops on {@link Stop} (unbinds, closes its socket) and when its context closes.
 */
public final class Authenticator {
    /** Where ZAP handlers bind (RFC 27). */
    public static final String ENDPOINT = ZapCodec.ENDPOINT;
    /** Requests delivered to the actor ahead of its processing (the rest wait in the socket, RCVHWM). */
    static final int WINDOW = 64;
    private static final int STASH_CAPACITY = 1000;
    private static final int MAX_PENDING_CHANGES = 1000;
    private static final Frame VERSION = Frame.of(ZapCodec.VERSION);

    private Authenticator() {
    }

    /** What the authenticator understands. */
    public sealed interface Command {
    }

    /** Adds peer addresses to the allow list (a non-empty allow list admits only its addresses). */
    public record Allow(List<String> addresses, ActorRef<StatusReply<Done>> replyTo) implements Command {
        public Allow {
            addresses = List.copyOf(addresses);
        }
    }

    /** Adds peer addresses to the deny list (consulted while the allow list is empty). */
    public record Deny(List<String> addresses, ActorRef<StatusReply<Done>> replyTo) implements Command {
        public Deny {
            addresses = List.copyOf(addresses);
        }
    }

    /**
     * Changes the policy: {@code change} gets the current settings and returns the new ones (files named
     * there are read again when their path changed). Replies once the new policy answers requests.
     */
    public record Configure(UnaryOperator<AuthSettings> change, ActorRef<StatusReply<Done>> replyTo)
        implements Command {
        /** Replaces the whole policy with {@code settings}. */
        public static Configure to(AuthSettings settings, ActorRef<StatusReply<Done>> replyTo) {
            Objects.requireNonNull(settings, "settings");
            return new Configure(s -> settings, replyTo);
        }
    }

    /** Reads the password file and the certificate directory again. */
    public record Reload(ActorRef<StatusReply<Done>> replyTo) implements Command {
    }

    /** Replies with the settings in force. */
    public record GetSettings(ActorRef<AuthSettings> replyTo) implements Command {
    }

    /** Replies with the counters. */
    public record GetStats(ActorRef<Stats> replyTo) implements Command {
    }

    /**
     * Requests answered so far: {@code accepted} (200), {@code denied} (400), {@code errors} (500 for a
     * malformed request), and {@code ignored} (malformed beyond answering: no request id).
     */
    public record Stats(long requests, long accepted, long denied, long errors, long ignored) {
    }

    /** Unbinds, closes the socket and stops; {@code replyTo} (may be null) hears when the socket is closed. */
    public record Stop(ActorRef<Done> replyTo) implements Command {
    }

    private record Prepared(ZSocket socket, AuthPolicy policy) implements Command {
    }

    private record StartFailed(Throwable cause) implements Command {
    }

    private record Bound(ZSocket socket, AuthPolicy policy) implements Command {
    }

    private record Request(Msg msg) implements Command {
    }

    private record PolicyLoaded(AuthPolicy policy, Throwable error) implements Command {
    }

    private record SocketClosed() implements Command {
    }

    /** One queued policy change. */
    private record Change(UnaryOperator<AuthSettings> op, boolean reload, ActorRef<StatusReply<Done>> replyTo) {
    }

    // ------------------------------------------------------------------ creation

    /** An authenticator for {@code ctx} with {@code settings}. */
    public static Behavior<Command> create(ZContext ctx, AuthSettings settings) {
        return create(ctx, settings, (ActorRef<StatusReply<Done>>) null);
    }

    /**
     * An authenticator for {@code ctx} with {@code settings}; {@code ready} (may be null) hears success
     * once it is bound and answering, or the error that stopped it (EADDRINUSE when another handler is
     * bound in the context, an I/O error for an unreadable password file or certificate directory).
     */
    public static Behavior<Command> create(ZContext ctx, AuthSettings settings, ActorRef<StatusReply<Done>> ready) {
        return create(ctx, settings, error -> {
            if (ready != null) {
                ready.tell(error == null ? StatusReply.ack() : StatusReply.error(error));
            }
        }, () -> { });
    }

    /** For {@link ZAuth}: callbacks instead of actor replies. */
    static Behavior<Command> create(ZContext ctx, AuthSettings settings, Consumer<Throwable> onStarted,
                                    Runnable onStopped) {
        Objects.requireNonNull(ctx, "ctx");
        Objects.requireNonNull(settings, "settings");
        return Behaviors.withStash(STASH_CAPACITY, stash -> Behaviors.setup(context -> {
            context.setLoggerName(Authenticator.class);
            Executor blocking = context.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
            // Reading files and ZSocket.create (which waits for the context) stay off the actor's thread.
            context.pipeToSelf(CompletableFuture.supplyAsync(() -> {
                AuthPolicy policy = loadPolicy(settings);
                SocketOptions opts = ctx.defaultOptions().withLinger(Duration.ZERO)
                    .withRcvTimeo(Duration.ofMillis(-1)).withSndTimeo(Duration.ofMillis(-1));
                return new Prepared(ZSocket.create(ctx, SocketType.ROUTER, opts), policy);
            }, blocking), (p, e) -> e == null ? p : new StartFailed(unwrap(e)));
            return starting(context, stash, ctx, onStarted, onStopped);
        }));
    }

    private static Behavior<Command> starting(ActorContext<Command> context, StashBuffer<Command> stash, ZContext ctx,
                                              Consumer<Throwable> onStarted, Runnable onStopped) {
        ActorRef<Msg> requests = context.messageAdapter(Msg.class, Request::new);
        ZSocket[] created = new ZSocket[1];
        return Behaviors.receive(Command.class)
            .onMessage(Prepared.class, p -> {
                created[0] = p.socket();
                context.watch(p.socket().actor());
                context.pipeToSelf(p.socket().deliverTo(requests, WINDOW)
                        .thenCompose(d -> p.socket().bind(ENDPOINT)),
                    (ep, e) -> e == null ? new Bound(p.socket(), p.policy()) : new StartFailed(unwrap(e)));
                return Behaviors.same();
            })
            .onMessage(Bound.class, b -> {
                log(context, b.policy().settings, "authenticator bound at {} in {} with {}", ENDPOINT, ctx,
                    b.policy().settings);
                onStarted.accept(null);
                return stash.unstashAll(new Running(context, ctx, b.socket(), b.policy(), onStopped));
            })
            .onMessage(StartFailed.class, f -> {
                context.getLog().warn("authenticator for {} could not start: {}", ctx, f.cause().toString());
                if (created[0] != null) {
                    created[0].close();
                }
                onStarted.accept(f.cause());
                stash.forEach(c -> refuse(c, new IllegalStateException("the authenticator could not start: "
                    + f.cause().getMessage())));
                onStopped.run();
                return Behaviors.stopped();
            })
            .onSignal(Terminated.class, t -> {
                context.getSelf().tell(new StartFailed(new IllegalStateException("context " + ctx.name()
                    + " closed while the authenticator was starting")));
                return Behaviors.same();
            })
            .onAnyMessage(c -> {
                if (stash.isFull()) {
                    refuse(c, new IllegalStateException("too many commands while the authenticator starts"));
                } else {
                    stash.stash(c);
                }
                return Behaviors.same();
            })
            .build();
    }

    // ------------------------------------------------------------------ running

    private static final class Running extends AbstractBehavior<Command> {
        private final ZContext ctx;
        private final ZSocket socket;
        private final Runnable onStopped;
        private final Executor blocking;
        private final ArrayDeque<Change> changes = new ArrayDeque<>();
        private AuthPolicy policy;
        private boolean loading;
        private final List<ActorRef<Done>> stoppers = new ArrayList<>();
        private boolean stopping;
        private long requests;
        private long accepted;
        private long denied;
        private long errors;
        private long ignored;

        Running(ActorContext<Command> context, ZContext ctx, ZSocket socket, AuthPolicy policy, Runnable onStopped) {
            super(context);
            this.ctx = ctx;
            this.socket = socket;
            this.policy = policy;
            this.onStopped = onStopped;
            this.blocking = context.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
        }

        @Override
        public Receive<Command> createReceive() {
            return newReceiveBuilder()
                .onMessage(Request.class, r -> {
                    try {
                        handle(r.msg());
                    } finally {
                        socket.ack(1);
                    }
                    return this;
                })
                .onMessage(Allow.class, a -> enqueue(new Change(s -> s.plusAllow(a.addresses().toArray(String[]::new)),
                    false, a.replyTo())))
                .onMessage(Deny.class, d -> enqueue(new Change(s -> s.plusDeny(d.addresses().toArray(String[]::new)),
                    false, d.replyTo())))
                .onMessage(Configure.class, c -> enqueue(new Change(c.change(), false, c.replyTo())))
                .onMessage(Reload.class, r -> enqueue(new Change(UnaryOperator.identity(), true, r.replyTo())))
                .onMessage(PolicyLoaded.class, this::onLoaded)
                .onMessage(GetSettings.class, g -> {
                    g.replyTo().tell(policy.settings);
                    return this;
                })
                .onMessage(GetStats.class, g -> {
                    g.replyTo().tell(new Stats(requests, accepted, denied, errors, ignored));
                    return this;
                })
                .onMessage(Stop.class, this::onStop)
                .onMessage(SocketClosed.class, c -> Behaviors.stopped())
                .onSignal(Terminated.class, t -> {
                    if (stopping) {
                        return this; // Stop's own close completes too (SocketClosed): stopping now would dead-letter it
                    }
                    log(getContext(), policy.settings, "authenticator stops: its socket closed (context {} closing)",
                        ctx.name());
                    return Behaviors.stopped();
                })
                .onSignal(PostStop.class, s -> {
                    socket.close();
                    IllegalStateException gone = new IllegalStateException("the authenticator stopped");
                    changes.forEach(c -> reply(c.replyTo(), StatusReply.error(gone)));
                    changes.clear();
                    stoppers.forEach(r -> r.tell(Done.getInstance()));
                    onStopped.run();
                    return this;
                })
                .build();
        }

        // -------------------------------------------------------------- policy changes

        private Behavior<Command> enqueue(Change c) {
            if (stopping) {
                reply(c.replyTo(), StatusReply.error(new IllegalStateException("the authenticator is stopping")));
            } else if (changes.size() >= MAX_PENDING_CHANGES) {
                reply(c.replyTo(), StatusReply.error(new IllegalStateException("too many policy changes pending")));
            } else {
                changes.add(c);
                nextChange();
            }
            return this;
        }

        private void nextChange() {
            while (!loading && !changes.isEmpty()) {
                Change c = changes.peek();
                AuthSettings next;
                try {
                    next = Objects.requireNonNull(c.op().apply(policy.settings), "the change returned null settings");
                } catch (RuntimeException e) {
                    changes.poll();
                    reply(c.replyTo(), StatusReply.error(e));
                    continue;
                }
                boolean sameFiles = next.passwordFile().equals(policy.settings.passwordFile())
                    && next.curveCertificates().equals(policy.settings.curveCertificates());
                if (sameFiles && !c.reload()) {
                    changes.poll();
                    apply(new AuthPolicy(next, policy.fileUsers, policy.store));
                    reply(c.replyTo(), StatusReply.ack());
                } else {
                    loading = true;
                    getContext().pipeToSelf(CompletableFuture.supplyAsync(() -> loadPolicy(next), blocking),
                        (p, e) -> new PolicyLoaded(p, e == null ? null : unwrap(e)));
                }
            }
        }

        private Behavior<Command> onLoaded(PolicyLoaded l) {
            loading = false;
            Change c = changes.poll();
            if (l.error() != null) {
                getContext().getLog().warn("authenticator policy change refused, previous policy stays: {}",
                    l.error().toString());
                if (c != null) {
                    reply(c.replyTo(), StatusReply.error(l.error()));
                }
            } else {
                apply(l.policy());
                if (c != null) {
                    reply(c.replyTo(), StatusReply.ack());
                }
            }
            nextChange();
            return this;
        }

        private void apply(AuthPolicy next) {
            policy = next;
            log(getContext(), next.settings, "authenticator policy: {}; {} users from the password file, {}",
                next.settings, next.fileUsers.size(), next.store);
            next.store.skipped().forEach((file, why) ->
                getContext().getLog().warn("certificate directory: skipped {}: {}", file, why));
        }

        // -------------------------------------------------------------- stopping

        private Behavior<Command> onStop(Stop s) {
            if (s.replyTo() != null) {
                stoppers.add(s.replyTo());
            }
            if (!stopping) {
                stopping = true;
                log(getContext(), policy.settings, "authenticator stopping: unbinding {}", ENDPOINT);
                getContext().pipeToSelf(socket.unbind(ENDPOINT).handle((d, e) -> Done.getInstance())
                    .thenCompose(d -> socket.close()), (d, e) -> new SocketClosed());
            }
            return this;
        }

        // -------------------------------------------------------------- requests

        private void handle(Msg msg) {
            requests++;
            List<Frame> f = msg.frames();
            int body = bodyStart(f);
            if (body < 0 || f.size() - body < 2) {
                ignored++;
                getContext().getLog().warn("malformed ZAP request ignored: {} frames and no request id found",
                    f.size());
                return;
            }
            List<Frame> envelope = f.subList(0, body);
            Frame requestId = f.get(body + 1);
            if (!f.get(body).equals(VERSION)) {
                malformed(envelope, requestId, "Unsupported ZAP version", "version frame is " + f.get(body));
                return;
            }
            if (f.size() - body < 6) {
                malformed(envelope, requestId, "Malformed ZAP request", (f.size() - body)
                    + " frames after the envelope; at least 6 are required");
                return;
            }
            String mechanism = f.get(body + 5).asString();
            String domain = f.get(body + 2).asString();
            String address = f.get(body + 3).asString();
            AuthPolicy.Decision d;
            if (!mechanism.equals("NULL") && !mechanism.equals("PLAIN") && !mechanism.equals("CURVE")) {
                d = policy.decide(address, mechanism, List.of());
            } else {
                ZapRequest request;
                try {
                    request = ZapCodec.decodeRequest(f.subList(body, f.size()));
                } catch (ZmtpException e) {
                    malformed(envelope, requestId, "Malformed ZAP request", e.getMessage());
                    return;
                }
                d = policy.decide(request.address(), mechanism, request.credentials());
            }
            if (d.statusCode().equals("200")) {
                accepted++;
            } else {
                denied++;
            }
            log(getContext(), policy.settings, "ZAP {} from {} (domain {}): {} {}: {}", mechanism,
                AuthPolicy.printable(address), AuthPolicy.printable(domain), d.statusCode(), d.statusText(), d.detail());
            send(envelope, new ZapReply(requestId.toByteArray(), d.statusCode(), d.statusText(), d.userId(),
                d.metadata()));
        }

        private void malformed(List<Frame> envelope, Frame requestId, String text, String why) {
            errors++;
            getContext().getLog().warn("malformed ZAP request answered 500: {}", why);
            send(envelope, new ZapReply(requestId.toByteArray(), "500", text, "", Metadata.EMPTY));
        }

        private void send(List<Frame> envelope, ZapReply reply) {
            List<Frame> out = new ArrayList<>(envelope);
            List<Frame> frames = ZapCodec.encodeReply(reply);
            out.addAll(frames.subList(1, frames.size())); // the envelope carries the delimiter, if any
            // A ROUTER send never waits; a full or vanished server loses its reply (and times out its handshake).
            if (!socket.trySend(Msg.ofFrames(out))) {
                getContext().getLog().warn("ZAP reply dropped: the requesting server is gone or not reading");
            }
        }
    }

    /**
     * Where the ZAP frames start after the ROUTER's routing id: after an empty delimiter (REQ and libzmq's
     * DEALER send one), right away when the next frame is the version (a DEALER without delimiter), or
     * after the first empty frame (more routing ids from intermediaries). -1 when there is no sign of either.
     */
    static int bodyStart(List<Frame> f) {
        if (f.size() < 2) {
            return -1;
        }
        if (f.get(1).isEmpty()) {
            return 2;
        }
        if (f.get(1).equals(VERSION)) {
            return 1;
        }
        for (int i = 2; i < f.size(); i++) {
            if (f.get(i).isEmpty()) {
                return i + 1;
            }
        }
        return -1;
    }

    // ------------------------------------------------------------------ helpers

    private static AuthPolicy loadPolicy(AuthSettings settings) {
        try {
            return AuthPolicy.load(settings);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void log(ActorContext<?> context, AuthSettings settings, String format, Object... args) {
        if (settings.verbose()) {
            context.getLog().info(format, args);
        } else {
            context.getLog().debug(format, args);
        }
    }

    private static void reply(ActorRef<StatusReply<Done>> to, StatusReply<Done> r) {
        if (to != null) {
            to.tell(r);
        }
    }

    private static void refuse(Command c, Throwable cause) {
        StatusReply<Done> err = StatusReply.error(cause);
        if (c instanceof Allow a) {
            reply(a.replyTo(), err);
        } else if (c instanceof Deny d) {
            reply(d.replyTo(), err);
        } else if (c instanceof Configure x) {
            reply(x.replyTo(), err);
        } else if (c instanceof Reload r) {
            reply(r.replyTo(), err);
        } else if (c instanceof Stop s && s.replyTo() != null) {
            s.replyTo().tell(Done.getInstance());
        }
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof UncheckedIOException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
