package io.rzmq.pekko.typed;

import io.rzmq.pekko.Rzmq;
import io.rzmq.pekko.model.RzmqException;
import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.pekko.model.MonitorEvent;
import io.rzmq.pekko.api.ZContext;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.pekko.internal.socket.SocketStatus;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.pattern.StatusReply;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * A ZeroMQ socket as a typed actor. Spawn {@link #create(ZContext, SocketType, SocketOptions)} (or
 * {@link #wrap(ZSocket)}), then tell it {@link Bind}, {@link Connect}, {@link Subscribe}, {@link Send},
 * {@link Monitor} ...;
 * each command carries a {@code replyTo} that gets a {@link StatusReply}: success with the result, or an
 * error carrying the {@code RzmqException} (ETERM, ENOTSUP, EADDRINUSE, ...). That makes every command
 * usable with {@code AskPattern.askWithStatus}.
 *
 * <p>Receiving: either ask with {@link Receive}, or register a subscriber with {@link Deliver}: the socket
 * then pushes {@link Delivery} messages to it, at most {@code window} ahead of its {@link Delivery#ack()}s,
 * so a slow subscriber holds at most the window in its mailbox while further messages wait in the socket
 * (RCVHWM) and back-pressure the peers. The actor never blocks: every outcome of the socket is piped back
 * to it as a message. It closes its socket when it stops; it stops after {@link Close}, or when its
 * subscriber terminates.
 */
public final class ZmqSocketActor {
    /** The default delivery window (messages a subscriber may hold unacknowledged). */
    public static final int DEFAULT_WINDOW = 16;
    private static final int STASH_CAPACITY = 10_000;

    private ZmqSocketActor() {
    }

    /** What the actor understands. */
    public sealed interface Command {
    }

    /** Bind; replies with the resolved endpoint (real port for {@code tcp://host:*}). */
    public record Bind(String endpoint, ActorRef<StatusReply<String>> replyTo) implements Command {
    }

    public record Connect(String endpoint, ActorRef<StatusReply<Done>> replyTo) implements Command {
    }

    public record Unbind(String endpoint, ActorRef<StatusReply<Done>> replyTo) implements Command {
    }

    public record Disconnect(String endpoint, ActorRef<StatusReply<Done>> replyTo) implements Command {
    }

    /** SUB: receive messages whose first frame starts with {@code topic} ("" for everything). */
    public record Subscribe(String topic, ActorRef<StatusReply<Done>> replyTo) implements Command {
    }

    public record Unsubscribe(String topic, ActorRef<StatusReply<Done>> replyTo) implements Command {
    }

    /**
     * Send a (multipart) message; the reply comes once the socket has taken it (at once while SNDHWM has
     * room), so a sender that waits for it is paced by the socket. {@code replyTo} may be null (no reply).
     */
    public record Send(Msg msg, ActorRef<StatusReply<Done>> replyTo) implements Command {
        /** A send nobody needs an answer for (its pace is then not limited: prefer a replyTo). */
        public static Send noReply(Msg msg) {
            return new Send(msg, null);
        }
    }

    /** The next received message (not available once a subscriber was registered with {@link Deliver}). */
    public record Receive(ActorRef<StatusReply<Msg>> replyTo) implements Command {
    }

    /**
     * From now on push received messages to {@code subscriber} as {@link Delivery}s, at most {@code window}
     * unacknowledged. A second Deliver replaces the subscriber (the window stays).
     */
    public record Deliver(ActorRef<Delivery> subscriber, int window, ActorRef<StatusReply<Done>> replyTo)
        implements Command {
        /** With the {@linkplain #DEFAULT_WINDOW default window}. */
        public Deliver(ActorRef<Delivery> subscriber, ActorRef<StatusReply<Done>> replyTo) {
            this(subscriber, DEFAULT_WINDOW, replyTo);
        }
    }

    /** A subscriber processed {@code count} more deliveries (see {@link Delivery#ack()}). */
    public record Ack(int count) implements Command {
        public static final Ack ONE = new Ack(1);
    }

    /**
     * Send the socket's lifecycle events (LISTENING, ACCEPTED, CONNECTED, HANDSHAKE_*, DISCONNECTED, ...) to
     * {@code target}, as {@code ZSocket.monitor} (zmq_socket_monitor): the reply comes once the socket sends
     * to it, so events from then on are seen. Several monitors may watch one socket; each gets
     * MONITOR_STOPPED last ({@link StopMonitor}, or the socket closing when this actor stops).
     */
    public record Monitor(ActorRef<MonitorEvent> target, ActorRef<StatusReply<Done>> replyTo) implements Command {
    }

    /** Stop sending events to {@code target}, which gets MONITOR_STOPPED; an error (ENOENT) if it was not monitoring. */
    public record StopMonitor(ActorRef<MonitorEvent> target, ActorRef<StatusReply<Done>> replyTo)
        implements Command {
    }

    /** A snapshot of the socket's state (peers, queue sizes). */
    public record GetStatus(ActorRef<StatusReply<SocketStatus>> replyTo) implements Command {
    }

    /** Close the socket (honouring LINGER), reply when it is closed, then stop. */
    public record Close(ActorRef<StatusReply<Done>> replyTo) implements Command {
    }

    /** A received message for a subscriber; call {@link #ack()} once it is processed. */
    public record Delivery(Msg msg, ActorRef<Ack> ackTo) {
        public void ack() {
            ackTo.tell(Ack.ONE);
        }
    }

    // ------------------------------------------------------------------ internal messages

    private record SocketOpened(ZSocket socket) implements Command {
    }

    private record SocketFailed(Throwable cause) implements Command {
    }

    private record Delivered(Msg msg) implements Command {
    }

    private record Completed<T>(ActorRef<StatusReply<T>> replyTo, T value, Throwable error) {
        void reply() {
            if (replyTo != null) {
                replyTo.tell(error == null ? StatusReply.success(value) : StatusReply.error(unwrap(error)));
            }
        }
    }

    private record DeliveryStarted(ActorRef<StatusReply<Done>> replyTo, Throwable error) implements Command {
    }

    private record Closed() implements Command {
    }

    private record SubscriberGone(ActorRef<Delivery> subscriber) implements Command {
    }

    // ------------------------------------------------------------------ factories

    /** A new socket of {@code type} in {@code ctx}; commands sent before it exists wait (stashed). */
    public static Behavior<Command> create(ZContext ctx, SocketType type, SocketOptions options) {
        Objects.requireNonNull(ctx, "ctx");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(options, "options");
        return Behaviors.withStash(STASH_CAPACITY, stash -> Behaviors.setup(context -> {
            // ZSocket.create waits briefly for the context: keep that off the actor's thread.
            Executor blocking = context.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
            CompletableFuture<ZSocket> creating =
                CompletableFuture.supplyAsync(() -> ZSocket.create(ctx, type, options), blocking);
            context.pipeToSelf(creating,
                (socket, err) -> err == null ? new SocketOpened(socket) : new SocketFailed(err));
            return opening(context, stash, creating);
        }));
    }

    /** A new socket of {@code type} with default options in {@code rzmq}'s default context. */
    public static Behavior<Command> create(Rzmq rzmq, SocketType type) {
        ZContext ctx = rzmq.defaultContext();
        return create(ctx, type, ctx.defaultOptions());
    }

    /** A new socket of {@code type} with {@code options} in {@code rzmq}'s default context. */
    public static Behavior<Command> create(Rzmq rzmq, SocketType type, SocketOptions options) {
        return create(rzmq.defaultContext(), type, options);
    }

    /** An actor for a socket you created; the actor owns it from now on (and closes it when it stops). */
    public static Behavior<Command> wrap(ZSocket socket) {
        Objects.requireNonNull(socket, "socket");
        return Behaviors.setup(context -> new Running(context, socket));
    }

    private static Behavior<Command> opening(ActorContext<Command> context, StashBuffer<Command> stash,
                                             CompletableFuture<ZSocket> creating) {
        return Behaviors.receive(Command.class)
            .onMessage(SocketOpened.class, o -> stash.unstashAll(new Running(context, o.socket())))
            .onMessage(SocketFailed.class, f -> {
                Throwable cause = unwrap(f.cause());
                context.getLog().warn("could not create the socket: {}", cause.toString());
                stash.forEach(c -> failCommand(c, cause));
                return Behaviors.stopped();
            })
            .onAnyMessage(c -> {
                if (stash.isFull()) {
                    failCommand(c, new IllegalStateException("too many commands while the socket is being created"));
                } else {
                    stash.stash(c);
                }
                return Behaviors.same();
            })
            .onSignal(PostStop.class, s -> {
                // Stopped before the socket opened: nobody will own it, and nobody will answer what waited.
                creating.thenAccept(ZSocket::close);
                RzmqException closed = new RzmqException(RzmqException.Code.ETERM,
                    "the socket actor stopped before its socket opened");
                stash.forEach(c -> failCommand(c, closed));
                return Behaviors.same();
            })
            .build();
    }

    private static void failCommand(Command c, Throwable cause) {
        ActorRef<? extends StatusReply<?>> to = null;
        if (c instanceof Bind x) {
            to = x.replyTo();
        } else if (c instanceof Connect x) {
            to = x.replyTo();
        } else if (c instanceof Unbind x) {
            to = x.replyTo();
        } else if (c instanceof Disconnect x) {
            to = x.replyTo();
        } else if (c instanceof Subscribe x) {
            to = x.replyTo();
        } else if (c instanceof Unsubscribe x) {
            to = x.replyTo();
        } else if (c instanceof Send x) {
            to = x.replyTo();
        } else if (c instanceof Receive x) {
            to = x.replyTo();
        } else if (c instanceof Deliver x) {
            to = x.replyTo();
        } else if (c instanceof GetStatus x) {
            to = x.replyTo();
        } else if (c instanceof Monitor x) {
            to = x.replyTo();
        } else if (c instanceof StopMonitor x) {
            to = x.replyTo();
        } else if (c instanceof Close x) {
            to = x.replyTo();
        }
        if (to != null) {
            @SuppressWarnings("unchecked")
            ActorRef<StatusReply<Object>> anyTo = (ActorRef<StatusReply<Object>>) to;
            anyTo.tell(StatusReply.error(cause));
        }
    }

    private static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    // ------------------------------------------------------------------ the running socket

    private static final class Running extends AbstractBehavior<Command> {
        private final ZSocket socket;
        private final ActorRef<Msg> deliveries;
        private final ActorRef<Ack> ackRef;
        private ActorRef<Delivery> subscriber;
        private boolean deliveryStarted;
        private long unacked;
        private final List<ActorRef<StatusReply<Done>>> closeWaiters = new ArrayList<>();

        Running(ActorContext<Command> context, ZSocket socket) {
            super(context);
            this.socket = socket;
            this.deliveries = context.messageAdapter(Msg.class, Delivered::new);
            this.ackRef = context.getSelf().narrow();
        }

        @Override
        public org.apache.pekko.actor.typed.javadsl.Receive<Command> createReceive() {
            return newReceiveBuilder()
                .onMessage(Send.class, this::onSend)
                .onMessage(Ack.class, this::onAck)
                .onMessage(Delivered.class, this::onDelivered)
                .onMessage(Bind.class, b -> reply(socket.bind(b.endpoint()), b.replyTo()))
                .onMessage(Connect.class, c -> reply(socket.connect(c.endpoint()), c.replyTo()))
                .onMessage(Unbind.class, c -> reply(socket.unbind(c.endpoint()), c.replyTo()))
                .onMessage(Disconnect.class, c -> reply(socket.disconnect(c.endpoint()), c.replyTo()))
                .onMessage(Subscribe.class, s -> reply(socket.subscribe(s.topic()), s.replyTo()))
                .onMessage(Unsubscribe.class, s -> reply(socket.unsubscribe(s.topic()), s.replyTo()))
                .onMessage(Receive.class, r -> reply(socket.receive(), r.replyTo()))
                .onMessage(GetStatus.class, s -> reply(socket.status(), s.replyTo()))
                .onMessage(Monitor.class, m -> reply(socket.monitor(m.target()), m.replyTo()))
                .onMessage(StopMonitor.class, m -> reply(socket.stopMonitor(m.target()), m.replyTo()))
                .onMessage(Deliver.class, this::onDeliver)
                .onMessage(DeliveryStarted.class, this::onDeliveryStarted)
                .onMessage(SubscriberGone.class, this::onSubscriberGone)
                .onMessage(Close.class, this::onClose)
                .onMessage(Closed.class, c -> {
                    closeWaiters.forEach(w -> w.tell(StatusReply.success(Done.getInstance())));
                    closeWaiters.clear();
                    return Behaviors.stopped();
                })
                .onSignal(PostStop.class, s -> {
                    CompletionStage<Done> closed = socket.close();
                    if (!closeWaiters.isEmpty()) {
                        // Stopped for another reason before Closed arrived: those who asked still hear.
                        List<ActorRef<StatusReply<Done>>> waiting = List.copyOf(closeWaiters);
                        closed.whenComplete((d, e) ->
                            waiting.forEach(w -> w.tell(StatusReply.success(Done.getInstance()))));
                    }
                    return this;
                })
                .build();
        }

        /**
         * Replies at once when the outcome is already there, else from the socket's completion itself (not
         * piped through this actor): the reply then comes even if this actor stops first.
         */
        private <T> Behavior<Command> reply(CompletionStage<T> stage, ActorRef<StatusReply<T>> replyTo) {
            CompletableFuture<T> f = stage.toCompletableFuture();
            if (f.isDone()) {
                T value = null;
                Throwable error = null;
                try {
                    value = f.join();
                } catch (CompletionException | java.util.concurrent.CancellationException e) {
                    error = e;
                }
                new Completed<>(replyTo, value, error).reply();
            } else if (replyTo != null) {
                f.whenComplete((v, e) -> new Completed<>(replyTo, v, e).reply());
            }
            return this;
        }

        private Behavior<Command> onSend(Send s) {
            CompletionStage<Done> sent;
            try {
                sent = socket.send(s.msg());
            } catch (RuntimeException e) {
                sent = CompletableFuture.failedStage(e);
            }
            return reply(sent, s.replyTo());
        }

        private Behavior<Command> onDeliver(Deliver d) {
            if (d.window() < 1) {
                d.replyTo().tell(StatusReply.error(new IllegalArgumentException("window must be at least 1, was "
                    + d.window())));
                return this;
            }
            if (subscriber != null) {
                getContext().unwatch(subscriber);
            }
            subscriber = d.subscriber();
            getContext().watchWith(subscriber, new SubscriberGone(subscriber));
            if (deliveryStarted) {
                d.replyTo().tell(StatusReply.success(Done.getInstance()));
                return this;
            }
            deliveryStarted = true;
            getContext().pipeToSelf(socket.deliverTo(deliveries, d.window()),
                (done, err) -> new DeliveryStarted(d.replyTo(), err));
            return this;
        }

        private Behavior<Command> onDeliveryStarted(DeliveryStarted s) {
            if (s.error() != null) {
                deliveryStarted = false;
                if (subscriber != null) {
                    getContext().unwatch(subscriber);
                    subscriber = null;
                }
                s.replyTo().tell(StatusReply.error(unwrap(s.error())));
            } else {
                s.replyTo().tell(StatusReply.success(Done.getInstance()));
            }
            return this;
        }

        private Behavior<Command> onDelivered(Delivered d) {
            unacked++;
            subscriber.tell(new Delivery(d.msg(), ackRef));
            return this;
        }

        private Behavior<Command> onAck(Ack a) {
            // More acks than deliveries would widen the window: ignore the excess.
            long n = Math.min(a.count(), unacked);
            if (n > 0) {
                unacked -= n;
                socket.ack((int) n);
            }
            return this;
        }

        private Behavior<Command> onSubscriberGone(SubscriberGone g) {
            if (g.subscriber().equals(subscriber)) {
                getContext().getLog().debug("subscriber {} terminated: closing {}", g.subscriber(), socket);
                return Behaviors.stopped();
            }
            return this;
        }

        private Behavior<Command> onClose(Close c) {
            if (c.replyTo() != null) {
                closeWaiters.add(c.replyTo());
            }
            getContext().pipeToSelf(socket.close(), (d, e) -> new Closed());
            return this;
        }
    }
}
