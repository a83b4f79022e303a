package io.rzmq.pekko.testing;

import io.rzmq.pekko.api.ZContext;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Metadata;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import io.rzmq.protocol.security.ZapCodec;
import io.rzmq.protocol.security.ZapReply;
import io.rzmq.protocol.security.ZapRequest;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

import static io.rzmq.pekko.api.Await.result;

/**
 * A ZAP handler for tests: a ROUTER or REP {@link ZSocket} bound at {@code inproc://zeromq.zap.01} in a
 * context, answering each request as its policy says (or not at all). Requests are recorded for the
 * test to look at. Runs on the socket's completion stages: no thread of its own.
 */
public final class TestZapHandler implements AutoCloseable {

    /** What the policy answers: a reply's status, text, User-Id and metadata, or {@link #IGNORE}. */
    public record Verdict(String status, String text, String userId, Metadata metadata) {
        public static Verdict allow(String userId) {
            return new Verdict("200", "OK", userId, Metadata.EMPTY);
        }

        public static Verdict allow(String userId, Metadata metadata) {
            return new Verdict("200", "OK", userId, metadata);
        }

        public static Verdict deny(String status, String text) {
            return new Verdict(status, text, "", Metadata.EMPTY);
        }
    }

    /** Never answer (only a ROUTER handler can skip a request and serve the next). */
    public static final Verdict IGNORE = new Verdict(null, null, null, null);

    private final ZSocket socket;
    private final Function<ZapRequest, Verdict> policy;
    private final ConcurrentLinkedQueue<ZapRequest> requests = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;

    private TestZapHandler(ZSocket socket, Function<ZapRequest, Verdict> policy) {
        this.socket = socket;
        this.policy = policy;
    }

    /** Binds a handler of {@code type} (ROUTER or REP) in {@code ctx} and starts answering. */
    public static TestZapHandler bind(ZContext ctx, SocketType type, Function<ZapRequest, Verdict> policy) {
        ZSocket s = ZSocket.create(ctx, type);
        result(s.bind(ZapCodec.ENDPOINT));
        TestZapHandler h = new TestZapHandler(s, policy);
        h.next();
        return h;
    }

    private void next() {
        if (closed) {
            return;
        }
        socket.receive().whenComplete((m, err) -> {
            if (err == null) {
                handle(m);
                next();
            }
        });
    }

    private void handle(Msg m) {
        boolean router = socket.type() == SocketType.ROUTER;
        List<Frame> frames = m.frames();
        // ROUTER: routing id, delimiter, request. REP: the request alone (REP keeps the envelope).
        ZapRequest request = ZapCodec.decodeRequest(router ? frames.subList(1, frames.size()) : frames);
        requests.add(request);
        Verdict v = policy.apply(request);
        if (v == IGNORE) {
            return;
        }
        List<Frame> reply = ZapCodec.encodeReply(new ZapReply(request.requestId(), v.status(), v.text(), v.userId(),
            v.metadata()));
        Msg out = router ? Msg.ofFrames(reply).prepend(frames.get(0)) : Msg.ofFrames(reply.subList(1, reply.size()));
        socket.trySend(out);
    }

    /** Every request seen so far, in order. */
    public List<ZapRequest> requests() {
        return List.copyOf(requests);
    }

    public ZSocket socket() {
        return socket;
    }

    @Override
    public void close() {
        closed = true;
        result(socket.close());
    }
}
