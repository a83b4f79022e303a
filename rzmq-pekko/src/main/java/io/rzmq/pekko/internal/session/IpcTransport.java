package io.rzmq.pekko.internal.session;

import io.rzmq.pekko.internal.transport.ipc.IpcFamily;
import io.rzmq.pekko.internal.transport.ipc.IpcIo;

import io.rzmq.pekko.internal.support.RzmqDispatcher;
import io.rzmq.pekko.internal.engine.EngineSettings;
import io.rzmq.pekko.internal.engine.MechanismFactory;
import io.rzmq.pekko.model.Endpoint;
import io.rzmq.pekko.internal.engine.SocketSetup;
import io.rzmq.pekko.internal.transport.TransportEvent;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ipc://} (Unix-domain stream sockets, via junixsocket): paths, Linux abstract names
 * ({@code ipc://@name}) and {@code ipc://*} (a fresh path under the temporary directory, reported by the
 * bind). The same listener, session, engine and ZMTP codec as tcp://, on the {@link IpcIo} connection
 * manager instead of Pekko's TCP manager. Stateless and thread-safe: one instance can serve every socket.
 */
public final class IpcTransport implements Transport {
    private static final AtomicLong NAMES = new AtomicLong();

    private final EngineSettings settings;
    private final MechanismFactory mechanisms;

    /** Default I/O settings; each socket's options select its mechanism (NULL unless PLAIN/CURVE is set). */
    public IpcTransport() {
        this(EngineSettings.defaults(), MechanismFactory.fromOptions());
    }

    public IpcTransport(EngineSettings settings, MechanismFactory mechanisms) {
        this.settings = settings;
        this.mechanisms = mechanisms;
    }

    /**
     * @throws IllegalArgumentException when the address is not a valid ipc address (too long, empty name)
     */
    @Override
    public ActorRef<TransportCommand> bind(ActorContext<?> ctx, Endpoint endpoint, SocketSetup setup,
                                           ActorRef<TransportEvent> events) {
        requireIpc(endpoint);
        IpcFamily.INSTANCE.bindAddress(endpoint); // a malformed address fails fast (EINVAL), before spawning
        ActorRef<Object> ref = ctx.spawn(TcpListener.create(endpoint, setup, settings, mechanisms, events,
            IpcFamily.INSTANCE), "ipc-listener-" + NAMES.incrementAndGet(), RzmqDispatcher.selector(ctx.getSystem()));
        return ref.narrow();
    }

    /**
     * @throws IllegalArgumentException when the endpoint is the wildcard or not a valid ipc address
     */
    @Override
    public ActorRef<TransportCommand> connect(ActorContext<?> ctx, Endpoint endpoint, SocketSetup setup,
                                              ActorRef<TransportEvent> events) {
        requireIpc(endpoint);
        IpcFamily.INSTANCE.connectAddress(endpoint); // fail fast, before spawning anything
        ActorRef<Object> ref = ctx.spawn(TcpSession.create(endpoint, setup, settings, mechanisms, events,
            IpcFamily.INSTANCE), "ipc-session-" + NAMES.incrementAndGet(), RzmqDispatcher.selector(ctx.getSystem()));
        return ref.narrow();
    }

    private static void requireIpc(Endpoint endpoint) {
        if (endpoint.scheme() != Endpoint.Scheme.IPC) {
            throw new IllegalArgumentException("not an ipc endpoint: " + endpoint);
        }
    }
}
