package io.rzmq.pekko.stream;

import io.rzmq.pekko.model.RzmqException;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.pekko.stream.ZmqSocketSpec.OpenedSocket;
import io.rzmq.protocol.Msg;
import org.apache.pekko.Done;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.SourceShape;
import org.apache.pekko.stream.stage.AbstractGraphStageWithMaterializedValue;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStageLogic;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Emits what a receiving socket gets, only as downstream demands: while there is demand it takes
 * messages with {@code tryReceive} (no actor message per message); when the socket is empty it waits on
 * one {@code receive}. Without demand it takes nothing, so messages stay in the socket (RCVHWM) and its
 * pipes, and a PUSH peer is slowed down over TCP.
 */
final class ZmqSourceStage extends AbstractGraphStageWithMaterializedValue<SourceShape<Msg>, ZmqControl> {
    private final Outlet<Msg> out = Outlet.create("ZmqSource.out");
    private final SourceShape<Msg> shape = SourceShape.of(out);
    private final Supplier<CompletionStage<OpenedSocket>> opener;
    private final ZmqStreamSettings settings;

    ZmqSourceStage(Supplier<CompletionStage<OpenedSocket>> opener, ZmqStreamSettings settings) {
        this.opener = opener;
        this.settings = settings;
    }

    @Override
    public SourceShape<Msg> shape() {
        return shape;
    }

    @Override
    public Attributes initialAttributes() {
        return Attributes.name("zmqSource");
    }

    private enum Action { STOP, DRAIN }

    private record Received(Msg msg, Throwable error) {
    }

    /** The materialized control: its calls reach the stage as async callbacks. */
    private static final class Control implements ZmqControl {
        final CompletableFuture<OpenedSocket> opened = new CompletableFuture<>();
        final CompletableFuture<Done> streamDone = new CompletableFuture<>();
        final CompletableFuture<Done> shutdownDone = new CompletableFuture<>();
        volatile boolean closeRequested;
        volatile AsyncCallback<Action> actions;

        @Override
        public CompletionStage<Done> stop() {
            actions.invoke(Action.STOP);
            return streamDone.minimalCompletionStage();
        }

        @Override
        public CompletionStage<Done> shutdown() {
            closeRequested = true;
            actions.invoke(Action.STOP);
            streamDone.thenRun(this::closeSocket);
            return shutdownDone.minimalCompletionStage();
        }

        @Override
        public CompletionStage<Done> drainAndShutdown() {
            closeRequested = true;
            actions.invoke(Action.DRAIN);
            streamDone.thenRun(this::closeSocket);
            return shutdownDone.minimalCompletionStage();
        }

        @Override
        public CompletionStage<Done> isShutdown() {
            return shutdownDone.minimalCompletionStage();
        }

        @Override
        public CompletionStage<ZSocket> socket() {
            return opened.thenApply(OpenedSocket::socket);
        }

        @Override
        public CompletionStage<List<String>> boundEndpoints() {
            return opened.thenApply(OpenedSocket::boundEndpoints);
        }

        void closeSocket() {
            opened.whenComplete((o, e) -> {
                if (o == null) {
                    shutdownDone.complete(Done.getInstance());
                } else {
                    o.socket().close().whenComplete((d, e2) -> shutdownDone.complete(Done.getInstance()));
                }
            });
        }
    }

    @Override
    public Pair<GraphStageLogic, ZmqControl> createLogicAndMaterializedValuePair(Attributes attrs) {
        Control control = new Control();
        return Pair.create(new Logic(control), control);
    }

    private final class Logic extends GraphStageLogic {
        private final Control control;
        private final AsyncCallback<OpenedSocket> onOpened;
        private final AsyncCallback<Throwable> onOpenFailed;
        private final AsyncCallback<Received> onReceived;
        private ZSocket socket;
        private boolean waiting;
        private boolean stopping;
        private boolean draining;
        private boolean keepSocket;

        Logic(Control control) {
            super(shape);
            this.control = control;
            this.onOpened = createAsyncCallback(this::opened);
            this.onOpenFailed = createAsyncCallback(e -> failStage(StageSupport.unwrap(e)));
            this.onReceived = createAsyncCallback(this::received);
            control.actions = createAsyncCallback(this::onAction);
            setHandler(out, new AbstractOutHandler() {
                @Override
                public void onPull() {
                    pump();
                }
            });
        }

        @Override
        public void preStart() {
            CompletionStage<OpenedSocket> opening;
            try {
                opening = opener.get();
            } catch (RuntimeException e) {
                control.opened.completeExceptionally(e);
                failStage(e);
                return;
            }
            opening.whenComplete((o, e) -> {
                if (e != null) {
                    control.opened.completeExceptionally(StageSupport.unwrap(e));
                    onOpenFailed.invoke(e);
                } else {
                    control.opened.complete(o);
                    onOpened.invoke(o);
                }
            });
        }

        private void opened(OpenedSocket o) {
            socket = o.socket();
            if (stopping) {
                completeStage();
            } else {
                pump();
            }
        }

        private void onAction(Action a) {
            if (a == Action.STOP) {
                stopping = true;
                keepSocket = !control.closeRequested;
                // A receive under way may still bring a message: emit it, then complete.
                if (!waiting) {
                    completeStage();
                }
            } else {
                draining = true;
                pump();
            }
        }

        private void pump() {
            if (socket == null || waiting) {
                return;
            }
            while (isAvailable(out)) {
                if (stopping) {
                    completeStage();
                    return;
                }
                Msg m;
                try {
                    m = socket.tryReceive();
                } catch (RzmqException e) {
                    socketFailed(e);
                    return;
                }
                if (m != null) {
                    push(out, m);
                    continue;
                }
                if (draining) {
                    completeStage();
                    return;
                }
                waiting = true;
                socket.receive(settings.receivePollInterval())
                    .whenComplete((msg, err) -> onReceived.invoke(new Received(msg, err)));
                return;
            }
        }

        private void received(Received r) {
            waiting = false;
            if (r.msg() != null) {
                // We only wait with demand pending, and demand is only withdrawn by cancelling.
                push(out, r.msg());
                if (stopping) {
                    completeStage();
                    return;
                }
                pump();
            } else if (StageSupport.isCode(r.error(), RzmqException.Code.EAGAIN)) {
                if (stopping) {
                    completeStage();
                } else {
                    pump();
                }
            } else {
                socketFailed(StageSupport.unwrap(r.error()));
            }
        }

        private void socketFailed(Throwable e) {
            if (e instanceof RzmqException re && re.code() == RzmqException.Code.ETERM) {
                // The socket was closed under us: the stream ends normally.
                completeStage();
            } else {
                failStage(e);
            }
        }

        @Override
        public void postStop() {
            control.streamDone.complete(Done.getInstance());
            if (control.closeRequested || (settings.closeSocketOnCompletion() && !keepSocket)) {
                control.closeSocket();
            }
        }
    }
}
