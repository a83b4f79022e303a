package io.rzmq.pekko.internal.context;

import io.rzmq.pekko.internal.support.RzmqDispatcher;
import io.rzmq.pekko.model.RzmqException;
import io.rzmq.pekko.model.RzmqException.Code;
import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.pekko.internal.pipe.Pipe;
import io.rzmq.pekko.internal.security.ZapClient;
import io.rzmq.pekko.internal.security.ZapGate;
import io.rzmq.pekko.internal.socket.SocketCommand;
import io.rzmq.pekko.internal.socket.ContextLink;
import io.rzmq.pekko.internal.socket.SocketCore;
import io.rzmq.pekko.model.Endpoint;
import io.rzmq.pekko.internal.pipe.PipeId;
import io.rzmq.pekko.internal.session.Transport;
import io.rzmq.pekko.internal.transport.TransportEvent;
import io.rzmq.protocol.Metadata;
import io.rzmq.protocol.SocketType;
import io.rzmq.protocol.connection.PeerInfo;
import io.rzmq.protocol.security.ZapCodec;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A ZeroMQ context as an actor: the parent of its sockets' SocketCore actors and the inproc registry.
 * inproc wiring: a bind registers (name -> socket, type); a connect gets a pipe pair at once and, when
 * the name is bound (now or later: connect-before-bind), both sockets receive the pair as a
 * {@link TransportEvent.PipeAttached} (the connecter first attached it without a peer and then gets
 * {@link TransportEvent.PeerReady}, as a tcp connect does). No session or engine sits in between.
 *
 * <p>ZAP: the context's {@link ZapClient} (a child) talks to whichever REP or ROUTER socket binds
 * {@code inproc://zeromq.zap.01}; the {@link ZapGate} its sockets' engines hold says whether one is bound,
 * updated here in step with the registry.
 */
public final class ContextActor extends AbstractBehavior<ContextCommand> {

    private record Binding(ActorRef<SocketCommand> socket, SocketType type, SocketOptions options) {
    }

    private record Pending(ActorRef<SocketCommand> socket, SocketType type, SocketOptions options, PipeId id,
                           Pipe toBinder, Pipe toConnecter) {
    }

    private final String name;
    private final Map<Endpoint.Scheme, Transport> transports;
    private final int batch;
    private final ActorRef<ZapClient.Command> zapClient;
    private final ZapGate zap;
    private final ContextLink link;
    private final Map<ActorRef<SocketCommand>, SocketType> sockets = new HashMap<>();
    private final Map<String, Binding> binds = new HashMap<>();
    private final Map<String, List<Pending>> pending = new HashMap<>();
    private final List<CompletableFuture<Done>> closeWaiters = new ArrayList<>();
    private boolean closing;
    private boolean zapClientGone;
    private long socketCounter;

    /** @param zapMaxPending how many ZAP requests may wait for the handler at once */
    public static Behavior<ContextCommand> create(String name, Map<Endpoint.Scheme, Transport> transports, int batch,
                                                  int zapMaxPending) {
        return Behaviors.setup(ctx -> new ContextActor(ctx, name, transports, batch, zapMaxPending));
    }

    private ContextActor(ActorContext<ContextCommand> ctx, String name, Map<Endpoint.Scheme, Transport> transports,
                         int batch, int zapMaxPending) {
        super(ctx);
        this.name = name;
        this.transports = transports;
        this.batch = batch;
        this.zapClient = ctx.spawn(ZapClient.create(zapMaxPending), "zap-client");
        ctx.watchWith(zapClient, new ContextCommand.ZapClientStopped());
        this.zap = new ZapGate(zapClient);
        this.link = new Link(ctx.getSelf());
    }

    /** What the sockets of this context ask of it: each call is a message to this actor. */
    private record Link(ActorRef<ContextCommand> context) implements ContextLink {
        @Override
        public void inprocBind(String name, ActorRef<SocketCommand> socket, SocketType type, SocketOptions options,
                               CompletableFuture<String> result) {
            context.tell(new ContextCommand.InprocBind(name, socket, type, options, result));
        }

        @Override
        public void inprocUnbind(String name, ActorRef<SocketCommand> socket, CompletableFuture<Done> result) {
            context.tell(new ContextCommand.InprocUnbind(name, socket, result));
        }

        @Override
        public void inprocConnect(String name, ActorRef<SocketCommand> socket, SocketType type,
                                  SocketOptions options, CompletableFuture<Done> result) {
            context.tell(new ContextCommand.InprocConnect(name, socket, type, options, result));
        }

        @Override
        public void socketClosing(ActorRef<SocketCommand> socket) {
            context.tell(new ContextCommand.SocketClosing(socket));
        }

        @Override
        public void socketStopped(ActorRef<SocketCommand> socket) {
            context.tell(new ContextCommand.SocketStopped(socket));
        }
    }

    @Override
    public Receive<ContextCommand> createReceive() {
        return newReceiveBuilder()
            .onMessage(ContextCommand.CreateSocket.class, this::onCreate)
            .onMessage(ContextCommand.InprocBind.class, this::onBind)
            .onMessage(ContextCommand.InprocUnbind.class, this::onUnbind)
            .onMessage(ContextCommand.InprocConnect.class, this::onConnect)
            .onMessage(ContextCommand.SocketClosing.class, this::onSocketClosing)
            .onMessage(ContextCommand.SocketStopped.class, this::onSocketStopped)
            .onMessage(ContextCommand.Close.class, this::onClose)
            .onMessage(ContextCommand.ZapClientStopped.class, z -> onZapClientStopped())
            .onSignal(PostStop.class, s -> onPostStop())
            .build();
    }

    private RzmqException closedError() {
        return new RzmqException(Code.ETERM, "context '" + name + "' is closed");
    }

    private Behavior<ContextCommand> onCreate(ContextCommand.CreateSocket c) {
        if (closing) {
            c.result().completeExceptionally(closedError());
            return this;
        }
        String actorName = "socket-" + c.type().name().toLowerCase(Locale.ROOT) + "-" + (++socketCounter);
        ActorRef<SocketCommand> ref;
        try {
            ref = getContext().spawn(SocketCore.create(c.bridge(), c.options(), link, transports, batch,
                zap), actorName, RzmqDispatcher.selector(getContext().getSystem()));
        } catch (RuntimeException e) {
            c.result().completeExceptionally(e);
            return this;
        }
        c.bridge().attachCore(ref);
        getContext().watchWith(ref, new ContextCommand.SocketStopped(ref));
        sockets.put(ref, c.type());
        c.result().complete(ref);
        return this;
    }

    /** SNDHWM + RCVHWM, saturating. */
    static int inprocHwm(int sndHwm, int rcvHwm) {
        long sum = (long) sndHwm + rcvHwm;
        return (int) Math.min(sum, Integer.MAX_VALUE / 2);
    }

    private static PeerInfo peerInfo(SocketType type, SocketOptions options) {
        return new PeerInfo(1, type, Metadata.builder()
            .put(Metadata.SOCKET_TYPE, type.zmtpName())
            .put(Metadata.IDENTITY, options.routingId())
            .build(), "");
    }

    private static String endpoint(String name) {
        return "inproc://" + name;
    }

    private Behavior<ContextCommand> onBind(ContextCommand.InprocBind b) {
        if (closing) {
            b.result().completeExceptionally(closedError());
            return this;
        }
        Binding existing = binds.get(b.name());
        if (existing != null) {
            b.result().completeExceptionally(new RzmqException(Code.EADDRINUSE,
                endpoint(b.name()) + " is already bound" + (existing.socket.equals(b.socket()) ? " by this socket" : "")));
            return this;
        }
        Binding binding = new Binding(b.socket(), b.type(), b.options());
        binds.put(b.name(), binding);
        if (isZap(b.name())) {
            zapHandlerBound(binding);
        }
        List<TransportEvent.PipeAttached> attached = new ArrayList<>();
        List<Pending> waiting = pending.remove(b.name());
        if (waiting != null) {
            for (Pending p : waiting) {
                if (!sockets.containsKey(p.socket) && p.toBinder.isFinished()) {
                    continue; // the connecter is gone and left nothing to deliver
                }
                if (!b.type().canTalkTo(p.type)) {
                    getContext().getLog().warn("{}: dropping a pending connect from a {} socket: {} cannot talk to {}",
                        endpoint(b.name()), p.type, b.type(), p.type);
                    p.socket.tell(new SocketCommand.FromTransport(new TransportEvent.PipeDetached(p.id)));
                    continue;
                }
                attached.add(new TransportEvent.PipeAttached(
                    p.id, p.toConnecter, p.toBinder, peerInfo(p.type, p.options), endpoint(b.name())));
                p.socket.tell(new SocketCommand.FromTransport(new TransportEvent.PeerReady(p.id,
                    peerInfo(b.type(), b.options()))));
            }
        }
        // The binder attaches the pending pipes and completes the bind in one step (see InprocAnswer).
        b.socket().tell(new SocketCommand.InprocAnswer<>(attached, b.result(), endpoint(b.name())));
        return this;
    }

    private Behavior<ContextCommand> onUnbind(ContextCommand.InprocUnbind u) {
        Binding existing = binds.get(u.name());
        if (existing == null || !existing.socket.equals(u.socket())) {
            u.result().completeExceptionally(new RzmqException(Code.ENOENT, "this socket is not bound to " + endpoint(u.name())));
            return this;
        }
        binds.remove(u.name());
        if (isZap(u.name())) {
            zapHandlerGone(u.socket());
        }
        u.result().complete(Done.getInstance());
        return this;
    }

    private Behavior<ContextCommand> onConnect(ContextCommand.InprocConnect c) {
        if (closing) {
            c.result().completeExceptionally(closedError());
            return this;
        }
        Binding b = binds.get(c.name());
        if (b != null && !c.type().canTalkTo(b.type)) {
            c.result().completeExceptionally(new RzmqException(Code.EPROTO, "a " + c.type() + " socket cannot connect to "
                + endpoint(c.name()) + ": it is bound by a " + b.type + " socket"));
            return this;
        }
        PipeId id = PipeId.next();
        // CONFLATE on either end makes the pipe keep only the latest message.
        boolean binderConflates = b != null && b.options.conflate();
        // As libzmq: an inproc pipe holds the writer's SNDHWM plus the reader's RCVHWM (the sockets have no queue
        // of their own in front of the pipes). Connected before the bind, the binder's HWMs are not known yet:
        // the connecter's own stand in (libzmq raises the pipe's limit when the bind comes).
        SocketOptions binder = b != null ? b.options : c.options();
        Pipe toBinder = Pipe.of(inprocHwm(c.options().sndHwm(), binder.rcvHwm()), c.options().conflate() || binderConflates);
        Pipe toConnecter = Pipe.of(inprocHwm(binder.sndHwm(), c.options().rcvHwm()),
            c.options().conflate() || binderConflates);
        if (b != null) {
            b.socket.tell(new SocketCommand.FromTransport(new TransportEvent.PipeAttached(
                id, toConnecter, toBinder, peerInfo(c.type(), c.options()), endpoint(c.name()))));
            c.socket().tell(new SocketCommand.InprocAnswer<>(List.of(new TransportEvent.PipeAttached(
                id, toBinder, toConnecter, peerInfo(b.type, b.options), endpoint(c.name()))), c.result(), Done.getInstance()));
        } else {
            // Connect before bind: the connecter gets its pipe now (messages queue in it, as with libzmq),
            // the peer side when somebody binds the name.
            c.socket().tell(new SocketCommand.InprocAnswer<>(List.of(new TransportEvent.PipeAttached(
                id, toBinder, toConnecter, null, endpoint(c.name()))), c.result(), Done.getInstance()));
            pending.computeIfAbsent(c.name(), k -> new ArrayList<>())
                .add(new Pending(c.socket(), c.type(), c.options(), id, toBinder, toConnecter));
        }
        // The connecter attaches its pipe and completes the connect in one step (see InprocAnswer).
        return this;
    }

    private Behavior<ContextCommand> onSocketClosing(ContextCommand.SocketClosing s) {
        dropBinds(s.socket());
        return this;
    }

    private void dropBinds(ActorRef<SocketCommand> socket) {
        Binding zapBinding = binds.get(ZAP_NAME);
        if (zapBinding != null && zapBinding.socket.equals(socket)) {
            zapHandlerGone(socket);
        }
        binds.values().removeIf(b -> b.socket.equals(socket));
    }

    // ---- ZAP ----

    private static final String ZAP_NAME = ZapCodec.ENDPOINT.substring("inproc://".length());

    private static boolean isZap(String inprocName) {
        return ZAP_NAME.equals(inprocName);
    }

    /**
     * Before the bind's stage completes: a connection started after it must see the handler. The client
     * hears of it first, so an engine that sees the flag asks only after the client knows the handler.
     */
    private void zapHandlerBound(Binding binding) {
        ActorRef<SocketCommand> socket = binding.socket;
        zapClient.tell(new ZapClient.HandlerBound(socket,
            event -> socket.tell(new SocketCommand.FromTransport(event)), binding.type, binding.options));
        zap.setHandlerBound(binding.type == SocketType.REP || binding.type == SocketType.ROUTER);
    }

    private void zapHandlerGone(ActorRef<SocketCommand> socket) {
        zap.setHandlerBound(false);
        zapClient.tell(new ZapClient.HandlerGone(socket));
    }

    private Behavior<ContextCommand> onSocketStopped(ContextCommand.SocketStopped s) {
        // The socket says so itself as it stops; its Terminated would follow (and race our own stop).
        getContext().unwatch(s.socket());
        if (sockets.remove(s.socket()) == null) {
            return this;
        }
        dropBinds(s.socket());
        // A pending connect of a stopped socket stays only while it has something left to deliver.
        for (Iterator<List<Pending>> it = pending.values().iterator(); it.hasNext(); ) {
            List<Pending> list = it.next();
            list.removeIf(p -> p.socket.equals(s.socket()) && p.toBinder.isFinished());
            if (list.isEmpty()) {
                it.remove();
            }
        }
        if (closing && sockets.isEmpty()) {
            return stopZapClient();
        }
        return this;
    }

    /**
     * The last step of a close: the ZAP client stops first, on a Stop queued behind whatever this context
     * already told it (a HandlerGone just sent), and the context stops on its termination. Stopping the
     * context at once would stop the child before it read its mailbox: dead letters.
     */
    private Behavior<ContextCommand> stopZapClient() {
        if (zapClientGone) {
            return Behaviors.stopped();
        }
        zapClient.tell(ZapClient.Stop.INSTANCE);
        return this;
    }

    private Behavior<ContextCommand> onZapClientStopped() {
        zapClientGone = true;
        if (closing && sockets.isEmpty()) {
            return Behaviors.stopped();
        }
        // Only a bug stops it earlier: the sockets live on, handshakes that need ZAP then time out.
        getContext().getLog().error("context '{}': its ZAP client stopped unexpectedly", name);
        return this;
    }

    private Behavior<ContextCommand> onClose(ContextCommand.Close c) {
        closeWaiters.add(c.result());
        if (closing) {
            return this;
        }
        closing = true;
        if (sockets.isEmpty()) {
            return stopZapClient();
        }
        for (ActorRef<SocketCommand> s : sockets.keySet()) {
            s.tell(new SocketCommand.Close(c.lingerCap()));
        }
        return this;
    }

    private Behavior<ContextCommand> onPostStop() {
        for (CompletableFuture<Done> w : closeWaiters) {
            w.complete(Done.getInstance());
        }
        return this;
    }
}
