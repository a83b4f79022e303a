package io.rzmq.pekko.internal.transport.ipc;

import io.rzmq.pekko.internal.transport.BufferSizes;
import io.rzmq.pekko.internal.transport.StreamBinding;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.Props;
import org.apache.pekko.io.Tcp;

import java.io.IOException;

/**
 * The listener actor of one ipc:// bind ({@link StreamBinding} has the protocol): Unbound comes once the
 * socket file is gone. The listening itself happens in an {@link IpcServer} on the selector thread;
 * accepted connections go to the manager, which starts their connection actors (they outlive an unbind,
 * as in Pekko IO).
 */
final class IpcBinding extends StreamBinding<IpcServer> {
    private final IpcSelector selector;
    private final String address;

    static Props props(IpcSelector selector, Tcp.Bind bind, ActorRef commander) {
        return Props.create(IpcBinding.class, () -> new IpcBinding(selector, bind, commander));
    }

    private IpcBinding(IpcSelector selector, Tcp.Bind bind, ActorRef commander) {
        super(bind, commander);
        this.selector = selector;
        this.address = IpcAddresses.address(bind.localAddress());
    }

    @Override
    protected void runOnIo(Runnable task) {
        selector.execute(task);
    }

    @Override
    protected void check() {
        IpcAddresses.validate(address, true);
    }

    @Override
    protected IpcServer openServer(ActorRef binding, ActorRef manager, ActorRef handler, int backlog)
        throws IOException {
        BufferSizes sizes = BufferSizes.among(scala.jdk.javaapi.CollectionConverters.asJava(bind.options()))
            .orElse(null);
        return IpcServer.bind(selector, address, backlog, manager, handler, binding, sizes, bind.pullMode());
    }

    @Override
    protected java.net.InetSocketAddress boundAddress(IpcServer server) {
        return IpcAddresses.carrier(server.address());
    }
}
