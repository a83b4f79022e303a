package io.rzmq.pekko.internal.socket;

import io.rzmq.pekko.model.RzmqException;
import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;

/**
 * The behaviour of one socket type: how outgoing messages are routed to pipes and incoming ones are
 * picked from them. The {@link SocketDataPlane} owns the pipes and the waiting operations and delegates every
 * routing decision here. Called only by the thread holding the socket's data lock (a caller's thread, the
 * SocketCore's or a pipe wake-up's), one at a time.
 */
public interface SocketPattern {

    /** Callbacks from a pattern to its data plane (under the data lock). */
    interface Host {
        /** The pipe's peer closed its end and everything it sent has been read: detach the pair. */
        void pipeFinished(PipeEntry p);

        /** Drops messages received for the application but not yet taken (REQ_RELAXED); none are queued now. */
        default void discardReceived() {
        }

        /**
         * The pattern has messages for the application that did not come from a readable pipe (XPUB's
         * cancellations when a subscriber goes away): the data plane should serve waiting receives soon.
         */
        default void receivable() {
        }

        /**
         * A send may be possible again for a reason no pipe wake-up will report (the pipe a waiting send
         * was held for went away): the data plane should retry its waiting sends soon.
         */
        default void sendable() {
        }
    }

    SocketType type();

    /** From {@link SocketType#canSend()}: the capabilities of a type are declared there only. */
    default boolean canSend() {
        return type().canSend();
    }

    default boolean canReceive() {
        return type().canReceive();
    }

    /** A pipe pair joined; {@code p.isReady()} tells whether a peer is already behind it. */
    void attached(PipeEntry p);

    /** A (re)connection behind an attached pipe completed its handshake. */
    default void peerReady(PipeEntry p) {
    }

    /** The connection behind a pipe broke; the pipe stays (the transport reconnects). */
    default void peerLost(PipeEntry p) {
    }

    /** The pipe pair is gone: forget it. */
    void detached(PipeEntry p);

    /** Room appeared in {@code p.out()} after an offer was refused. */
    void writable(PipeEntry p);

    /** Items appeared in {@code p.in()} after the pipe had been found empty. */
    void readable(PipeEntry p);

    /**
     * Routes one application message. True when it was taken (written, or dropped where the pattern
     * drops); false when it must wait for room (the core keeps it and stops taking more).
     */
    boolean send(Msg msg);

    /** The next message for the application, or null when none is ready. */
    Msg receive();

    default void subscribe(Frame topic) {
        throw new RzmqException(RzmqException.Code.ENOTSUP, type() + " sockets do not subscribe");
    }

    default void unsubscribe(Frame topic) {
        throw new RzmqException(RzmqException.Code.ENOTSUP, type() + " sockets do not subscribe");
    }

    /**
     * A subscription change from the application; {@code subscriber} is the peer it is meant for (XPUB_MANUAL:
     * the sender of the subscription message received last) or null (SUB: the socket's own).
     */
    default void subscribe(Frame topic, PipeEntry subscriber) {
        subscribe(topic);
    }

    default void unsubscribe(Frame topic, PipeEntry subscriber) {
        unsubscribe(topic);
    }

    /** The pattern for {@code type} with default options. */
    static SocketPattern create(SocketType type, Host host) {
        return create(type, host, SocketOptions.defaults(), SocketGuard.NONE);
    }

    /** The pattern for {@code type}; {@code guard} is the one the socket's handle checks with. */
    static SocketPattern create(SocketType type, Host host, SocketOptions options, SocketGuard guard) {
        return switch (type) {
            case PUSH -> new PushPattern(host);
            case PULL -> new PullPattern(host);
            case PUB -> new PubPattern(host, options);
            case SUB -> new SubPattern(host);
            case DEALER -> new DealerPattern(host, options);
            case REQ -> new ReqPattern(host, options);
            case REP -> new RepPattern(host);
            case ROUTER -> new RouterPattern(host, options, guard);
            case PAIR -> new PairPattern(host);
            case XPUB -> new XPubPattern(host, options, guard);
            case XSUB -> new XSubPattern(host);
        };
    }

    /**
     * Reads and discards whatever a pipe holds (a peer that should not send anything), then reports the
     * pipe when its writer has closed. Used by send-only patterns to notice that a peer went away.
     */
    static void drainAndDiscard(PipeEntry p, Host host) {
        while (p.in().poll() != null) {
            // a PULL or SUB peer has nothing to say to a PUSH; drop it
        }
        if (p.in().isFinished()) {
            host.pipeFinished(p);
        }
    }
}
