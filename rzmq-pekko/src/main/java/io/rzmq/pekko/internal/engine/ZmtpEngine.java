package io.rzmq.pekko.internal.engine;

import io.rzmq.pekko.model.MonitorEventKind;

import io.rzmq.pekko.internal.support.PeerErrorLog;
import io.rzmq.pekko.internal.support.PeerErrors;
import io.rzmq.pekko.internal.pipe.Pipe;
import io.rzmq.pekko.internal.pipe.PipeCommand;
import io.rzmq.pekko.internal.security.ZapOutcome;
import io.rzmq.pekko.internal.transport.StreamFamily;
import io.rzmq.pekko.internal.transport.nio.TcpFamily;
import io.rzmq.pekko.internal.transport.TransportEvent;
import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import io.rzmq.protocol.ZmtpException;
import io.rzmq.protocol.connection.PeerInfo;
import io.rzmq.protocol.connection.ZmtpConfig;
import io.rzmq.protocol.connection.ZmtpConnection;
import io.rzmq.protocol.security.HandshakeContext;
import io.rzmq.protocol.security.Mechanism;
import io.rzmq.protocol.security.ZapReply;
import io.rzmq.protocol.security.ZapRequest;
import org.apache.pekko.actor.AbstractActorWithTimers;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.Props;
import org.apache.pekko.io.Inet;
import org.apache.pekko.io.Tcp;
import org.apache.pekko.io.TcpMessage;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;

/**
 * One live ZMTP connection: the Pekko IO connection handler that drives a sans-IO {@link ZmtpConnection}
 * and moves messages between the wire and a pipe pair.
 *
 * <p>A classic actor on purpose: Pekko IO answers the <em>classic sender</em> of a command (Connected,
 * write acks), which a typed actor cannot see. Its owner (a typed TCP session or listener) spawns it
 * with {@code Adapter.actorOf}, watches it, and hears from it through {@link EngineEvent}s.
 *
 * <p>Data path, with no actor message per ZeroMQ message:
 * <ul>
 *   <li>in: reads are pulled (Pekko IO pull mode, on every transport): the engine sends one
 *   {@code ResumeReading} and gets at most one {@code Received} chunk for it, so at most one chunk per
 *   connection is ever on its way to the engine, however fast the peer sends. Each chunk goes to the
 *   connection without a copy ({@code toArrayUnsafe}); whole messages are offered to {@code fromPeer}.
 *   The next chunk is asked for once this one is decoded; when the pipe is full the connection pauses
 *   and nothing is asked for until the pipe's writer wake-up has let decoding finish the chunk;</li>
 *   <li>out: {@code toPeer} is drained into the connection's output batch, written as ONE Pekko IO write
 *   (slices concatenated without copying); while that write is in flight, draining goes on until the
 *   batch cap, and the rest is written on the ack. An empty pipe arms its reader wake-up.</li>
 * </ul>
 * Bad input, a handshake timeout or an I/O error end this connection only: it is logged with the peer
 * address, reported as a monitor event, and the engine stops; the owner decides what comes next.
 *
 * <p>ZAP: when the mechanism asks (a PLAIN or CURVE server, or NULL with ZAP_DOMAIN, while a handler is
 * bound), the request goes to the context's ZAP client through {@code setup.zap()} and reading from the
 * peer is suspended until the {@link ZapOutcome} arrives, so a peer cannot pile up bytes meanwhile.
 * HANDSHAKE_IVL bounds the wait like the rest of the handshake.
 *
 * <p>Protocol (besides Pekko IO events): {@link Flush} from the owner closes the connection once what
 * the socket queued is written (LINGER).
 */
public final class ZmtpEngine extends AbstractActorWithTimers {

    /**
     * Close after writing everything queued in {@code toPeer}, waiting at most {@code linger} (negative:
     * no limit; zero: discard and close at once).
     */
    public record Flush(Duration linger) {
    }

    /**
     * From the owner, after it read our {@link EngineEvent.Closed}: stop now. An engine does not stop on
     * its own: what its owner sent it before reading Closed (a Flush) arrives first instead of being
     * dead-lettered, and the owner waits for our Terminated before it stops itself.
     */
    public enum Release { INSTANCE }

    /** Everything an engine needs besides its TCP connection. */
    public record Params(String endpoint, SocketSetup setup, MechanismFactory mechanisms, EngineSettings settings,
                         Pipe toPeer, Pipe fromPeer, ActorRef owner,
                         org.apache.pekko.actor.typed.ActorRef<TransportEvent> events) {
    }

    /** An engine that connects to {@code remote} (an unresolved address is resolved by Pekko IO). */
    public static Props connecting(Params params, InetSocketAddress remote) {
        return connecting(params, remote, TcpFamily.INSTANCE);
    }

    /** An engine that connects through {@code family}'s connection manager (tcp:// or ipc://). */
    public static Props connecting(Params params, InetSocketAddress remote, StreamFamily family) {
        return Props.create(ZmtpEngine.class, () -> new ZmtpEngine(params, remote, null, null, family));
    }

    /** An engine for a connection a listener accepted ({@code connection} is the Pekko IO connection actor). */
    public static Props accepted(Params params, ActorRef connection, InetSocketAddress remote) {
        return accepted(params, connection, remote, TcpFamily.INSTANCE);
    }

    /** An engine for a connection accepted through {@code family}'s connection manager (tcp:// or ipc://). */
    public static Props accepted(Params params, ActorRef connection, InetSocketAddress remote, StreamFamily family) {
        return Props.create(ZmtpEngine.class, () -> new ZmtpEngine(params, remote, connection, remote, family));
    }

    // ---------------------------------------------------------------- internal messages

    private enum Signal {
        TO_PEER_READABLE, FROM_PEER_WRITABLE, HANDSHAKE_TIMEOUT, LINGER_EXPIRED, CLOSE_TIMEOUT,
        HEARTBEAT, HEARTBEAT_TIMEOUT, PEER_TTL_EXPIRED
    }

    /** The ack of our one in-flight write. */
    private static final class WriteAck implements Tcp.Event {
        static final WriteAck INSTANCE = new WriteAck();
    }

    private static final String HANDSHAKE_TIMER = "handshake";
    private static final String LINGER_TIMER = "linger";
    private static final String CLOSE_TIMER = "close";
    private static final String HEARTBEAT_TIMER = "heartbeat";
    private static final String HEARTBEAT_TIMEOUT_TIMER = "heartbeat-timeout";
    private static final String PEER_TTL_TIMER = "peer-ttl";

    /** Reason (and monitor detail) when heartbeats find the peer gone; libzmq reports DISCONNECTED. */
    public static final String HEARTBEAT_TIMEOUT_REASON = "heartbeat timeout";

    // ---------------------------------------------------------------- state

    private final Params params;
    private static final Logger log = LoggerFactory.getLogger(ZmtpEngine.class);
    private final InetSocketAddress connectTo;
    private final StreamFamily family;
    private InetSocketAddress remote;
    private ActorRef tcp;
    private ZmtpConnection conn;
    private final ConnectionHandler handler = new ConnectionHandler();
    /** What peers do wrong is logged here: DEBUG each, one WARN per endpoint and period. */
    private PeerErrorLog peerErrors;

    private boolean ready;
    private boolean justReady;
    /** A ZAP request is out: reading is suspended until the answer. */
    private boolean zapPending;
    private PeerInfo peer;
    private boolean writeInFlight;
    /** ResumeReading sent, its Received not yet here: the one chunk this connection may have in flight. */
    private boolean pullOutstanding;
    /** Items the full fromPeer pipe refused, in order; decoding is paused until they are taken. */
    private final ArrayDeque<Object> undelivered = new ArrayDeque<>();
    /**
     * Subscribe/Cancel items read from toPeer before the socket's first Resync were queued for an earlier
     * connection: the socket sends its whole set after the Resync, so these are dropped, not sent twice.
     */
    private boolean staleSubscriptions = true;
    /** Chunks that arrived while decoding was paused, fed in order once it resumes. */
    private final ArrayDeque<byte[]> backlog = new ArrayDeque<>();
    /** The peer closed while input was still undelivered: stop once the backlog is delivered. */
    private String closeAfterBacklog;

    // Liveness: every read chunk counts as traffic (any bytes, not only PONG). A timer remembers the count
    // when it starts; finding it unchanged when it fires means the peer said nothing in between.
    private long chunksReceived;
    private long pingMark;
    private boolean pingTimeoutRunning;
    private long peerTtlMark;
    private Duration peerTtl = Duration.ZERO;

    private boolean closing;
    private boolean failing;
    /** Why this connection is failing (bad input, ZAP, handshake timeout): DISCONNECTED says so, not "closed". */
    private String failure;
    private boolean tcpCloseSent;
    /** The connection actor reported the connection closed (it stops): nothing more is sent to it. */
    private boolean tcpGone;
    /** Abort sent: finish with this reason once the connection confirms (Aborted), so nothing it sends dead-letters. */
    private String abortReason;
    /** Our pipe wake-ups, taken back when we stop (the pipes may outlive us). */
    private Runnable toPeerWakeup;
    private Runnable fromPeerWakeup;
    private boolean finished;

    private ZmtpEngine(Params params, InetSocketAddress connectTo, ActorRef tcp, InetSocketAddress remote,
                       StreamFamily family) {
        this.params = params;
        this.family = family;
        this.connectTo = tcp == null ? connectTo : null;
        this.tcp = tcp;
        this.remote = remote;
    }

    @Override
    public void preStart() {
        peerErrors = PeerErrors.get(getContext().getSystem());
        if (tcp == null) {
            List<Inet.SocketOption> socketOptions = family.socketOptions(params.setup().options());
            // Pull mode: reads are asked for one chunk at a time (see pull()).
            family.manager(getContext().getSystem()).tell(TcpMessage.connect(connectTo, null, socketOptions,
                (scala.concurrent.duration.FiniteDuration) null, true), getSelf());
        } else {
            tcp.tell(TcpMessage.register(getSelf()), getSelf());
            guarded(this::startProtocol);
            pull();
        }
    }

    @Override
    public Receive createReceive() {
        return receiveBuilder()
            .match(Tcp.Received.class, r -> guarded(() -> onReceived(r.data())))
            .matchEquals(WriteAck.INSTANCE, a -> guarded(this::onWriteAck))
            .matchEquals(Signal.TO_PEER_READABLE, s -> guarded(this::pump))
            .matchEquals(Signal.FROM_PEER_WRITABLE, s -> guarded(this::onFromPeerWritable))
            .match(Tcp.Connected.class, this::onConnected)
            .match(Tcp.ConnectionClosed.class, this::onConnectionClosed)
            .match(Tcp.CommandFailed.class, this::onCommandFailed)
            .match(Flush.class, f -> guarded(() -> onFlush(f.linger())))
            .matchEquals(Release.INSTANCE, r -> getContext().stop(getSelf()))
            .match(ZapOutcome.Answered.class, a -> guarded(() -> onZapAnswer(a.reply())))
            .match(ZapOutcome.Failed.class, this::onZapFailed)
            .matchEquals(Signal.HANDSHAKE_TIMEOUT, s -> onHandshakeTimeout())
            .matchEquals(Signal.LINGER_EXPIRED, s -> abortAndFinish("linger expired with messages still queued"))
            .matchEquals(Signal.CLOSE_TIMEOUT, s -> {
                if (abortReason != null) {
                    finish(abortReason); // the connection never confirmed the abort
                } else {
                    abortAndFinish("close did not complete in time");
                }
            })
            .matchEquals(Signal.HEARTBEAT, s -> guarded(this::onHeartbeat))
            .matchEquals(Signal.HEARTBEAT_TIMEOUT, s -> onHeartbeatTimeout())
            .matchEquals(Signal.PEER_TTL_EXPIRED, s -> onPeerTtlExpired())
            .build();
    }

    // ---------------------------------------------------------------- connection set-up

    private void onConnected(Tcp.Connected c) {
        if (tcp != null || finished) {
            return;
        }
        tcp = getSender();
        remote = c.remoteAddress();
        tcp.tell(TcpMessage.register(getSelf()), getSelf());
        monitor(MonitorEventKind.CONNECTED, "connected");
        guarded(this::startProtocol);
        pull();
    }

    private void startProtocol() {
        SocketSetup setup = params.setup();
        // libzmq's text for the peer: the ZAP request's Address and every message's Peer-Address.
        String peerText = family.zapAddress(remote);
        HandshakeContext hc = new HandshakeContext(setup.localMetadata(), setup.zap()::handlerBound,
            setup.options().zapDomain(), peerText);
        Mechanism mechanism = params.mechanisms().create(setup, hc, connectTo != null);
        conn = new ZmtpConnection(new ZmtpConfig(setup.type(), setup.options().maxMsgSize(), peerText,
            params.settings().limits()), mechanism, handler);
        // Take over the pipe ends' wake-ups (a previous engine of the same session may have had them);
        // the writer one must be in place before the first message is offered.
        ActorRef self = getSelf();
        toPeerWakeup = () -> self.tell(Signal.TO_PEER_READABLE, ActorRef.noSender());
        fromPeerWakeup = () -> self.tell(Signal.FROM_PEER_WRITABLE, ActorRef.noSender());
        params.toPeer().onReadable(toPeerWakeup);
        params.fromPeer().clearRefusal(); // a refusal of an earlier connection behind this pipe is not ours
        params.fromPeer().onWritable(fromPeerWakeup);
        Duration handshakeIvl = setup.options().handshakeIvl();
        if (!handshakeIvl.isZero()) {
            timers().startSingleTimer(HANDSHAKE_TIMER, Signal.HANDSHAKE_TIMEOUT, handshakeIvl);
        }
        conn.start();
        flushOutput();
    }

    // ---------------------------------------------------------------- reading

    private void onReceived(ByteString data) {
        if (failing || finished || conn == null || abortReason != null) {
            return;
        }
        pullOutstanding = false;
        chunksReceived++;
        // Received data is a compact heap ByteString: this hands us its own array, no copy.
        byte[] chunk = data.toArrayUnsafe();
        if (conn.isPaused() || !backlog.isEmpty()) {
            backlog.add(chunk); // not asked for while paused, so at most the one chunk in flight
            return;
        }
        conn.receive(chunk, 0, chunk.length);
        afterInput();
    }

    private void afterInput() {
        if (justReady) {
            justReady = false;
            onReady();
        }
        pump();
        pull();
    }

    /**
     * Asks the connection for the next chunk (one ResumeReading, one Received at most), unless one is
     * already asked for or decoding is held back (full pipe, backlog, ZAP answer pending) or ending. This
     * is the only flow control on input: what we do not ask for stays in the kernel's buffers, and TCP
     * (or the Unix socket) pushes back on the peer.
     */
    private void pull() {
        if (pullOutstanding || conn == null || failing || finished
            || tcpCloseSent || abortReason != null || zapPending || conn.isPaused() || !backlog.isEmpty()
            || !undelivered.isEmpty() || closeAfterBacklog != null || tcp == null || tcpGone) {
            return;
        }
        pullOutstanding = true;
        tellTcp(TcpMessage.resumeReading());
    }

    private void onFromPeerWritable() {
        String refused = params.fromPeer().refusal();
        if (refused != null) {
            onRefused(refused);
            return;
        }
        if (conn == null || failing || finished || zapPending || abortReason != null
            || (undelivered.isEmpty() && !conn.isPaused() && backlog.isEmpty())) {
            return; // nothing held back: a spurious wake-up
        }
        Pipe in = params.fromPeer();
        while (!undelivered.isEmpty()) {
            if (!in.offer(undelivered.peekFirst()) && !socketGone(in)) {
                return; // still full: the wake-up comes again
            }
            undelivered.pollFirst();
        }
        if (conn.isPaused()) {
            conn.resumeDecoding();
        }
        while (!conn.isPaused() && !backlog.isEmpty()) {
            byte[] chunk = backlog.poll();
            conn.receive(chunk, 0, chunk.length);
        }
        if (!conn.isPaused() && backlog.isEmpty()) {
            if (closeAfterBacklog != null) {
                finish(closeAfterBacklog);
                return;
            }
        }
        afterInput();
    }

    private final class ConnectionHandler implements ZmtpConnection.Handler {
        @Override
        public void onHandshakeComplete(PeerInfo info) {
            ready = true;
            justReady = true;
            peer = info;
            SocketType type = params.setup().type();
            if (connectTo != null && (type == SocketType.PUB || type == SocketType.XPUB)) {
                // The pipe outlives this connection: tell the socket to forget the subscriptions the
                // previous one made, in pipe order, before the peer sends its whole set again.
                deliver(PipeCommand.Resync.INSTANCE);
            }
        }

        @Override
        public boolean onMessage(Msg msg) {
            return deliver(msg);
        }

        @Override
        public boolean onSubscription(Frame topic, boolean subscribe) {
            return deliver(subscribe ? new PipeCommand.Subscribe(topic) : new PipeCommand.Cancel(topic));
        }

        @Override
        public void onPing(int ttlDeciseconds) {
            onPeerPing(ttlDeciseconds);
        }

        @Override
        public void onZapRequest(ZapRequest request) {
            zapPending = true; // no more chunks are asked for until the answer
            log.debug("{}: asking the ZAP handler about {} ({} mechanism)", params.endpoint(), peerAddress(),
                request.mechanism());
            params.setup().zap().ask(request, getSelf());
        }
    }

    // ---------------------------------------------------------------- ZAP

    private void onZapAnswer(ZapReply reply) {
        if (conn == null || failing || finished || !zapPending || abortReason != null) {
            return; // the connection ended (or timed out) while the handler thought
        }
        zapPending = false;
        conn.zapReply(reply); // a refusal throws: guarded() reports it and closes
        afterInput();
    }

    private void onZapFailed(ZapOutcome.Failed f) {
        if (conn == null || ready || failing || finished || !zapPending) {
            return;
        }
        zapPending = false;
        peerError("handshake with " + peerAddress() + " failed: " + f.reason());
        monitor(f.kind() == ZmtpException.Kind.PROTOCOL ? MonitorEventKind.HANDSHAKE_FAILED_PROTOCOL
            : MonitorEventKind.HANDSHAKE_FAILED_NO_DETAIL, f.reason());
        fail(f.reason());
    }

    /**
     * Offers to the socket. When the pipe is full the item is kept here and false pauses decoding (the
     * connection counts a refused item as delivered); the pipe's writer wake-up offers it again.
     */
    private boolean deliver(Object item) {
        Pipe in = params.fromPeer();
        if ((undelivered.isEmpty() && in.offer(item)) || socketGone(in)) {
            return true;
        }
        undelivered.addLast(item);
        return false;
    }

    /** A socket that went away takes nothing more: drop instead of pausing for ever. */
    private static boolean socketGone(Pipe in) {
        return in.isReaderClosed() || in.isWriteClosed();
    }

    private void onReady() {
        timers().cancel(HANDSHAKE_TIMER);
        monitor(MonitorEventKind.HANDSHAKE_SUCCEEDED, "ZMTP handshake done with a " + peer.socketType() + " peer");
        params.owner().tell(new EngineEvent.Handshaken(getSelf(), peer), getSelf());
        Duration ivl = params.setup().options().heartbeatIvl();
        if (!ivl.isZero()) {
            timers().startTimerWithFixedDelay(HEARTBEAT_TIMER, Signal.HEARTBEAT, ivl);
        }
    }

    // ---------------------------------------------------------------- heartbeats (ZMTP 3.1 PING/PONG)

    /**
     * Every HEARTBEAT_IVL: send PING with our TTL, and watch for traffic within HEARTBEAT_TIMEOUT. A watch
     * already running keeps its deadline unless traffic arrived since it started (as libzmq, which cancels
     * the timeout on any input and starts it again with the next PING).
     */
    private void onHeartbeat() {
        if (!ready || failing || finished || tcpCloseSent) {
            return;
        }
        conn.sendPing(params.setup().options().heartbeatTtlDeciseconds(), Frame.EMPTY);
        flushOutput();
        if (!pingTimeoutRunning || chunksReceived != pingMark) {
            pingMark = chunksReceived;
            pingTimeoutRunning = true;
            timers().startSingleTimer(HEARTBEAT_TIMEOUT_TIMER, Signal.HEARTBEAT_TIMEOUT,
                params.setup().options().effectiveHeartbeatTimeout());
        }
    }

    private void onHeartbeatTimeout() {
        pingTimeoutRunning = false;
        if (chunksReceived == pingMark && !stalledByUs()) {
            dropDeadPeer("nothing received within " + params.setup().options().effectiveHeartbeatTimeout().toMillis()
                + " ms of our PING");
        }
    }

    /** The peer's PING asks us to drop the connection when it then says nothing for its TTL. */
    private void onPeerPing(int ttlDeciseconds) {
        if (ttlDeciseconds <= 0) {
            return;
        }
        peerTtl = Duration.ofMillis(ttlDeciseconds * 100L);
        peerTtlMark = chunksReceived;
        timers().startSingleTimer(PEER_TTL_TIMER, Signal.PEER_TTL_EXPIRED, peerTtl);
    }

    private void onPeerTtlExpired() {
        if (chunksReceived == peerTtlMark && !stalledByUs()) {
            dropDeadPeer("nothing received within the peer's heartbeat TTL of " + peerTtl.toMillis() + " ms");
        }
    }

    /** We stopped reading (the socket is slow): silence on the wire says nothing about the peer. */
    private boolean stalledByUs() {
        // No chunk asked for: whatever the peer sent waits in the kernel, unseen, so silence is ours.
        return !pullOutstanding || !backlog.isEmpty() || (conn != null && conn.isPaused());
    }

    /** The peer is gone without a FIN: abort (nothing left to flush to it) and report a normal connection loss. */
    private void dropDeadPeer(String why) {
        if (finished || failing || !ready) {
            return;
        }
        peerError(HEARTBEAT_TIMEOUT_REASON + " with " + peerAddress() + ": " + why + ", dropping the connection");
        failing = true;
        abortAndFinish(HEARTBEAT_TIMEOUT_REASON + " (" + why + ")");
    }

    // ---------------------------------------------------------------- writing

    /** Drains the socket's pipe into the output batch (up to the cap) and writes when no write is in flight. */
    private void pump() {
        if (ready && !failing && !finished && abortReason == null) {
            Pipe out = params.toPeer();
            int cap = params.settings().writeBatchBytes();
            while (conn.pendingOutputBytes() < cap) {
                Object item = out.poll();
                if (item == null) {
                    break;
                }
                if (item instanceof Msg msg) {
                    conn.send(msg);
                } else if (item == PipeCommand.Resync.INSTANCE) {
                    staleSubscriptions = false; // never on the wire
                } else if (staleSubscriptions) {
                    continue;
                } else if (item instanceof PipeCommand.Subscribe s) {
                    conn.sendSubscription(s.topic(), true);
                } else if (item instanceof PipeCommand.Cancel c) {
                    conn.sendSubscription(c.topic(), false);
                }
            }
        }
        flushOutput();
        if (closing) {
            maybeFinishClosing();
        }
    }

    private void flushOutput() {
        if (writeInFlight || tcpCloseSent || conn == null || conn.pendingOutputBytes() == 0) {
            return;
        }
        List<Frame> slices = conn.takeOutput();
        ByteString bytes = ByteString.emptyByteString();
        for (Frame f : slices) {
            if (f.size() > 0) {
                bytes = bytes.concat(ByteString.fromArrayUnsafe(f.unsafeArray(), f.offset(), f.size()));
            }
        }
        if (bytes.isEmpty()) {
            return;
        }
        writeInFlight = true;
        tellTcp(TcpMessage.write(bytes, WriteAck.INSTANCE));
    }

    private void onWriteAck() {
        writeInFlight = false;
        if (abortReason != null) {
            return;
        }
        if (failing) {
            flushOutput();
            closeTcp();
            return;
        }
        pump();
    }

    // ---------------------------------------------------------------- closing

    private void onFlush(Duration linger) {
        if (finished) {
            return;
        }
        if (closing) {
            if (linger.isZero()) {
                abortAndFinish("linger expired with messages still queued"); // the owner's LINGER ran out
            }
            return;
        }
        closing = true;
        if (linger.isZero()) {
            abortAndFinish("closed with LINGER 0");
            return;
        }
        if (!linger.isNegative()) {
            timers().startSingleTimer(LINGER_TIMER, Signal.LINGER_EXPIRED, linger);
        }
        pump();
    }

    private void maybeFinishClosing() {
        if (failing || finished || tcpCloseSent) {
            return;
        }
        boolean drained = params.toPeer().isEmpty()
            && (conn == null || conn.pendingOutputBytes() == 0) && !writeInFlight;
        if (!drained) {
            return;
        }
        if (tcp == null) {
            finish("closed before connecting");
        } else {
            closeTcp();
        }
    }

    /** Closes the TCP connection after any pending write (Pekko IO flushes it first), then waits for Closed. */
    private void closeTcp() {
        if (tcpCloseSent) {
            return;
        }
        tcpCloseSent = true;
        if (tcp == null || tcpGone) {
            finish(failing ? "failed" : "closed");
            return;
        }
        tcp.tell(TcpMessage.close(), getSelf());
        timers().startSingleTimer(CLOSE_TIMER, Signal.CLOSE_TIMEOUT, params.settings().closeTimeout());
    }

    private void onConnectionClosed(Tcp.ConnectionClosed c) {
        tcpGone = true;
        if (finished) {
            return;
        }
        if (abortReason != null) {
            finish(abortReason);
            return;
        }
        if (c.isErrorClosed() && ready && !closing && !failing) {
            peerError("connection with " + peerAddress() + " failed: " + c.getErrorCause());
        }
        String reason;
        if (c.isPeerClosed()) {
            reason = "peer closed the connection";
        } else if (c.isErrorClosed()) {
            reason = "connection error: " + c.getErrorCause();
        } else if (c.isAborted()) {
            reason = "connection aborted";
        } else {
            reason = "connection closed";
        }
        boolean inputLeft = conn != null && (conn.isPaused() || !undelivered.isEmpty() || !backlog.isEmpty());
        if (c.isPeerClosed() && !failing && inputLeft) {
            // Deliver what already arrived before going away.
            closeAfterBacklog = reason;
            return;
        }
        finish(reason);
    }

    private void onCommandFailed(Tcp.CommandFailed f) {
        if (finished) {
            return;
        }
        String cause = f.cause().isDefined() ? f.cause().get().getMessage() : f.causedByString();
        if (f.cmd() instanceof Tcp.Connect) {
            peerError("connect to " + peerAddress() + " failed: " + cause);
            finish("connect failed: " + cause);
        } else {
            peerError("I/O with " + peerAddress() + " failed (" + f.cmd().getClass().getSimpleName() + "): " + cause);
            abortAndFinish("I/O command failed: " + cause);
        }
    }

    private void onHandshakeTimeout() {
        if (ready || finished) {
            return;
        }
        peerError("no handshake from " + peerAddress() + " within " + params.setup().options().handshakeIvl().toMillis()
            + " ms" + (zapPending ? " (the ZAP handler did not answer)" : "") + ", dropping the connection");
        String why = zapPending ? "handshake timed out waiting for the ZAP handler" : "handshake timed out";
        monitor(MonitorEventKind.HANDSHAKE_FAILED_NO_DETAIL, why);
        fail(why);
    }

    /** Bad input: log, report, write any pending output (an ERROR command), then close. */
    private void onProtocolError(ZmtpException e) {
        peerError((ready ? "closing the connection with " : "handshake with ") + peerAddress()
            + (ready ? ": " : " failed: ") + e.getMessage());
        MonitorEventKind event = switch (e.kind()) {
            case AUTHENTICATION, PEER_ERROR -> MonitorEventKind.HANDSHAKE_FAILED_AUTH;
            case PROTOCOL, CRYPTOGRAPHIC, INCOMPATIBLE_SOCKET_TYPE, MESSAGE_TOO_LARGE ->
                MonitorEventKind.HANDSHAKE_FAILED_PROTOCOL;
            case NO_ZAP_HANDLER -> MonitorEventKind.HANDSHAKE_FAILED_NO_DETAIL;
        };
        if (!ready) {
            // As libzmq: a ZAP refusal reports its status code (ours, or the one in the peer's ERROR); a
            // CURVE box that does not open reports ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC.
            int value = e.kind() == ZmtpException.Kind.CRYPTOGRAPHIC ? MonitorEventKind.PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC
                : e.statusCode();
            monitor(event, e.getMessage(), value);
        }
        fail(e.getMessage());
    }

    /**
     * The socket refused this peer's input (it broke a limit such as max-subscriptions): the same bad-input
     * rule as a protocol error after the handshake: one log line, DISCONNECTED with the reason, close.
     */
    private void onRefused(String why) {
        if (failing || finished) {
            return;
        }
        peerError("closing the connection with " + peerAddress() + ": " + why);
        fail(why);
    }

    private void fail(String why) {
        if (failing || finished) {
            return;
        }
        failing = true;
        failure = why;
        timers().cancel(HANDSHAKE_TIMER);
        timers().cancel(HEARTBEAT_TIMER);
        backlog.clear();
        if (!writeInFlight) {
            flushOutput();
            closeTcp();
        }
        // else: the ack writes the rest and closes.
    }

    /**
     * Resets the connection and finishes once the connection actor confirms (within the close timeout),
     * so that what it still sends us (reads, acks, Aborted) does not go to a stopped actor.
     */
    private void abortAndFinish(String reason) {
        if (finished || abortReason != null) {
            return;
        }
        if (tcp == null || tcpGone) {
            finish(reason);
            return;
        }
        abortReason = reason;
        tcpCloseSent = true;
        tcp.tell(TcpMessage.abort(), getSelf());
        timers().startSingleTimer(CLOSE_TIMER, Signal.CLOSE_TIMEOUT, params.settings().closeTimeout());
    }

    private void tellTcp(Object command) {
        if (tcp != null && !tcpGone) {
            tcp.tell(command, getSelf());
        }
    }

    private void releasePipes() {
        if (toPeerWakeup != null) {
            params.toPeer().releaseReadable(toPeerWakeup);
            params.fromPeer().releaseWritable(fromPeerWakeup);
            toPeerWakeup = null;
        }
    }

    @Override
    public void postStop() {
        releasePipes(); // stopped by the owner without finishing
    }

    private void finish(String reason) {
        if (finished) {
            return;
        }
        finished = true;
        String why = failure != null ? failure : reason;
        if (tcp != null && !ready && !failing && !closing) {
            // As libzmq: a connection that ends before the handshake completed is a failed handshake, even
            // when the peer just closed it (a libzmq CURVE server that cannot open our HELLO says nothing).
            peerError("connection with " + peerAddress() + " ended during the handshake: " + why);
            monitor(MonitorEventKind.HANDSHAKE_FAILED_NO_DETAIL, "connection ended during the handshake: " + why);
        }
        if (tcp != null) {
            monitor(MonitorEventKind.DISCONNECTED, why);
        }
        releasePipes();
        timers().cancelAll();
        params.owner().tell(new EngineEvent.Closed(getSelf(), why), getSelf());
        // Stopped by the owner's Release (it reads Closed first), so nothing sent to us meanwhile is lost.
    }

    /** Runs a step; a protocol error closes this connection only, a bug is logged and does the same. */
    private void guarded(Runnable step) {
        if (finished) {
            return;
        }
        try {
            step.run();
        } catch (ZmtpException e) {
            onProtocolError(e);
        } catch (RuntimeException e) {
            log.error("{}: internal error on the connection with {}", params.endpoint(), peerAddress(), e);
            if (!ready) {
                monitor(MonitorEventKind.HANDSHAKE_FAILED_NO_DETAIL, e.toString());
            }
            failing = true;
            abortAndFinish("internal error: " + e);
        }
    }

    /** Something the peer (or the network) did: not our bug, so aggregated instead of logged every time. */
    private void peerError(String message) {
        peerErrors.report(params.endpoint(), message);
    }

    private void monitor(MonitorEventKind event, String detail) {
        monitor(event, detail, 0);
    }

    private void monitor(MonitorEventKind event, String detail, long value) {
        params.events().tell(new TransportEvent.Monitor(event, params.endpoint(), peerAddress(), detail, value));
    }

    private String peerAddress() {
        InetSocketAddress a = remote != null ? remote : connectTo;
        return a == null ? "?" : family.peerAddress(a);
    }
}
