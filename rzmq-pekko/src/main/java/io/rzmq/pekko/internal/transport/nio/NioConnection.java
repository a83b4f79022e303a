package io.rzmq.pekko.internal.transport.nio;

import io.rzmq.pekko.internal.transport.StreamConnection;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.Props;
import org.apache.pekko.io.Inet;
import org.apache.pekko.io.Tcp;
import org.apache.pekko.japi.pf.ReceiveBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The connection actor of one tcp:// connection on an {@link IoLoop}, as Pekko IO's TCP connection actor
 * is (the command routing and register timeout are in {@link StreamConnection}, shared with ipc); every
 * command goes to the {@link NioChannel} on the loop thread, which sends the events (with this actor as
 * sender). On rzmq's dispatcher this actor runs on the loop thread itself, so a command is carried out
 * at once, with no further hand-off.
 */
final class NioConnection extends StreamConnection<NioChannel> {
    private static final Logger log = LoggerFactory.getLogger(NioConnection.class);

    private record Resolved(InetSocketAddress address) {
    }

    private final IoLoop loop;
    private InetSocketAddress remote;

    /** A connection a listener accepted: tells the bind handler Connected. */
    static Props accepted(IoLoop loop, NioChannel channel, ActorRef bindHandler, String dispatcher) {
        return Props.create(NioConnection.class, () -> new NioConnection(loop, channel, bindHandler, null))
            .withDispatcher(dispatcher);
    }

    /** Connects as {@code connect} says, then tells {@code commander} Connected (or CommandFailed). */
    static Props connecting(IoLoop loop, Tcp.Connect connect, ActorRef commander, String dispatcher) {
        List<Inet.SocketOption> options = scala.jdk.javaapi.CollectionConverters.asJava(connect.options().toList());
        return Props.create(NioConnection.class,
            () -> new NioConnection(loop, NioChannel.outgoing(loop, options, connect.pullMode()), commander, connect))
            .withDispatcher(dispatcher);
    }

    private NioConnection(IoLoop loop, NioChannel channel, ActorRef commander, Tcp.Connect connect) {
        super(channel, commander, connect, "rzmq tcp connections");
        this.loop = loop;
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
    protected void runOnIo(Runnable task) {
        loop.runOnLoop(task);
    }

    @Override
    protected void connectEvents(ReceiveBuilder builder) {
        builder
            .match(NioChannel.Connected.class, this::announce)
            .match(Resolved.class, r -> {
                ActorRef self = getSelf();
                loop.runOnLoop(() -> channel.connect(self, r.address()));
            })
            .match(NioChannel.ConnectFailed.class, f -> connectFailed(f.cause()));
    }

    @Override
    protected void warnNoRegister() {
        log.warn("tcp connection with {}: no handler registered in time, closing", remote);
    }

    private void announce(NioChannel.Connected c) {
        remote = c.remote();
        InetSocketAddress local = c.local();
        if (remote == null || local == null) {
            // accepted and reset before we got here: nothing to announce
            getContext().stop(getSelf());
            return;
        }
        announce(remote, local);
    }

    private void connectFailed(IOException cause) {
        commander.tell(new Tcp.CommandFailed(connect).withCause(cause), getSelf());
        getContext().stop(getSelf());
    }
}
