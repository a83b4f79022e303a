package io.rzmq.pekko.transport.nio;

import org.apache.pekko.actor.AbstractActorWithTimers;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.Props;
import org.apache.pekko.actor.Terminated;
import org.apache.pekko.io.Inet;
import org.apache.pekko.io.Tcp;
import org.apache.pekko.io.TcpMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The connection actor of one tcp:// connection on an {@link IoLoop}, as Pekko IO's TCP connection actor
 * is: the handler registers with it and sends it Write, SuspendReading/ResumeReading, Close/ConfirmedClose/
 * Abort and ResumeWriting; every command goes to the {@link NioChannel} on the loop thread, which sends
 * the events (with this actor as sender). On rzmq's dispatcher this actor runs on the loop thread
 * itself, so a command is carried out at once, with no further hand-off.
 *
 * <p>Like Pekko IO: the handler must register within {@code pekko.io.tcp.register-timeout}; the
 * connection is closed when the handler (or, before Register, the commander) stops.
 */
final class NioConnection extends AbstractActorWithTimers {
    private static final Logger log = LoggerFactory.getLogger(NioConnection.class);
    private static final String REGISTER_TIMER = "register";

    private enum RegisterTimeout { INSTANCE }

    private record Resolved(InetSocketAddress address) {
    }

    private final IoLoop loop;
    private final NioChannel channel;
    private final ActorRef commander;
    private final Tcp.Connect connect;
    private ActorRef handler;
    private InetSocketAddress remote;
    private InetSocketAddress local;

    /** A connection a listener accepted: tells the bind handler Connected. */
    static Props accepted(IoLoop loop, NioChannel channel, ActorRef bindHandler, String dispatcher) {
        return Props.create(NioConnection.class, () -> new NioConnection(loop, channel, bindHandler, null))
            .withDispatcher(dispatcher);
    }

    /** Connects as {@code connect} says, then tells {@code commander} Connected (or CommandFailed). */
    static Props connecting(IoLoop loop, Tcp.Connect connect, ActorRef commander, String dispatcher) {
        List<Inet.SocketOption> options = scala.jdk.javaapi.CollectionConverters.asJava(connect.options().toList());
        return Props.create(NioConnection.class,
            () -> new NioConnection(loop, NioChannel.outgoing(loop, options), commander, connect))
            .withDispatcher(dispatcher);
    }

    private NioConnection(IoLoop loop, NioChannel channel, ActorRef commander, Tcp.Connect connect) {
        this.loop = loop;
        this.channel = channel;
        this.commander = commander;
        this.connect = connect;
    }

    @Override
    public void preStart() {
        getContext().watch(commander);
        ActorRef self = getSelf();
        if (connect == null) {
            loop.runOnLoop(() -> {
                channel.setActor(self);
                self.tell(new NioChannel.Connected(channel.remoteAddress(), channel.localAddress()), ActorRef.noSender());
            });
            return;
        }
        InetSocketAddress to = connect.remoteAddress();
        if (!to.isUnresolved()) {
            loop.runOnLoop(() -> channel.connect(self, to));
            return;
        }
        // Host names are resolved off the loop (a lookup may block), then connected on it.
        CompletableFuture.supplyAsync(() -> {
            try {
                return new InetSocketAddress(InetAddress.getByName(to.getHostString()), to.getPort());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).whenComplete((addr, err) -> self.tell(err == null ? new Resolved(addr)
            : new NioChannel.ConnectFailed(new IOException("cannot resolve " + to.getHostString(), err)),
            ActorRef.noSender()));
    }

    @Override
    public void postStop() {
        loop.runOnLoop(channel::closeSilently);
    }

    @Override
    public Receive createReceive() {
        return receiveBuilder()
            .match(Tcp.Write.class, this::onWrite)
            .match(Tcp.WriteCommand.class, w -> getSender().tell(new Tcp.CommandFailed(w)
                .withCause(new UnsupportedOperationException("rzmq tcp connections take only Write")), getSelf()))
            .matchEquals(TcpMessage.suspendReading(), s -> loop.runOnLoop(channel::suspendReading))
            .matchEquals(TcpMessage.resumeReading(), s -> loop.runOnLoop(channel::resumeReading))
            .match(Tcp.Register.class, this::onRegister)
            .match(Tcp.CloseCommand.class, this::onClose)
            .matchEquals(TcpMessage.resumeWriting(), r -> {
                ActorRef sender = getSender();
                loop.runOnLoop(() -> channel.resumeWriting(sender));
            })
            .matchEquals(NioChannel.ChannelClosed.INSTANCE, c -> getContext().stop(getSelf()))
            .match(NioChannel.Connected.class, this::announce)
            .match(Resolved.class, r -> {
                ActorRef self = getSelf();
                loop.runOnLoop(() -> channel.connect(self, r.address()));
            })
            .match(NioChannel.ConnectFailed.class, f -> connectFailed(f.cause()))
            .matchEquals(RegisterTimeout.INSTANCE, t -> {
                log.warn("tcp connection with {}: no handler registered in time, closing", remote);
                getContext().stop(getSelf());
            })
            .match(Terminated.class, t -> getContext().stop(getSelf()))
            .match(Tcp.Command.class, c -> getSender().tell(new Tcp.CommandFailed(c)
                .withCause(new UnsupportedOperationException("not supported on rzmq tcp connections")), getSelf()))
            .build();
    }

    private void onWrite(Tcp.Write w) {
        ActorRef sender = getSender();
        loop.runOnLoop(() -> channel.write(w, sender));
    }

    private void onClose(Tcp.CloseCommand c) {
        ActorRef sender = getSender();
        if (c instanceof Tcp.Abort$) {
            loop.runOnLoop(() -> channel.abort(sender));
        } else {
            loop.runOnLoop(() -> channel.close(c, sender));
        }
    }

    private void onRegister(Tcp.Register r) {
        if (handler != null) {
            return;
        }
        handler = r.handler();
        timers().cancel(REGISTER_TIMER);
        if (!handler.equals(commander)) {
            getContext().unwatch(commander);
            getContext().watch(handler);
        }
        ActorRef h = handler;
        boolean keepOpen = r.keepOpenOnPeerClosed();
        loop.runOnLoop(() -> channel.register(h, keepOpen));
    }

    /** Connected to the commander (the bind handler, or whoever sent Connect); the handler must register. */
    private void announce(NioChannel.Connected c) {
        remote = c.remote();
        local = c.local();
        if (remote == null || local == null) {
            // accepted and reset before we got here: nothing to announce
            getContext().stop(getSelf());
            return;
        }
        commander.tell(new Tcp.Connected(remote, local), getSelf());
        Duration timeout = registerTimeout();
        if (timeout != null) {
            timers().startSingleTimer(REGISTER_TIMER, RegisterTimeout.INSTANCE, timeout);
        }
    }

    private void connectFailed(IOException cause) {
        commander.tell(new Tcp.CommandFailed(connect).withCause(cause), getSelf());
        getContext().stop(getSelf());
    }

    private Duration registerTimeout() {
        try {
            String path = "pekko.io.tcp.register-timeout";
            var config = getContext().getSystem().settings().config();
            if ("infinite".equals(config.getString(path))) {
                return null;
            }
            return config.getDuration(path);
        } catch (RuntimeException e) {
            return Duration.ofSeconds(5);
        }
    }
}
