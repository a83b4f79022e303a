package io.rzmq.pekko.api;

import io.rzmq.pekko.model.RzmqException;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.apache.pekko.Done;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * zmq_proxy for {@link ZSocket}s: forwards every message received on the frontend to the backend and
 * back the other way (where the socket types allow that direction), optionally sending a copy of each to
 * a capture socket. Typical pairs: ROUTER/DEALER (a request-reply broker), XSUB/XPUB (a pub-sub
 * forwarder, subscriptions travel upstream), PULL/PUSH (a streamer).
 *
 * <p>Back-pressure, no buffering: each direction holds at most one message in flight; it receives the
 * next only when the send of the current one (and its capture copy) has completed. Runs on the actor
 * system's dispatcher, never blocking a thread.
 */
public final class ZProxy {
    private ZProxy() {
    }

    /** {@link #proxy(ZSocket, ZSocket, ZSocket)} without a capture socket. */
    public static CompletionStage<Done> proxy(ZSocket frontend, ZSocket backend) {
        return proxy(frontend, backend, null);
    }

    /**
     * Starts forwarding between {@code frontend} and {@code backend}; {@code capture} (nullable) gets a copy
     * of every forwarded message. The stage completes with Done when either socket is closed (ETERM), or
     * exceptionally with the first other failure of a receive or send. Closing the sockets is up to the
     * caller.
     */
    public static CompletionStage<Done> proxy(ZSocket frontend, ZSocket backend, ZSocket capture) {
        Objects.requireNonNull(frontend, "frontend");
        Objects.requireNonNull(backend, "backend");
        if (capture != null && !capture.type().canSend()) {
            throw new RzmqException(RzmqException.Code.EINVAL, "a " + capture.type() + " socket cannot be a capture socket");
        }
        CompletableFuture<Done> done = new CompletableFuture<>();
        Executor executor = frontend.context().system().executionContext();
        boolean forward = frontend.type().canReceive() && backend.type().canSend();
        boolean backward = backend.type().canReceive() && frontend.type().canSend();
        if (!forward && !backward) {
            throw new RzmqException(RzmqException.Code.EINVAL,
                "nothing to forward between " + frontend.type() + " and " + backend.type());
        }
        if (forward) {
            new Direction(frontend, backend, capture, done, executor).run();
        }
        if (backward) {
            new Direction(backend, frontend, capture, done, executor).run();
        }
        return done.minimalCompletionStage();
    }

    /** One direction: receive, send (and capture), then the next; iterative while stages complete at once. */
    private static final class Direction implements Runnable {
        private final ZSocket from;
        private final ZSocket to;
        private final ZSocket capture;
        private final CompletableFuture<Done> done;
        private final Executor executor;

        Direction(ZSocket from, ZSocket to, ZSocket capture, CompletableFuture<Done> done, Executor executor) {
            this.from = from;
            this.to = to;
            this.capture = capture;
            this.done = done;
            this.executor = executor;
        }

        @Override
        public void run() {
            while (!done.isDone()) {
                // The proxy waits for traffic however the sockets set RCVTIMEO/SNDTIMEO (libzmq polls them).
                CompletableFuture<Msg> received = from.receive(null).toCompletableFuture();
                if (!received.isDone()) {
                    received.whenCompleteAsync((m, e) -> {
                        if (forward(m, e)) {
                            run();
                        }
                    }, executor);
                    return;
                }
                Msg m;
                try {
                    m = received.join();
                } catch (RuntimeException e) {
                    finish(e);
                    return;
                }
                if (!forward(m, null)) {
                    return;
                }
            }
        }

        /** Sends {@code m} on; true when the loop may go on at once, false when it stopped or resumes later. */
        private boolean forward(Msg m, Throwable failure) {
            if (failure != null) {
                finish(failure);
                return false;
            }
            CompletableFuture<Done> sent;
            try {
                sent = to.send(m, null).toCompletableFuture();
                if (capture != null) {
                    sent = sent.thenCombine(capture.send(m, null), (a, b) -> a);
                }
            } catch (RuntimeException e) {
                finish(e);
                return false;
            }
            if (sent.isDone() && !sent.isCompletedExceptionally()) {
                return true;
            }
            sent.whenCompleteAsync((d, e) -> {
                if (e != null) {
                    finish(e);
                } else {
                    run();
                }
            }, executor);
            return false;
        }

        private void finish(Throwable failure) {
            Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
            if (cause instanceof RzmqException re && re.code() == RzmqException.Code.ETERM) {
                done.complete(Done.getInstance());
            } else {
                done.completeExceptionally(cause);
            }
        }
    }
}
