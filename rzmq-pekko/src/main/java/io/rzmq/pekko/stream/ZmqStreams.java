package io.rzmq.pekko.stream;

import io.rzmq.pekko.model.MonitorEvent;
import io.rzmq.pekko.api.ZContext;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.pekko.stream.ZmqSocketSpec.OpenedSocket;
import io.rzmq.protocol.Msg;
import org.apache.pekko.Done;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Pekko Streams for rzmq sockets (Java API; Scala code uses the same methods and {@code .asScala}).
 *
 * <ul>
 *   <li>{@link #source}: a receiving socket (PULL, SUB, ...) as a {@code Source<Msg, ZmqControl>} that takes
 *       messages only on demand, so a slow stream leaves them in the socket (RCVHWM) and, over TCP,
 *       back-pressures a PUSH peer; PUB peers drop for it, as libzmq does.</li>
 *   <li>{@link #sink}: a sending socket (PUSH, PUB, ...) as a {@code Sink<Msg, CompletionStage<Done>>} that
 *       pulls the next element only once the socket has taken the last one (back-pressure from SNDHWM
 *       and the peers' HWMs; PUB never waits).</li>
 *   <li>{@link #monitor}: a socket's lifecycle events as a {@code Source<MonitorEvent, ZmqMonitor>}.</li>
 *   <li>{@link #requestReply}: a REQ socket (or DEALER with in-order replies) as a {@code Flow} emitting one
 *       reply per request, in order.</li>
 * </ul>
 * Each method comes in two forms: for a {@link ZSocket} you made (the stage uses it from materialization on;
 * materialize such a stage once), or for a {@link ZmqSocketSpec} (a new socket per materialization,
 * opened without blocking, owned by the stage). With {@link ZmqStreamSettings#closeSocketOnCompletion()}
 * (the default) the stage closes its socket when it ends. With it off, a Source cancelled while it waits
 * for a message leaves that one receive pending on the socket: the next message is taken by it and lost, so
 * read such a socket on only after {@link ZmqControl#stop()}, which waits for that receive instead.
 */
public final class ZmqStreams {
    private ZmqStreams() {
    }

    // ------------------------------------------------------------------ Source

    /** Emits the messages {@code socket} receives (see the class comment); settings from reference.conf defaults. */
    public static Source<Msg, ZmqControl> source(ZSocket socket) {
        return source(socket, settingsOf(socket.context()));
    }

    public static Source<Msg, ZmqControl> source(ZSocket socket, ZmqStreamSettings settings) {
        return Source.fromGraph(new ZmqSourceStage(given(socket), Objects.requireNonNull(settings, "settings")));
    }

    /** Opens a socket per {@code spec} in {@code ctx} at materialization and emits what it receives. */
    public static Source<Msg, ZmqControl> source(ZContext ctx, ZmqSocketSpec spec) {
        return source(ctx, spec, settingsOf(ctx));
    }

    public static Source<Msg, ZmqControl> source(ZContext ctx, ZmqSocketSpec spec, ZmqStreamSettings settings) {
        return Source.fromGraph(new ZmqSourceStage(opening(ctx, spec), Objects.requireNonNull(settings, "settings")));
    }

    // ------------------------------------------------------------------ Sink

    /**
     * Sends every element on {@code socket}; the materialized stage completes when upstream has completed,
     * every element was taken by the socket and (by default) the socket is closed, honouring LINGER;
     * it fails with the upstream's or the socket's failure.
     */
    public static Sink<Msg, CompletionStage<Done>> sink(ZSocket socket) {
        return sink(socket, settingsOf(socket.context()));
    }

    public static Sink<Msg, CompletionStage<Done>> sink(ZSocket socket, ZmqStreamSettings settings) {
        return Sink.fromGraph(new ZmqSinkStage(given(socket), Objects.requireNonNull(settings, "settings")));
    }

    /** Opens a socket per {@code spec} in {@code ctx} at materialization and sends every element on it. */
    public static Sink<Msg, CompletionStage<Done>> sink(ZContext ctx, ZmqSocketSpec spec) {
        return sink(ctx, spec, settingsOf(ctx));
    }

    public static Sink<Msg, CompletionStage<Done>> sink(ZContext ctx, ZmqSocketSpec spec, ZmqStreamSettings settings) {
        return Sink.fromGraph(new ZmqSinkStage(opening(ctx, spec), Objects.requireNonNull(settings, "settings")));
    }

    // ------------------------------------------------------------------ Flow

    /**
     * Sends each element as a request on {@code socket} and emits the next message it receives as the reply:
     * one request in flight, replies in request order. Made for REQ, and for DEALER when the peers answer
     * in order (the application adds any envelope frames). The materialized stage completes once the stage
     * has stopped and (by default) the socket is closed.
     *
     * @param replyTimeout how long to wait for a reply before failing the stream with EAGAIN; null: for ever
     *                     (a lost reply then stalls the stream, as it stalls a libzmq REQ socket)
     */
    public static Flow<Msg, Msg, CompletionStage<Done>> requestReply(ZSocket socket, Duration replyTimeout) {
        return requestReply(socket, replyTimeout, settingsOf(socket.context()));
    }

    public static Flow<Msg, Msg, CompletionStage<Done>> requestReply(ZSocket socket, Duration replyTimeout,
                                                                    ZmqStreamSettings settings) {
        return Flow.fromGraph(new ZmqRequestReplyStage(given(socket), Objects.requireNonNull(settings, "settings"),
            replyTimeout));
    }

    /** Request-reply over a socket opened per {@code spec} in {@code ctx} at materialization. */
    public static Flow<Msg, Msg, CompletionStage<Done>> requestReply(ZContext ctx, ZmqSocketSpec spec,
                                                                    Duration replyTimeout) {
        return Flow.fromGraph(new ZmqRequestReplyStage(opening(ctx, spec), settingsOf(ctx), replyTimeout));
    }

    // ------------------------------------------------------------------ Monitor

    /** Default number of monitor events buffered for a slow consumer by {@link #monitor(ZSocket)}. */
    public static final int DEFAULT_MONITOR_BUFFER = 256;

    /**
     * The lifecycle events of {@code socket} ({@link MonitorEvent}), from when the materialized
     * {@link ZmqMonitor#started()} completes until the socket closes or monitoring is stopped: the last
     * element is then MONITOR_STOPPED and the stream completes. Events wait in a buffer of
     * {@link #DEFAULT_MONITOR_BUFFER} while downstream is slow; when it is full the oldest are dropped and
     * counted ({@link ZmqMonitor#dropped()}). Cancelling the stream stops monitoring; the socket stays open.
     */
    public static Source<MonitorEvent, ZmqMonitor> monitor(ZSocket socket) {
        return monitor(socket, DEFAULT_MONITOR_BUFFER);
    }

    /** As {@link #monitor(ZSocket)} with a buffer of {@code bufferSize} events (at least 1). */
    public static Source<MonitorEvent, ZmqMonitor> monitor(ZSocket socket, int bufferSize) {
        return Source.fromGraph(new ZmqMonitorStage(Objects.requireNonNull(socket, "socket"), bufferSize));
    }

    // ------------------------------------------------------------------ helpers

    private static ZmqStreamSettings settingsOf(ZContext ctx) {
        return ZmqStreamSettings.create(ctx.system().settings().config());
    }

    private static Supplier<CompletionStage<OpenedSocket>> given(ZSocket socket) {
        Objects.requireNonNull(socket, "socket");
        OpenedSocket o = new OpenedSocket(socket, List.of());
        return () -> CompletableFuture.completedStage(o);
    }

    private static Supplier<CompletionStage<OpenedSocket>> opening(ZContext ctx, ZmqSocketSpec spec) {
        Objects.requireNonNull(ctx, "ctx");
        Objects.requireNonNull(spec, "spec");
        return () -> spec.open(ctx);
    }
}
