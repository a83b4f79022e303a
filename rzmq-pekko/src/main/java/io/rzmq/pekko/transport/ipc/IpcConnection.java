package io.rzmq.pekko.transport.ipc;

import org.apache.pekko.actor.AbstractActorWithTimers;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.Props;
import org.apache.pekko.actor.Terminated;
import io.rzmq.pekko.transport.BufferSizes;
import org.apache.pekko.io.Tcp;
import org.apache.pekko.io.TcpMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;

/**
 * The connection actor of one ipc:// connection, as Pekko IO's TCP connection actor is for TCP: the
 * handler registers with it and sends it Write, SuspendReading/ResumeReading, Close/ConfirmedClose/
 * Abort and ResumeWriting. It does no I/O itself: every command goes to the {@link IpcChannel} on the
 * selector thread, which sends the events (with this actor as sender).
 *
 * <p>Like Pekko IO: the handler must register within {@code pekko.io.tcp.register-timeout}; the
 * connection is closed when the handler (or, before Register, the commander) stops.
 */
final class IpcConnection extends AbstractActorWithTimers {
    private static final Logger log = LoggerFactory.getLogger(IpcConnection.class);
    private static final String REGISTER_TIMER = "register";

    private enum RegisterTimeout { INSTANCE }

    private final IpcSelector selector;
    private final IpcChannel channel;
    private final ActorRef commander;
    private final Tcp.Connect connect;
    private ActorRef handler;

    /** A connection a listener accepted: tells the bind handler Connected. */
    static Props accepted(IpcSelector selector, IpcChannel channel, ActorRef bindHandler) {
        return Props.create(IpcConnection.class, () -> new IpcConnection(selector, channel, bindHandler, null));
    }

    /** Connects as {@code connect} says, then tells {@code commander} Connected (or CommandFailed). */
    static Props connecting(IpcSelector selector, Tcp.Connect connect, ActorRef commander) {
        String address = IpcAddresses.address(connect.remoteAddress());
        BufferSizes sizes = BufferSizes.among(scala.jdk.javaapi.CollectionConverters.asJava(connect.options()))
            .orElse(null);
        return Props.create(IpcConnection.class,
            () -> new IpcConnection(selector, IpcChannel.outgoing(selector, address, sizes), commander, connect));
    }

    private IpcConnection(IpcSelector selector, IpcChannel channel, ActorRef commander, Tcp.Connect connect) {
        this.selector = selector;
        this.channel = channel;
        this.commander = commander;
        this.connect = connect;
    }

    @Override
    public void preStart() {
        getContext().watch(commander);
        ActorRef self = getSelf();
        if (connect == null) {
            selector.execute(() -> channel.setActor(self));
            announce();
        } else {
            try {
                IpcAddresses.validate(channel.peer(), false);
            } catch (IllegalArgumentException e) {
                connectFailed(new IOException(e.getMessage()));
                return;
            }
            selector.execute(() -> channel.connect(self));
        }
    }

    @Override
    public void postStop() {
        selector.execute(channel::closeSilently);
    }

    @Override
    public Receive createReceive() {
        return receiveBuilder()
            .match(Tcp.Write.class, this::onWrite)
            .match(Tcp.WriteCommand.class, w -> getSender().tell(new Tcp.CommandFailed(w)
                .withCause(new UnsupportedOperationException("ipc connections take only Write")), getSelf()))
            .matchEquals(TcpMessage.suspendReading(), s -> selector.execute(channel::suspendReading))
            .matchEquals(TcpMessage.resumeReading(), s -> selector.execute(channel::resumeReading))
            .match(Tcp.Register.class, this::onRegister)
            .match(Tcp.CloseCommand.class, this::onClose)
            .matchEquals(TcpMessage.resumeWriting(), r -> {
                ActorRef sender = getSender();
                selector.execute(() -> channel.resumeWriting(sender));
            })
            .matchEquals(IpcChannel.ChannelClosed.INSTANCE, c -> getContext().stop(getSelf()))
            .matchEquals(IpcChannel.Connected.INSTANCE, c -> announce())
            .match(IpcChannel.ConnectFailed.class, f -> connectFailed(f.cause()))
            .matchEquals(RegisterTimeout.INSTANCE, t -> {
                log.warn("ipc connection on {}: no handler registered in time, closing", channel.peer());
                getContext().stop(getSelf());
            })
            .match(Terminated.class, t -> getContext().stop(getSelf()))
            .match(Tcp.Command.class, c -> getSender().tell(new Tcp.CommandFailed(c)
                .withCause(new UnsupportedOperationException("not supported on ipc connections")), getSelf()))
            .build();
    }

    private void onWrite(Tcp.Write w) {
        ActorRef sender = getSender();
        selector.execute(() -> channel.write(w, sender));
    }

    private void onClose(Tcp.CloseCommand c) {
        ActorRef sender = getSender();
        if (c instanceof Tcp.Abort$) {
            selector.execute(() -> channel.abort(sender));
        } else {
            selector.execute(() -> channel.close(c, sender));
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
        selector.execute(() -> channel.register(h, keepOpen));
    }

    /** Connected to the commander (the bind handler, or whoever sent Connect); the handler must register. */
    private void announce() {
        commander.tell(new Tcp.Connected(IpcAddresses.peerCarrier(channel.peer(), channel.credentials()),
            IpcAddresses.carrier(channel.peer())), getSelf());
        Duration timeout = registerTimeout();
        if (timeout != null) {
            timers().startSingleTimer(REGISTER_TIMER, RegisterTimeout.INSTANCE, timeout);
        }
    }

    private void connectFailed(IOException cause) {
        String reason = "cannot connect to ipc://" + channel.peer() + ": " + cause.getMessage();
        commander.tell(new Tcp.CommandFailed(connect).withCause(new IOException(reason, cause)), getSelf());
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
