package io.rzmq.pekko.stream;

import org.apache.pekko.Done;

import java.util.concurrent.CompletionStage;

/**
 * The materialized value of {@link ZmqStreams#monitor}: tells when the socket started sending events to
 * the stream, how many events the bounded buffer dropped, and stops monitoring. Safe from any thread.
 */
public interface ZmqMonitor {

    /** Completes once the socket sends its events to the stream (events from then on are seen). */
    CompletionStage<Done> started();

    /**
     * How many events were dropped because downstream was slower than the socket produced them and the
     * buffer was full (the oldest buffered events go first).
     */
    long dropped();

    /**
     * Stops monitoring: the stream emits what it buffered, then MONITOR_STOPPED, then completes.
     * Completes when the socket has let go of the stream's monitor.
     */
    CompletionStage<Done> stop();
}
