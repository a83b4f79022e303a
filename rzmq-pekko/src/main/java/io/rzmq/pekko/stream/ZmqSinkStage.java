package io.rzmq.pekko.stream;

import io.rzmq.pekko.model.RzmqException;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.pekko.stream.ZmqSocketSpec.OpenedSocket;
import io.rzmq.protocol.Msg;
import org.apache.pekko.Done;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.AbruptStageTerminationException;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.SinkShape;
import org.apache.pekko.stream.stage.AbstractGraphStageWithMaterializedValue;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStageLogic;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Sends each element on a sending socket and pulls the next one only once the socket has accepted it:
 * {@code trySend} while a peer's pipe has room (no actor message per message), otherwise one
 * waiting {@code send} whose completion pulls again. So upstream is slowed by SNDHWM and the peers' HWMs
 * (PUSH); a PUB socket never makes it wait (it drops per subscriber, as libzmq does).
 */
final class ZmqSinkStage extends AbstractGraphStageWithMaterializedValue<SinkShape<Msg>, CompletionStage<Done>> {
    private final Inlet<Msg> in = Inlet.create("ZmqSink.in");
    private final SinkShape<Msg> shape = SinkShape.of(in);
    private final Supplier<CompletionStage<OpenedSocket>> opener;
    private final ZmqStreamSettings settings;

    ZmqSinkStage(Supplier<CompletionStage<OpenedSocket>> opener, ZmqStreamSettings settings) {
        this.opener = opener;
        this.settings = settings;
    }

    @Override
    public SinkShape<Msg> shape() {
        return shape;
    }

    @Override
    public Attributes initialAttributes() {
        return Attributes.name("zmqSink");
    }

    @Override
    public Pair<GraphStageLogic, CompletionStage<Done>> createLogicAndMaterializedValuePair(Attributes attrs) {
        CompletableFuture<Done> done = new CompletableFuture<>();
        return Pair.create(new Logic(done), done.minimalCompletionStage());
    }

    private final class Logic extends GraphStageLogic {
        private final CompletableFuture<Done> done;
        private final AsyncCallback<OpenedSocket> onOpened;
        private final AsyncCallback<Throwable> onFailed;
        private final AsyncCallback<Done> onSent;
        private final AsyncCallback<Throwable> onClosed;
        private CompletionStage<OpenedSocket> opening;
        private ZSocket socket;
        private boolean sending;
        private boolean finishing;

        Logic(CompletableFuture<Done> done) {
            super(shape);
            this.done = done;
            this.onOpened = createAsyncCallback(this::opened);
            this.onFailed = createAsyncCallback(this::fail);
            this.onSent = createAsyncCallback(d -> sent());
            this.onClosed = createAsyncCallback(this::closed);
            setHandler(in, new AbstractInHandler() {
                @Override
                public void onPush() {
                    send(grab(in));
                }

                @Override
                public void onUpstreamFinish() {
                    finishing = true;
                    if (!sending && socket != null) {
                        finish();
                    }
                    // else: finish once the socket exists / the waiting send completes
                }

                @Override
                public void onUpstreamFailure(Throwable ex) {
                    fail(ex);
                }
            });
        }

        @Override
        public void preStart() {
            // Stay alive after upstream completes, until the last send is taken and the socket closed.
            setKeepGoing(true);
            try {
                opening = opener.get();
            } catch (RuntimeException e) {
                fail(e);
                return;
            }
            opening.whenComplete((o, e) -> {
                if (e != null) {
                    onFailed.invoke(StageSupport.unwrap(e));
                } else {
                    onOpened.invoke(o);
                }
            });
        }

        private void opened(OpenedSocket o) {
            socket = o.socket();
            if (finishing) {
                finish();
            } else {
                pull(in);
            }
        }

        private void send(Msg m) {
            try {
                if (socket.trySend(m)) {
                    pull(in);
                    return;
                }
            } catch (RzmqException e) {
                fail(e);
                return;
            }
            sending = true;
            // A stream back-pressures instead of timing out: SNDTIMEO does not apply here.
            socket.send(m, null).whenComplete((d, e) -> {
                if (e != null) {
                    onFailed.invoke(StageSupport.unwrap(e));
                } else {
                    onSent.invoke(Done.getInstance());
                }
            });
        }

        private void sent() {
            sending = false;
            if (finishing) {
                finish();
            } else {
                pull(in);
            }
        }

        private void finish() {
            if (settings.closeSocketOnCompletion()) {
                socket.close().whenComplete((d, e) -> onClosed.invoke(e));
            } else {
                done.complete(Done.getInstance());
                completeStage();
            }
        }

        private void closed(Throwable e) {
            if (e != null) {
                done.completeExceptionally(StageSupport.unwrap(e));
            } else {
                done.complete(Done.getInstance());
            }
            completeStage();
        }

        private void fail(Throwable e) {
            done.completeExceptionally(e);
            failStage(e);
        }

        @Override
        public void postStop() {
            if (!done.isDone()) {
                done.completeExceptionally(new AbruptStageTerminationException(this));
            }
            // A failed or aborted sink still releases its socket (LINGER applies).
            if (settings.closeSocketOnCompletion() && opening != null) {
                opening.thenAccept(o -> o.socket().close());
            }
        }
    }
}
