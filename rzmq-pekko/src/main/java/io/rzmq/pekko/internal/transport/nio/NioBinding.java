package io.rzmq.pekko.internal.transport.nio;

import io.rzmq.pekko.internal.transport.StreamBinding;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.Props;
import org.apache.pekko.io.Inet;
import org.apache.pekko.io.Tcp;

import java.io.IOException;
import java.util.List;

/**
 * The listener actor of one tcp:// bind on an {@link IoLoop} ({@link StreamBinding} has the protocol).
 * Accepted connections go to the manager, which starts their connection actors (they outlive an unbind,
 * as in Pekko IO).
 */
final class NioBinding extends StreamBinding<NioServer> {
    private final IoLoop loop;

    static Props props(IoLoop loop, Tcp.Bind bind, ActorRef commander, String dispatcher) {
        return Props.create(NioBinding.class, () -> new NioBinding(loop, bind, commander)).withDispatcher(dispatcher);
    }

    private NioBinding(IoLoop loop, Tcp.Bind bind, ActorRef commander) {
        super(bind, commander);
        this.loop = loop;
    }

    @Override
    protected void runOnIo(Runnable task) {
        loop.runOnLoop(task);
    }

    @Override
    protected NioServer openServer(ActorRef binding, ActorRef manager, ActorRef handler, int backlog)
        throws IOException {
        List<Inet.SocketOption> options = scala.jdk.javaapi.CollectionConverters.asJava(bind.options().toList());
        return NioServer.bind(loop, bind.localAddress(), backlog, options, manager, handler, bind.pullMode());
    }

    @Override
    protected java.net.InetSocketAddress boundAddress(NioServer server) {
        return server.address();
    }

    @Override
    protected void beforeAccepting(NioServer server, ActorRef binding) {
        server.setBinding(binding);
    }
}
