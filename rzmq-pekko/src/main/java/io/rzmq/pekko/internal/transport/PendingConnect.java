package io.rzmq.pekko.internal.transport;

/** A connect in progress. */
public interface PendingConnect {
    /**
     * Gives up: closes the half-made connection; no callback follows if the cancel reaches the loop before
     * the outcome (else the outcome was delivered and the user owns the stream). Callable from any thread.
     */
    void cancel();
}
