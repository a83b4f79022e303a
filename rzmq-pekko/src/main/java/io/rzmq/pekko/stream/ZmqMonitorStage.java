package io.rzmq.pekko.stream;

import io.rzmq.pekko.model.MonitorEventKind;

import io.rzmq.pekko.model.MonitorEvent;
import io.rzmq.pekko.api.ZSocket;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.SourceShape;
import org.apache.pekko.stream.stage.AbstractGraphStageWithMaterializedValue;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStageLogic;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Emits a socket's monitor events. The socket tells a stage actor (no ask, no extra actor); events wait
 * in a buffer of {@code bufferSize} while downstream has no demand, and when it is full the oldest is
 * dropped and counted: a slow consumer never grows memory and never slows the socket down.
 */
final class ZmqMonitorStage extends AbstractGraphStageWithMaterializedValue<SourceShape<MonitorEvent>, ZmqMonitor> {
    private final Outlet<MonitorEvent> out = Outlet.create("ZmqMonitor.out");
    private final SourceShape<MonitorEvent> shape = SourceShape.of(out);
    private final ZSocket socket;
    private final int bufferSize;

    ZmqMonitorStage(ZSocket socket, int bufferSize) {
        if (bufferSize < 1) {
            throw new IllegalArgumentException("bufferSize must be at least 1, was " + bufferSize);
        }
        this.socket = socket;
        this.bufferSize = bufferSize;
    }

    @Override
    public SourceShape<MonitorEvent> shape() {
        return shape;
    }

    @Override
    public Attributes initialAttributes() {
        return Attributes.name("zmqMonitor");
    }

    private static final class Control implements ZmqMonitor {
        final CompletableFuture<Done> started = new CompletableFuture<>();
        final CompletableFuture<Done> stopped = new CompletableFuture<>();
        final AtomicLong dropped = new AtomicLong();
        volatile AsyncCallback<Done> stopRequest;

        @Override
        public CompletionStage<Done> started() {
            return started.minimalCompletionStage();
        }

        @Override
        public long dropped() {
            return dropped.get();
        }

        @Override
        public CompletionStage<Done> stop() {
            started.thenRun(() -> stopRequest.invoke(Done.getInstance()));
            return stopped.minimalCompletionStage();
        }
    }

    @Override
    public Pair<GraphStageLogic, ZmqMonitor> createLogicAndMaterializedValuePair(Attributes attrs) {
        Control control = new Control();
        GraphStageLogic logic = new GraphStageLogic(shape) {
            private final ArrayDeque<MonitorEvent> buffer = new ArrayDeque<>();
            private org.apache.pekko.actor.typed.ActorRef<MonitorEvent> self;
            private boolean monitorStopped;

            {
                setHandler(out, new AbstractOutHandler() {
                    @Override
                    public void onPull() {
                        if (!buffer.isEmpty()) {
                            push(out, buffer.pollFirst());
                        }
                        if (buffer.isEmpty() && monitorStopped) {
                            completeStage();
                        }
                    }
                });
            }

            @Override
            public void preStart() {
                self = Adapter.toTyped(getStageActor(m -> {
                    onEvent(m);
                    return scala.runtime.BoxedUnit.UNIT;
                }).ref());
                AsyncCallback<Throwable> onStart = createAsyncCallback(error -> {
                    if (error != null) {
                        control.started.completeExceptionally(error);
                        control.stopped.completeExceptionally(error);
                        failStage(error);
                    }
                });
                control.stopRequest = createAsyncCallback(d -> {
                    if (!monitorStopped) {
                        socket.stopMonitor(self);
                    }
                });
                socket.monitor(self).whenComplete((done, error) -> {
                    if (error == null) {
                        control.started.complete(Done.getInstance());
                    } else {
                        onStart.invoke(error);
                    }
                });
            }

            private void onEvent(scala.Tuple2<org.apache.pekko.actor.ActorRef, Object> message) {
                if (!(message._2() instanceof MonitorEvent event) || monitorStopped) {
                    return;
                }
                if (isAvailable(out) && buffer.isEmpty()) {
                    push(out, event);
                } else {
                    if (buffer.size() >= bufferSize) {
                        buffer.pollFirst();
                        control.dropped.incrementAndGet();
                    }
                    buffer.addLast(event);
                }
                if (event.kind() == MonitorEventKind.MONITOR_STOPPED) {
                    monitorStopped = true;
                    control.stopped.complete(Done.getInstance());
                    if (buffer.isEmpty()) {
                        completeStage();
                    }
                }
            }

            @Override
            public void postStop() {
                if (!monitorStopped && self != null) {
                    // Cancelled or failed: the socket must stop telling a stage that is gone.
                    socket.stopMonitor(self);
                }
                control.stopped.complete(Done.getInstance());
            }
        };
        return Pair.create(logic, control);
    }
}
