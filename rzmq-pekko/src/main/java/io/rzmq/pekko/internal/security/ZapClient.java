package io.rzmq.pekko.internal.security;

import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.pekko.internal.pipe.Pipe;
import io.rzmq.pekko.internal.pipe.PipeId;
import io.rzmq.pekko.internal.transport.TransportEvent;
import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Metadata;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import io.rzmq.protocol.ZmtpException;
import io.rzmq.protocol.connection.PeerInfo;
import io.rzmq.protocol.security.ZapCodec;
import io.rzmq.protocol.security.ZapReply;
import io.rzmq.protocol.security.ZapRequest;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One context's ZAP client: the peer of the handler socket bound at {@code inproc://zeromq.zap.01}.
 *
 * <p>Where libzmq gives every session its own inproc pipe to the handler, the whole context shares one
 * pipe pair here, attached to the handler socket as a DEALER peer would be: each request goes out as
 * {@code "" "1.0" id domain address identity mechanism credentials...}, so a REP handler (which strips
 * and restores the empty delimiter) and a ROUTER handler (which also sees our routing id) both work.
 * Mechanisms number their requests per connection (libzmq's NULL and PLAIN always say "1"), so each
 * request gets a context-unique id on the way out and its own id back on the way in; the reply goes to
 * the engine that asked.
 *
 * <p>Bounded: at most {@code maxPending} requests wait for an answer; more are refused at once (that
 * handshake fails). An engine that stops (its HANDSHAKE_IVL ran out, its peer left) drops its request;
 * a late answer is ignored. When the handler goes away (unbind, close) every waiting engine is told, so
 * its handshake fails instead of waiting for its timeout. A malformed reply fails the handshake it
 * names, or is dropped with a warning when it names none.
 */
public final class ZapClient extends AbstractBehavior<ZapClient.Command> {

    /** What the client understands. */
    public sealed interface Command {
    }

    /**
     * From the context: {@code socket} bound the ZAP endpoint (only REP and ROUTER are handlers);
     * {@code deliver} hands that socket a transport event (the socket layer is above this one).
     */
    public record HandlerBound(ActorRef<?> socket, Consumer<TransportEvent> deliver, SocketType type,
                               SocketOptions options)
        implements Command {
    }

    /** From the context: {@code socket} no longer holds the ZAP endpoint (unbound or closing). */
    public record HandlerGone(ActorRef<?> socket) implements Command {
    }

    /** From an engine (through its {@link ZapGate}): ask the handler; answer {@code engine}. */
    public record Ask(ZapRequest request, org.apache.pekko.actor.ActorRef engine) implements Command {
    }

    /**
     * From the context, as its last word: let go of the handler and stop, after everything already sent
     * here. The context stops on this client's termination.
     */
    public enum Stop implements Command {
        INSTANCE
    }

    /** Sent to ourselves once no wake-up can be sent any more: everything before it was read. */
    private enum Stopped implements Command {
        INSTANCE
    }

    /** Reader wake-up of the pipe the handler writes its replies into. */
    private record RepliesReadable(PipeId pipe) implements Command {
    }

    private record EngineStopped(org.apache.pekko.actor.ActorRef engine) implements Command {
    }

    private record Pending(org.apache.pekko.actor.ActorRef engine, byte[] requestId) {
    }

    /** Our end of the pipe pair attached to the handler socket. */
    private record Handler(ActorRef<?> socket, PipeId id, Pipe requests, Pipe replies) {
    }

    /** How the handler socket sees us. */
    private static final PeerInfo AS_PEER = new PeerInfo(1, SocketType.DEALER,
        Metadata.builder().put(Metadata.SOCKET_TYPE, SocketType.DEALER.zmtpName()).build(), "");

    private final int maxPending;
    private final Map<String, Pending> pending = new HashMap<>();
    private final Map<org.apache.pekko.actor.ActorRef, String> pendingByEngine = new HashMap<>();
    private Handler handler;
    private long lastId;
    /**
     * Guards {@link #wakeupsOpen}: a wake-up tells this actor while holding it, so once {@link #onStop}
     * closed the gate every wake-up ever sent is in the mailbox ahead of {@link Stopped}. (A pipe's
     * closeRead alone cannot promise that: a writer may have read the old wake-up just before.) One lock
     * per reply batch of the ZAP handler, off the data path.
     */
    private final Object wakeupLock = new Object();
    private boolean wakeupsOpen = true;

    /** @param maxPending how many requests may wait for an answer at once (at least 1) */
    public static Behavior<Command> create(int maxPending) {
        if (maxPending < 1) {
            throw new IllegalArgumentException("ZAP max pending must be at least 1, was " + maxPending);
        }
        return Behaviors.setup(ctx -> new ZapClient(ctx, maxPending));
    }

    private ZapClient(ActorContext<Command> ctx, int maxPending) {
        super(ctx);
        this.maxPending = maxPending;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
            .onMessage(HandlerBound.class, this::onHandlerBound)
            .onMessage(HandlerGone.class, this::onHandlerGone)
            .onMessage(Ask.class, this::onAsk)
            .onMessage(RepliesReadable.class, this::onRepliesReadable)
            .onMessage(EngineStopped.class, this::onEngineStopped)
            .onMessage(Stop.class, s -> onStop())
            .onMessage(Stopped.class, s -> Behaviors.stopped())
            .onSignal(PostStop.class, s -> {
                dropHandler("the context closed");
                return this;
            })
            .build();
    }

    // ------------------------------------------------------------------ the handler socket

    private Behavior<Command> onHandlerBound(HandlerBound b) {
        if (b.type() != SocketType.REP && b.type() != SocketType.ROUTER) {
            // libzmq's zap_connect refuses anything but REP and ROUTER (and the draft SERVER).
            getContext().getLog().warn("a {} socket bound {}: not a ZAP handler (REP or ROUTER), ignored",
                b.type(), ZapCodec.ENDPOINT);
            return this;
        }
        if (!wakeupsOpen) {
            return this; // stopping: the context is closed and binds nothing more
        }
        dropHandler("another handler was bound");
        PipeId id = PipeId.next();
        // Requests never exceed what may be pending, unless a stuck handler leaves answered-for-nobody
        // requests in the pipe: then a full pipe refuses the next one.
        Pipe requests = Pipe.of(maxPending, false);
        Pipe replies = Pipe.of(b.options().sndHwm(), false);
        ActorRef<Command> self = getContext().getSelf();
        RepliesReadable wakeup = new RepliesReadable(id);
        replies.onReadable(() -> {
            synchronized (wakeupLock) {
                if (wakeupsOpen) {
                    self.tell(wakeup);
                }
            }
        });
        replies.poll(); // arms the wake-up
        handler = new Handler(b.socket(), id, requests, replies);
        b.deliver().accept(new TransportEvent.PipeAttached(id, replies, requests, AS_PEER, ZapCodec.ENDPOINT));
        getContext().getLog().debug("ZAP handler {} attached", b.socket());
        return this;
    }

    private Behavior<Command> onHandlerGone(HandlerGone g) {
        if (handler != null && handler.socket().equals(g.socket())) {
            dropHandler("the ZAP handler went away before answering");
        }
        return this;
    }

    private Behavior<Command> onStop() {
        dropHandler("the context closed");
        synchronized (wakeupLock) {
            wakeupsOpen = false;
        }
        getContext().getSelf().tell(Stopped.INSTANCE);
        return this;
    }

    /** Lets go of the handler's pipes and fails every waiting engine. */
    private void dropHandler(String reason) {
        if (handler != null) {
            handler.requests().closeWrite();
            handler.replies().closeRead();
            handler = null;
        }
        if (pending.isEmpty()) {
            return;
        }
        List<Pending> waiting = new ArrayList<>(pending.values());
        pending.clear();
        pendingByEngine.clear();
        for (Pending p : waiting) {
            getContext().unwatch(Adapter.toTyped(p.engine()));
            p.engine().tell(new ZapOutcome.Failed(ZmtpException.Kind.NO_ZAP_HANDLER, reason),
                org.apache.pekko.actor.ActorRef.noSender());
        }
    }

    // ------------------------------------------------------------------ requests

    private Behavior<Command> onAsk(Ask a) {
        org.apache.pekko.actor.ActorRef engine = a.engine();
        if (handler == null) {
            refuse(engine, "no ZAP handler is bound at " + ZapCodec.ENDPOINT);
            return this;
        }
        String previous = pendingByEngine.remove(engine);
        if (previous != null) {
            pending.remove(previous); // a connection has one request at a time; the newer one wins
        }
        if (pending.size() >= maxPending) {
            // A flood of handshakes does this once per connection: aggregated like the peer errors it causes.
            io.rzmq.pekko.internal.support.PeerErrors.get(getContext().getSystem()).report(ZapCodec.ENDPOINT,
                pending.size() + " ZAP requests are waiting for the handler already; refusing one more");
            refuse(engine, "too many ZAP requests pending (" + maxPending + ")");
            return this;
        }
        String id = Long.toString(++lastId);
        ZapRequest r = a.request();
        ZapRequest ours = new ZapRequest(id.getBytes(StandardCharsets.US_ASCII), r.domain(), r.address(),
            r.identity(), r.mechanism(), r.credentials());
        if (!handler.requests().offer(Msg.ofFrames(ZapCodec.encodeRequest(ours)))) {
            refuse(engine, handler.requests().isReaderClosed() ? "the ZAP handler went away"
                : "the ZAP handler is not keeping up");
            return this;
        }
        pending.put(id, new Pending(engine, r.requestId()));
        pendingByEngine.put(engine, id);
        getContext().watchWith(Adapter.toTyped(engine), new EngineStopped(engine));
        return this;
    }

    private static void refuse(org.apache.pekko.actor.ActorRef engine, String reason) {
        engine.tell(new ZapOutcome.Failed(ZmtpException.Kind.NO_ZAP_HANDLER, reason),
            org.apache.pekko.actor.ActorRef.noSender());
    }

    private Behavior<Command> onEngineStopped(EngineStopped s) {
        String id = pendingByEngine.remove(s.engine());
        if (id != null) {
            pending.remove(id);
        }
        return this;
    }

    /** The waiting request {@code id}, no longer waiting; null when nobody waits for it. */
    private Pending take(String id) {
        Pending p = pending.remove(id);
        if (p != null) {
            pendingByEngine.remove(p.engine());
            getContext().unwatch(Adapter.toTyped(p.engine()));
        }
        return p;
    }

    // ------------------------------------------------------------------ replies

    private Behavior<Command> onRepliesReadable(RepliesReadable r) {
        Handler h = handler;
        if (h == null || !h.id().equals(r.pipe())) {
            return this; // a wake-up from a handler we already let go
        }
        Object item;
        while ((item = h.replies().poll()) != null) {
            if (item instanceof Msg m) {
                onReply(m);
            }
        }
        if (h.replies().isFinished() || h.requests().isReaderClosed()) {
            dropHandler("the ZAP handler went away before answering");
        }
        return this;
    }

    private void onReply(Msg m) {
        List<Frame> frames = m.frames();
        ZapReply reply;
        try {
            reply = ZapCodec.decodeReply(frames);
        } catch (ZmtpException e) {
            Pending p = take(requestIdOf(frames));
            if (p == null) {
                getContext().getLog().warn("dropping a malformed ZAP reply that answers no waiting request: {}",
                    e.getMessage());
            } else {
                p.engine().tell(new ZapOutcome.Failed(ZmtpException.Kind.PROTOCOL,
                    "malformed ZAP reply: " + e.getMessage()), org.apache.pekko.actor.ActorRef.noSender());
            }
            return;
        }
        Pending p = take(new String(reply.requestId(), StandardCharsets.ISO_8859_1));
        if (p == null) {
            getContext().getLog().debug("ZAP reply to a request nobody waits for any more (its connection ended)");
            return;
        }
        p.engine().tell(new ZapOutcome.Answered(new ZapReply(p.requestId(), reply.statusCode(), reply.statusText(),
            reply.userId(), reply.metadata())), org.apache.pekko.actor.ActorRef.noSender());
    }

    /** The request id frame of a reply, whatever else is wrong with it; "" when there is none. */
    private static String requestIdOf(List<Frame> frames) {
        int first = !frames.isEmpty() && frames.get(0).isEmpty() ? 1 : 0;
        return frames.size() > first + 1
            ? new String(frames.get(first + 1).toByteArray(), StandardCharsets.ISO_8859_1) : "";
    }
}
