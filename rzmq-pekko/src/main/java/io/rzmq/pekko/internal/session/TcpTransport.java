package io.rzmq.pekko.internal.session;

import io.rzmq.pekko.internal.transport.TcpAddresses;

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
 * {@code tcp://} over Pekko IO: a bind spawns a {@link TcpListener}, a connect a {@link TcpSession}, both
 * children of the calling socket. Stateless and thread-safe: one instance can serve every socket.
 */
public final class TcpTransport implements Transport {
    private static final AtomicLong NAMES = new AtomicLong();

    private final EngineSettings settings;
    private final MechanismFactory mechanisms;

    /** Default I/O settings; each socket's options select its mechanism (NULL unless PLAIN/CURVE is set). */
    public TcpTransport() {
        this(EngineSettings.defaults(), MechanismFactory.fromOptions());
    }

    public TcpTransport(EngineSettings settings, MechanismFactory mechanisms) {
        this.settings = settings;
        this.mechanisms = mechanisms;
    }

    @Override
    public ActorRef<TransportCommand> bind(ActorContext<?> ctx, Endpoint endpoint, SocketSetup setup,
                                           ActorRef<TransportEvent> events) {
        requireTcp(endpoint);
        ActorRef<Object> ref = ctx.spawn(TcpListener.create(endpoint, setup, settings, mechanisms, events),
            "tcp-listener-" + NAMES.incrementAndGet(), RzmqDispatcher.selector(ctx.getSystem()));
        return ref.narrow();
    }

    /**
     * @throws IllegalArgumentException when the endpoint has a wildcard host or port (nothing to connect to)
     */
    @Override
    public ActorRef<TransportCommand> connect(ActorContext<?> ctx, Endpoint endpoint, SocketSetup setup,
                                              ActorRef<TransportEvent> events) {
        requireTcp(endpoint);
        TcpAddresses.connectAddress(endpoint); // fail fast on wildcards, before spawning anything
        ActorRef<Object> ref = ctx.spawn(TcpSession.create(endpoint, setup, settings, mechanisms, events),
            "tcp-session-" + NAMES.incrementAndGet(), RzmqDispatcher.selector(ctx.getSystem()));
        return ref.narrow();
    }

    private static void requireTcp(Endpoint endpoint) {
        if (endpoint.scheme() != Endpoint.Scheme.TCP) {
            throw new IllegalArgumentException("not a tcp endpoint: " + endpoint);
        }
    }
}
