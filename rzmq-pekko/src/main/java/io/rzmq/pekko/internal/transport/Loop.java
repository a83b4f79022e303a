package io.rzmq.pekko.internal.transport;

import java.util.concurrent.Executor;

/**
 * One I/O loop a connection is pinned to: its thread runs the connection's readiness callbacks and (as a
 * Pekko dispatcher, {@link #dispatcherId()}) the actors that use the connection, one at a time, so they may
 * share plain objects without locks.
 */
public interface Loop extends Executor {
    /** 0-based position among the actor system's loops. */
    int index();

    /** The Pekko dispatcher id that runs actors on this loop ({@code rzmq.io-loop-<i>}). */
    String dispatcherId();

    /** True when the caller runs on this loop's thread. */
    boolean inLoop();
}
