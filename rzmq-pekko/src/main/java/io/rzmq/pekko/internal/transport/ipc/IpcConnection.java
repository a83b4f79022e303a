package io.rzmq.pekko.internal.transport.ipc;

import io.rzmq.pekko.internal.transport.BufferSizes;
import io.rzmq.pekko.internal.transport.StreamConnection;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.Props;
import org.apache.pekko.io.Tcp;
import org.apache.pekko.japi.pf.ReceiveBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * The connection actor of one ipc:// connection, as Pekko IO's TCP connection actor is for TCP (the
 * command routing and register timeout are in {@link StreamConnection}, shared with tcp). It does no I/O
 * itself: every command goes to the {@link IpcChannel} on the selector thread, which sends the events
 * (with this actor as sender).
 */
final class IpcConnection extends StreamConnection<IpcChannel> {
    private static final Logger log = LoggerFactory.getLogger(IpcConnection.class);

    private final IpcSelector selector;

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
            () -> new IpcConnection(selector, IpcChannel.outgoing(selector, address, sizes, connect.pullMode()), commander,
                connect));
    }

    private IpcConnection(IpcSelector selector, IpcChannel channel, ActorRef commander, Tcp.Connect connect) {
        super(channel, commander, connect, "ipc connections");
        this.selector = selector;
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
    protected void runOnIo(Runnable task) {
        selector.execute(task);
    }

    @Override
    protected void connectEvents(ReceiveBuilder builder) {
        builder
            .matchEquals(IpcChannel.Connected.INSTANCE, c -> announce())
            .match(IpcChannel.ConnectFailed.class, f -> connectFailed(f.cause()));
    }

    @Override
    protected void warnNoRegister() {
        log.warn("ipc connection on {}: no handler registered in time, closing", channel.peer());
    }

    private void announce() {
        announce(IpcAddresses.peerCarrier(channel.peer(), channel.credentials()),
            IpcAddresses.carrier(channel.peer()));
    }

    private void connectFailed(IOException cause) {
        String reason = "cannot connect to ipc://" + channel.peer() + ": " + cause.getMessage();
        commander.tell(new Tcp.CommandFailed(connect).withCause(new IOException(reason, cause)), getSelf());
        getContext().stop(getSelf());
    }
}
