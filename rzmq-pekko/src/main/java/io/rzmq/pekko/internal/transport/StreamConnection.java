package io.rzmq.pekko.internal.transport;

import org.apache.pekko.actor.AbstractActorWithTimers;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.Terminated;
import org.apache.pekko.io.Tcp;
import org.apache.pekko.io.TcpMessage;
import org.apache.pekko.japi.pf.ReceiveBuilder;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The connection actor part that tcp:// ({@code nio.NioConnection}) and ipc:// ({@code ipc.IpcConnection})
 * share, as Pekko IO's TCP connection actor is: the handler registers with it and sends it Write,
 * SuspendReading/ResumeReading, Close/ConfirmedClose/Abort and ResumeWriting; every command is handed to
 * the {@link StreamChannel} on its I/O thread, which sends the events (with this actor as sender). It
 * exists so that this command routing and the register timeout are written once; the subclasses keep
 * connecting and announcing, which differ.
 *
 * <p>Like Pekko IO: the handler must register within {@code pekko.io.tcp.register-timeout}; the
 * connection is closed when the handler (or, before Register, the commander) stops.
 *
 * @param <C> the channel type
 */
public abstract class StreamConnection<C extends StreamChannel<?>> extends AbstractActorWithTimers {
    private static final String REGISTER_TIMER = "register";

    private enum RegisterTimeout { INSTANCE }

    protected final C channel;
    protected final ActorRef commander;
    /** The Connect this connection was made for; null for an accepted one. */
    protected final Tcp.Connect connect;
    /** What these connections are called in CommandFailed causes ("ipc connections"). */
    private final String kind;
    private ActorRef handler;

    protected StreamConnection(C channel, ActorRef commander, Tcp.Connect connect, String kind) {
        this.channel = channel;
        this.commander = commander;
        this.connect = connect;
        this.kind = kind;
    }

    /** Runs {@code task} on the channel's I/O thread. */
    protected abstract void runOnIo(Runnable task);

    /** Adds the matchers for the subclass's own connect events (Connected, ConnectFailed, ...). */
    protected abstract void connectEvents(ReceiveBuilder builder);

    /** Logs that no handler registered in time (the connection then stops). */
    protected abstract void warnNoRegister();

    @Override
    public void postStop() {
        runOnIo(channel::closeSilently);
    }

    @Override
    public final Receive createReceive() {
        ReceiveBuilder b = receiveBuilder()
            .match(Tcp.Write.class, this::onWrite)
            .match(Tcp.WriteCommand.class, w -> getSender().tell(new Tcp.CommandFailed(w)
                .withCause(new UnsupportedOperationException(kind + " take only Write")), getSelf()))
            .matchEquals(TcpMessage.suspendReading(), s -> runOnIo(channel::suspendReading))
            .matchEquals(TcpMessage.resumeReading(), s -> runOnIo(channel::resumeReading))
            .match(Tcp.Register.class, this::onRegister)
            .match(Tcp.CloseCommand.class, this::onClose)
            .matchEquals(TcpMessage.resumeWriting(), r -> {
                ActorRef sender = getSender();
                runOnIo(() -> channel.resumeWriting(sender));
            })
            .matchEquals(StreamChannel.ChannelClosed.INSTANCE, c -> {
                // The handler was told and will stop too: its Terminated would race our stop (a dead letter).
                getContext().unwatch(commander);
                if (handler != null) {
                    getContext().unwatch(handler);
                }
                getContext().stop(getSelf());
            });
        connectEvents(b);
        return b
            .matchEquals(RegisterTimeout.INSTANCE, t -> {
                warnNoRegister();
                getContext().stop(getSelf());
            })
            .match(Terminated.class, t -> getContext().stop(getSelf()))
            .match(Tcp.Command.class, c -> getSender().tell(new Tcp.CommandFailed(c)
                .withCause(new UnsupportedOperationException("not supported on " + kind)), getSelf()))
            .build();
    }

    private void onWrite(Tcp.Write w) {
        ActorRef sender = getSender();
        runOnIo(() -> channel.write(w, sender));
    }

    private void onClose(Tcp.CloseCommand c) {
        ActorRef sender = getSender();
        if (c instanceof Tcp.Abort$) {
            runOnIo(() -> channel.abort(sender));
        } else {
            runOnIo(() -> channel.close(c, sender));
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
        runOnIo(() -> channel.register(h, keepOpen));
    }

    /** Tells the commander (the bind handler, or whoever sent Connect) Connected; the handler must register. */
    protected final void announce(InetSocketAddress remote, InetSocketAddress local) {
        commander.tell(new Tcp.Connected(remote, local), getSelf());
        Duration timeout = registerTimeout();
        if (timeout != null) {
            timers().startSingleTimer(REGISTER_TIMER, RegisterTimeout.INSTANCE, timeout);
        }
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
