package io.rzmq.pekko.internal.transport.ipc;

import io.rzmq.pekko.internal.support.RzmqDispatcher;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;
import org.apache.pekko.actor.ExtensionIdProvider;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The ipc:// I/O layer of an actor system, the counterpart of Pekko's {@code IO(Tcp)}: one selector
 * thread and the {@link #manager()} actor that speaks Pekko IO's TCP protocol over Unix-domain sockets.
 * Created on first use; the selector thread ends (closing every ipc channel and removing the socket
 * files of live binds) when the actor system terminates.
 */
public final class IpcIo implements Extension {

    /** The extension id. */
    public static final class Id extends AbstractExtensionId<IpcIo> implements ExtensionIdProvider {
        @Override
        public IpcIo createExtension(ExtendedActorSystem system) {
            return new IpcIo(system);
        }

        @Override
        public Id lookup() {
            return ID;
        }
    }

    public static final Id ID = new Id();

    private final IpcSelector selector;
    private final ActorRef manager;

    private IpcIo(ExtendedActorSystem system) {
        try {
            this.selector = new IpcSelector("rzmq-ipc-selector-" + system.name());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the ipc:// selector", e);
        }
        this.manager = system.systemActorOf(IpcManager.props(selector, RzmqDispatcher.id(system)), "rzmq-ipc");
        system.registerOnTermination(selector::shutdown);
    }

    /** The extension of {@code system}, created on first use. */
    public static IpcIo get(ActorSystem system) {
        return ID.get(system);
    }

    /** The connection manager: send it Tcp.Bind / Tcp.Connect with ipc carrier addresses. */
    public ActorRef manager() {
        return manager;
    }
}
