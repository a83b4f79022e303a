package io.rzmq.pekko.internal.engine;

import io.rzmq.protocol.connection.PeerInfo;
import org.apache.pekko.actor.ActorRef;

/** What an engine tells the actor that owns it (a TCP session or listener). */
public sealed interface EngineEvent {
    /** The engine that sent the event (owners may have several, or a stale one after a reconnect). */
    ActorRef engine();

    /** The greeting and handshake completed: messages may flow. */
    record Handshaken(ActorRef engine, PeerInfo peer) implements EngineEvent {
    }

    /**
     * The connection is over (failed to connect, closed by either side, bad input, timed out); the engine
     * stops right after this.
     */
    record Closed(ActorRef engine, String reason) implements EngineEvent {
    }
}
