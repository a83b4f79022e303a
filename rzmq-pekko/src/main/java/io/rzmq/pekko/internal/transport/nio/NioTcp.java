package io.rzmq.pekko.internal.transport.nio;

import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;
import org.apache.pekko.actor.ExtensionIdProvider;
import org.apache.pekko.dispatch.MessageDispatcher;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The tcp:// connection manager of an actor system: rzmq's own ({@code rzmq.tcp-io = rzmq}, the default)
 * or Pekko IO's ({@code pekko}).
 *
 * <p>rzmq's own tcp:// I/O layer of an actor system, the counterpart of Pekko's {@code IO(Tcp)}: the
 * {@link #manager()} actor speaks Pekko IO's TCP protocol, served by the {@link IoLoop} that runs rzmq's
 * dispatcher ({@code rzmq.dispatcher}), so sockets, engines and their connections share one thread
 * with the selector. When that dispatcher is not an I/O loop (configured otherwise), a loop of its own
 * serves the channels and the actors reach it by hand-off.
 */
public final class NioTcp implements Extension {

    /** The extension id. */
    public static final class Id extends AbstractExtensionId<NioTcp> implements ExtensionIdProvider {
        @Override
        public NioTcp createExtension(ExtendedActorSystem system) {
            return new NioTcp(system);
        }

        @Override
        public Id lookup() {
            return ID;
        }
    }

    public static final Id ID = new Id();

    private final ActorRef manager;

    private NioTcp(ExtendedActorSystem system) {
        String dispatcher = system.settings().config().getString("rzmq.dispatcher");
        if (!system.settings().config().getString("rzmq.tcp-io").equals("rzmq")) {
            this.manager = org.apache.pekko.io.Tcp.get(system).manager(); // Pekko IO, as configured
            return;
        }
        // Created from an actor on the loop itself: that is the loop (probing it would wait on ourselves).
        IoLoop loop = IoLoop.current() != null ? IoLoop.current() : loopOf(system.dispatchers().lookup(dispatcher));
        if (loop == null) {
            IoLoop own = IoLoop.standalone("rzmq-tcp-loop-" + system.name());
            system.registerOnTermination(own::shutdown);
            loop = own;
        }
        this.manager = system.systemActorOf(NioManager.props(loop, dispatcher), "rzmq-tcp");
    }

    /** The loop behind {@code dispatcher}: asks it which thread runs its tasks. */
    private static IoLoop loopOf(MessageDispatcher dispatcher) {
        CompletableFuture<IoLoop> probe = new CompletableFuture<>();
        dispatcher.execute(() -> probe.complete(IoLoop.current()));
        try {
            return probe.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | TimeoutException e) {
            return null;
        }
    }

    /** The extension of {@code system}, created on first use. */
    public static NioTcp get(ActorSystem system) {
        return ID.get(system);
    }

    /** The connection manager: send it Tcp.Bind / Tcp.Connect. */
    public ActorRef manager() {
        return manager;
    }
}
