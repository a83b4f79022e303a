package io.rzmq.pekko.internal.transport.pekkoio;

import io.rzmq.pekko.internal.transport.ConnectHandler;
import io.rzmq.pekko.internal.transport.PeerAddress;
import io.rzmq.pekko.internal.transport.loop.LoopHandle;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.Props;
import org.apache.pekko.actor.Terminated;
import org.apache.pekko.io.Inet;
import org.apache.pekko.io.Tcp;
import org.apache.pekko.io.TcpMessage;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The Pekko IO connection's handler, one per connection, on the connection's loop dispatcher: it turns the
 * connection's events into calls on its {@link PekkoIoStream} (same thread, so no locks). For a connect it is
 * also the commander of {@code Tcp.Connect}. It watches the connection and stops only once the connection
 * actor has stopped, so that nothing the connection sends can find it gone (no dead letters on a clean close).
 */
final class PekkoIoStreamActor extends AbstractActor {
    /** Internal: PendingConnect.cancel(). */
    static final Object CANCEL = new Object();
    /** How long a cancelled connect waits for its outcome before it stops anyway. */
    static final long CANCEL_GRACE_MS = 1000;

    private final PekkoIoTransport transport;
    private final LoopHandle loop;
    private PekkoIoStream stream;
    // connect mode only
    private final InetSocketAddress remote;
    private final PekkoIoTransport.Tuning tuning;
    private final ConnectHandler connectHandler;
    private final PekkoIoTransport.PendingConnectImpl pending;
    private ActorRef connection;

    /** An accepted connection: {@code stream} is registered already (by the listener). */
    static Props accepted(PekkoIoTransport transport, LoopHandle loop, PekkoIoStream stream, ActorRef connection) {
        return Props.create(PekkoIoStreamActor.class,
            () -> new PekkoIoStreamActor(transport, loop, stream, connection, null, null, null, null))
            .withDispatcher(loop.dispatcherId());
    }

    static Props connecting(PekkoIoTransport transport, LoopHandle loop, InetSocketAddress remote,
                            PekkoIoTransport.Tuning tuning, ConnectHandler handler,
                            PekkoIoTransport.PendingConnectImpl pending) {
        return Props.create(PekkoIoStreamActor.class,
            () -> new PekkoIoStreamActor(transport, loop, null, null, remote, tuning, handler, pending))
            .withDispatcher(loop.dispatcherId());
    }

    private PekkoIoStreamActor(PekkoIoTransport transport, LoopHandle loop, PekkoIoStream stream,
                               ActorRef connection, InetSocketAddress remote, PekkoIoTransport.Tuning tuning,
                               ConnectHandler connectHandler, PekkoIoTransport.PendingConnectImpl pending) {
        this.transport = transport;
        this.loop = loop;
        this.stream = stream;
        this.connection = connection;
        this.remote = remote;
        this.tuning = tuning;
        this.connectHandler = connectHandler;
        this.pending = pending;
    }

    @Override
    public void preStart() {
        if (stream != null) {
            getContext().watch(connection);
            getContext().become(connected());
        } else {
            List<Inet.SocketOption> options = List.of(tuning);
            transport.manager().tell(TcpMessage.connect(remote, null, options, (scala.concurrent.duration.FiniteDuration) null, true),
                getSelf());
        }
    }

    @Override
    public void postStop() {
        transport.released(loop);
        transport.actorStopped();
    }

    /** Connecting: the outcome, or a cancel (stopping us stops the half-made connection: its death pact). */
    @Override
    public Receive createReceive() {
        return receiveBuilder()
            .match(Tcp.Connected.class, this::onConnected)
            .match(Tcp.CommandFailed.class, f -> {
                if (pending.settle()) {
                    connectHandler.onConnectFailed(connectFailure(f));
                }
                getContext().stop(getSelf());
            })
            .matchEquals(CANCEL, c -> {
                // Stopping now would kill Pekko IO's connection actor (its death pact with us) while the
                // selector still registers it: a dead letter. Its outcome usually follows at once; a connect
                // that hangs is given up after CANCEL_GRACE (then the connection is registered and dies quietly).
                getContext().setReceiveTimeout(java.time.Duration.ofMillis(CANCEL_GRACE_MS));
            })
            .match(org.apache.pekko.actor.ReceiveTimeout.class, t -> getContext().stop(getSelf()))
            .build();
    }

    private void onConnected(Tcp.Connected c) {
        getContext().cancelReceiveTimeout();
        connection = getSender();
        getContext().watch(connection);
        IOException setup = transport.setupFailure(c.remoteAddress(), c.localAddress());
        boolean ours = pending.settle();
        if (!ours || setup != null) {
            connection.tell(TcpMessage.abort(), getSelf()); // Aborted, then Terminated, end us
            getContext().become(closingUnused());
            if (ours) {
                connectHandler.onConnectFailed(setup);
            }
            return;
        }
        stream = new PekkoIoStream(loop, PeerAddress.tcp(c.remoteAddress(), c.localAddress()), connection);
        stream.attach(getSelf());
        connection.tell(TcpMessage.register(getSelf(), true, false), getSelf());
        getContext().become(connected());
        connectHandler.onConnected(stream);
    }

    private Receive connected() {
        return receiveBuilder()
            .match(Tcp.Received.class, r -> stream.onReceived(r.data()))
            .matchEquals(PekkoIoStream.ACK, a -> stream.onAck())
            .match(Tcp.ConnectionClosed.class, this::onClosed)
            .match(Tcp.CommandFailed.class, f -> {
                // Not expected (one write at a time): the stream cannot go on.
                stream.onTerminal(new IOException("Pekko IO refused " + f.cmd() + f.causedByString()));
                connection.tell(TcpMessage.abort(), getSelf());
            })
            .match(Terminated.class, t -> {
                stream.onTerminal(new IOException("the Pekko IO connection stopped"));
                getContext().stop(getSelf());
            })
            .matchEquals(CANCEL, c -> { }) // the connect had completed already
            .build();
    }

    private void onClosed(Tcp.ConnectionClosed e) {
        if (e.isPeerClosed()) {
            stream.onPeerClosed(); // keepOpenOnPeerClosed: only our end of stream from the peer
        } else if (e.isErrorClosed()) {
            stream.onTerminal(new IOException(e.getErrorCause()));
        } else {
            stream.onTerminal(null); // ConfirmedClosed, Closed, Aborted
        }
        // the connection stops next; its Terminated stops us
    }

    /** A connection nobody will use (cancelled, or its tuning failed): aborted, we wait for its end. */
    private Receive closingUnused() {
        return receiveBuilder()
            .match(Terminated.class, t -> getContext().stop(getSelf()))
            .matchAny(m -> { }) // its Aborted, a late cancel
            .build();
    }

    private IOException connectFailure(Tcp.CommandFailed f) {
        if (f.cause().isDefined()) {
            Throwable t = f.cause().get();
            if (t instanceof IOException io) {
                return io;
            }
            if (t instanceof java.io.UncheckedIOException u) {
                return u.getCause();
            }
            return new IOException(t.toString(), t);
        }
        return new ConnectException("connect to " + remote + " failed");
    }
}
