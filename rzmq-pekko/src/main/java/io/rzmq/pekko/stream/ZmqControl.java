package io.rzmq.pekko.stream;

import io.rzmq.pekko.api.ZSocket;
import org.apache.pekko.Done;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Controls a running {@link ZmqStreams#source} (its materialized value), in the style of Pekko's
 * Kafka/JMS connectors. Safe to call from any thread; every method is idempotent.
 */
public interface ZmqControl {

    /**
     * Stops receiving and completes the stream; the socket stays open (what it has queued stays there)
     * until {@link #shutdown()} or the socket's own close. A message whose receive was already under way
     * is emitted first, never lost. Completes when the stream has completed.
     */
    CompletionStage<Done> stop();

    /**
     * Completes the stream (as {@link #stop()}) and closes the socket (honouring its LINGER); completes
     * when the socket is closed.
     */
    CompletionStage<Done> shutdown();

    /**
     * Keeps emitting, as downstream demands, the messages the socket already holds, completes the stream
     * once the socket is found empty, then closes the socket; completes when the socket is closed.
     */
    CompletionStage<Done> drainAndShutdown();

    /** Completes when the stage's socket has been closed (by any of the above, cancellation or failure). */
    CompletionStage<Done> isShutdown();

    /** The stage's socket, once it exists (fails if it could not be opened). */
    CompletionStage<ZSocket> socket();

    /** The endpoints the stage's socket bound, resolved (empty for a socket handed in ready-made). */
    CompletionStage<List<String>> boundEndpoints();
}
