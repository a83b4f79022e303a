package io.rzmq.pekko.stream;

import io.rzmq.pekko.model.RzmqException;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.pekko.stream.ZmqSocketSpec.OpenedSocket;
import io.rzmq.protocol.Msg;
import org.apache.pekko.Done;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractGraphStageWithMaterializedValue;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStageLogic;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Request-reply over one socket (REQ, or DEALER talking to peers that answer in order): one request in
 * flight at a time; each element is sent, the next received message is emitted as its reply, and only
 * then is the next request pulled. Replies therefore come out in request order, and a slow downstream
 * stops new requests.
 */
final class ZmqRequestReplyStage
    extends AbstractGraphStageWithMaterializedValue<FlowShape<Msg, Msg>, CompletionStage<Done>> {
    private final Inlet<Msg> in = Inlet.create("ZmqRequestReply.in");
    private final Outlet<Msg> out = Outlet.create("ZmqRequestReply.out");
    private final FlowShape<Msg, Msg> shape = FlowShape.of(in, out);
    private final Supplier<CompletionStage<OpenedSocket>> opener;
    private final ZmqStreamSettings settings;
    private final Duration replyTimeout;

    ZmqRequestReplyStage(Supplier<CompletionStage<OpenedSocket>> opener, ZmqStreamSettings settings,
                         Duration replyTimeout) {
        this.opener = opener;
        this.settings = settings;
        this.replyTimeout = replyTimeout;
    }

    @Override
    public FlowShape<Msg, Msg> shape() {
        return shape;
    }

    @Override
    public Attributes initialAttributes() {
        return Attributes.name("zmqRequestReply");
    }

    private record Outcome(Msg reply, Throwable error) {
    }

    @Override
    public Pair<GraphStageLogic, CompletionStage<Done>> createLogicAndMaterializedValuePair(Attributes attrs) {
        CompletableFuture<Done> closed = new CompletableFuture<>();
        return Pair.create(new Logic(closed), closed.minimalCompletionStage());
    }

    private final class Logic extends GraphStageLogic {
        private final CompletableFuture<Done> closed;
        private final AsyncCallback<OpenedSocket> onOpened;
        private final AsyncCallback<Throwable> onFailed;
        private final AsyncCallback<Done> onSent;
        private final AsyncCallback<Outcome> onReply;
        private CompletionStage<OpenedSocket> opening;
        private ZSocket socket;
        private boolean inFlight;

        Logic(CompletableFuture<Done> closed) {
            super(shape);
            this.closed = closed;
            this.onOpened = createAsyncCallback(this::opened);
            this.onFailed = createAsyncCallback(this::failStage);
            this.onSent = createAsyncCallback(d -> awaitReply());
            this.onReply = createAsyncCallback(this::replied);
            setHandler(in, new AbstractInHandler() {
                @Override
                public void onPush() {
                    request(grab(in));
                }

                @Override
                public void onUpstreamFinish() {
                    if (!inFlight) {
                        completeStage();
                    }
                }
            });
            setHandler(out, new AbstractOutHandler() {
                @Override
                public void onPull() {
                    pullNext();
                }
            });
        }

        @Override
        public void preStart() {
            try {
                opening = opener.get();
            } catch (RuntimeException e) {
                failStage(e);
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
            pullNext();
        }

        private void pullNext() {
            if (socket != null && !inFlight && isAvailable(out) && !hasBeenPulled(in) && !isClosed(in)) {
                pull(in);
            }
        }

        private void request(Msg m) {
            inFlight = true;
            try {
                if (socket.trySend(m)) {
                    awaitReply();
                    return;
                }
            } catch (RzmqException e) {
                failStage(e);
                return;
            }
            // A stream back-pressures instead of timing out: SNDTIMEO does not apply here.
            socket.send(m, null).whenComplete((d, e) -> {
                if (e != null) {
                    onFailed.invoke(StageSupport.unwrap(e));
                } else {
                    onSent.invoke(Done.getInstance());
                }
            });
        }

        private void awaitReply() {
            Msg r;
            try {
                r = socket.tryReceive();
            } catch (RzmqException e) {
                failStage(e);
                return;
            }
            if (r != null) {
                replied(new Outcome(r, null));
                return;
            }
            socket.receive(replyTimeout).whenComplete((msg, e) -> onReply.invoke(new Outcome(msg, e)));
        }

        private void replied(Outcome o) {
            if (o.error() != null) {
                failStage(StageSupport.unwrap(o.error()));
                return;
            }
            inFlight = false;
            push(out, o.reply());
            if (isClosed(in)) {
                completeStage();
            }
        }

        @Override
        public void postStop() {
            if (opening == null) {
                closed.complete(Done.getInstance());
            } else if (settings.closeSocketOnCompletion()) {
                opening.whenComplete((o, e) -> {
                    if (o == null) {
                        closed.complete(Done.getInstance());
                    } else {
                        o.socket().close().whenComplete((d, e2) -> closed.complete(Done.getInstance()));
                    }
                });
            } else {
                closed.complete(Done.getInstance());
            }
        }
    }
}
