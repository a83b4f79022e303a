package io.rzmq.pekko.internal.session;

import io.rzmq.pekko.internal.engine.SocketSetup;
import io.rzmq.pekko.internal.transport.TransportEvent;
import io.rzmq.pekko.model.Endpoint;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/**
 * How a SocketCore binds and connects over one kind of endpoint (tcp, ipc). Each call spawns the
 * transport's actor as a child of the socket ({@code ctx.spawn}) and returns it; the child reports
 * through {@code events} and obeys {@link TransportCommand}s. inproc is not a Transport: it wires two
 * SocketCores directly through the context's registry.
 */
public interface Transport {
    /** Starts listening; reports Bound or BindFailed, then PipeAttached per handshaken peer. */
    ActorRef<TransportCommand> bind(ActorContext<?> ctx, Endpoint endpoint, SocketSetup setup,
                                    ActorRef<TransportEvent> events);

    /** Starts a session that connects (and reconnects); reports PipeAttached at once, PeerReady per handshake. */
    ActorRef<TransportCommand> connect(ActorContext<?> ctx, Endpoint endpoint, SocketSetup setup,
                                       ActorRef<TransportEvent> events);
}
