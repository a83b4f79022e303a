package io.rzmq.pekko.internal.transport;

import io.rzmq.pekko.model.MonitorEventKind;

import io.rzmq.pekko.internal.pipe.PipeId;

import io.rzmq.pekko.internal.pipe.Pipe;
import io.rzmq.protocol.connection.PeerInfo;

/**
 * What a transport (a TCP/ipc listener or session, or the inproc registry) tells the SocketCore that
 * owns it. The socket reacts by adding pipes to its pattern (load balancer, fair queue, distributor,
 * router table) and removing them again.
 */
public sealed interface TransportEvent {

    /**
     * A pipe pair to one peer is ready. {@code toPeer}: the socket writes, the transport reads;
     * {@code fromPeer}: the transport writes, the socket reads. On the connect side the pair is attached
     * before the first handshake (so messages queue while connecting, as libzmq does) and {@code peer}
     * is null until {@link PeerReady}; on the accept side and for inproc it is attached after the
     * handshake with {@code peer} set.
     */
    record PipeAttached(PipeId id, Pipe toPeer, Pipe fromPeer, PeerInfo peer, String endpoint) implements TransportEvent {
    }

    /** A connection of an attached pipe pair completed its handshake (again, after a reconnect). */
    record PeerReady(PipeId id, PeerInfo peer) implements TransportEvent {
    }

    /** The connection behind an attached pipe pair broke; the session will reconnect (connect side). */
    record PeerLost(PipeId id, String reason) implements TransportEvent {
    }

    /** The pipe pair is gone for good: drop it from the pattern. */
    record PipeDetached(PipeId id) implements TransportEvent {
    }

    /** A bind succeeded; {@code resolved} is the real endpoint (port 0 / wildcards filled in). */
    record Bound(String requested, String resolved) implements TransportEvent {
    }

    /** A bind failed (address in use, bad address...). */
    record BindFailed(String requested, String reason) implements TransportEvent {
    }

    /**
     * A monitor event ({@link MonitorEventKind}: CONNECTED, ACCEPTED, DISCONNECTED, HANDSHAKE_FAILED_PROTOCOL...).
     * {@code peer}: the remote address where one is known, else null; {@code value}: libzmq's event value
     * where it means something here (CONNECT_RETRIED: the wait before the next attempt in ms), else 0.
     */
    record Monitor(MonitorEventKind event, String endpoint, String peer, String detail, long value) implements TransportEvent {
        /** An event without a peer address or value. */
        public Monitor(MonitorEventKind event, String endpoint, String detail) {
            this(event, endpoint, null, detail, 0);
        }
    }
}
