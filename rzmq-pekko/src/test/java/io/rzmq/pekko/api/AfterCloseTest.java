package io.rzmq.pekko.api;

import io.rzmq.pekko.testing.PerTestContext;
import io.rzmq.pekko.model.MonitorEvent;

import io.rzmq.pekko.Rzmq;
import io.rzmq.pekko.model.RzmqException;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import static io.rzmq.pekko.api.Await.failure;
import static io.rzmq.pekko.api.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 12, defect 3, per entry point of ZSocket: an operation waiting when the socket (or its context)
 * closes completes with ETERM, and one started after close() or ZContext.close() returned (not waited for)
 * is complete when it returns, with ETERM, without waiting for the socket's actor.
 */
class AfterCloseTest extends PerTestContext {
    private ZSocket socket(ZContext c, SocketType type) {
        return ZSocket.create(c, type, c.defaultOptions().withSndHwm(1).withLinger(Duration.ZERO));
    }

    /** Every CompletionStage operation of a socket, by name. */
    private Map<String, Supplier<CompletionStage<?>>> operations(ZSocket pull, ZSocket push, ZSocket sub) {
        TestProbe<MonitorEvent> monitor = testKit.createTestProbe();
        TestProbe<Msg> target = testKit.createTestProbe();
        Map<String, Supplier<CompletionStage<?>>> ops = new LinkedHashMap<>();
        ops.put("send", () -> push.send(Msg.of("x")));
        ops.put("send(timeout)", () -> push.send(Msg.of("x"), Duration.ofMinutes(1)));
        ops.put("send(null)", () -> push.send(Msg.of("x"), null));
        ops.put("receive", () -> pull.receive());
        ops.put("receive(timeout)", () -> pull.receive(Duration.ofMinutes(1)));
        ops.put("receive(zero)", () -> pull.receive(Duration.ZERO));
        ops.put("bind", () -> pull.bind("inproc://after-close-bind"));
        ops.put("bind tcp", () -> pull.bind("tcp://127.0.0.1:*"));
        ops.put("connect", () -> push.connect("inproc://after-close-connect"));
        ops.put("unbind", () -> pull.unbind("inproc://after-close-bind"));
        ops.put("disconnect", () -> push.disconnect("inproc://after-close-connect"));
        ops.put("subscribe", () -> sub.subscribe("t"));
        ops.put("unsubscribe", () -> sub.unsubscribe("t"));
        ops.put("status", () -> pull.status());
        ops.put("monitor", () -> pull.monitor(monitor.ref()));
        ops.put("stopMonitor", () -> pull.stopMonitor(monitor.ref()));
        ops.put("deliverTo", () -> pull.deliverTo(target.ref(), 1));
        return ops;
    }

    private void assertAllFailAtOnceWithEterm(ZSocket pull, ZSocket push, ZSocket sub) {
        operations(pull, push, sub).forEach((name, op) -> {
            CompletableFuture<?> f = op.get().toCompletableFuture();
            assertThat(f.isDone()).as(name + " complete when it returns").isTrue();
            assertThat(code(f)).as(name).isEqualTo(RzmqException.Code.ETERM);
        });
        assertThatThrownBy(() -> push.trySend(Msg.of("x"))).isInstanceOf(RzmqException.class)
            .extracting(e -> ((RzmqException) e).code()).isEqualTo(RzmqException.Code.ETERM);
        assertThatThrownBy(pull::tryReceive).isInstanceOf(RzmqException.class)
            .extracting(e -> ((RzmqException) e).code()).isEqualTo(RzmqException.Code.ETERM);
        assertThat(pull.isClosed()).isTrue();
    }

    private static RzmqException.Code code(CompletableFuture<?> f) {
        try {
            f.join();
        } catch (CompletionException e) {
            assertThat(e.getCause()).isInstanceOf(RzmqException.class);
            return ((RzmqException) e.getCause()).code();
        }
        throw new AssertionError("succeeded on a closed socket");
    }

    @Test
    void operationsAfterSocketCloseFailAtOnceWithEterm() {
        ZSocket pull = socket(ctx, SocketType.PULL);
        ZSocket push = socket(ctx, SocketType.PUSH);
        ZSocket sub = socket(ctx, SocketType.SUB);
        pull.close();
        push.close();
        sub.close();
        assertAllFailAtOnceWithEterm(pull, push, sub);
    }

    @Test
    void operationsAfterContextCloseFailAtOnceWithEterm() {
        ZContext other = Rzmq.get(testKit.system()).newContext("after-context-close");
        ZSocket pull = socket(other, SocketType.PULL);
        ZSocket push = socket(other, SocketType.PUSH);
        ZSocket sub = socket(other, SocketType.SUB);
        CompletionStage<?> closing = other.close(Duration.ZERO);
        // Not waited for: the sockets' actors may not even have heard of it yet.
        assertAllFailAtOnceWithEterm(pull, push, sub);
        result(closing);
        assertAllFailAtOnceWithEterm(pull, push, sub);
        // close() of a socket whose context closed it completes (once its actor has stopped).
        result(pull.close());
    }

    @Test
    void operationsWaitingWhenTheSocketClosesFailWithEterm() {
        ZSocket pull = socket(ctx, SocketType.PULL);
        ZSocket push = socket(ctx, SocketType.PUSH);
        while (push.trySend(Msg.of("fill"))) {
            // no peer: the outbox fills
        }
        CompletionStage<Msg> receive = pull.receive();
        CompletionStage<Msg> receiveTimeout = pull.receive(Duration.ofMinutes(1));
        CompletionStage<?> send = push.send(Msg.of("x"), null);
        CompletionStage<?> sendTimeout = push.send(Msg.of("x"), Duration.ofMinutes(1));
        pull.close();
        push.close();
        assertThat(failure(receive).code()).isEqualTo(RzmqException.Code.ETERM);
        assertThat(failure(receiveTimeout).code()).isEqualTo(RzmqException.Code.ETERM);
        assertThat(failure(send).code()).isEqualTo(RzmqException.Code.ETERM);
        assertThat(failure(sendTimeout).code()).isEqualTo(RzmqException.Code.ETERM);
    }

    @Test
    void operationsWaitingWhenTheContextClosesFailWithEterm() {
        ZContext other = Rzmq.get(testKit.system()).newContext("waiting-context-close");
        ZSocket pull = socket(other, SocketType.PULL);
        ZSocket push = socket(other, SocketType.PUSH);
        while (push.trySend(Msg.of("fill"))) {
            // no peer: the outbox fills
        }
        CompletionStage<Msg> receive = pull.receive(Duration.ofMinutes(1));
        CompletionStage<?> send = push.send(Msg.of("x"), null);
        result(other.close(Duration.ZERO));
        assertThat(failure(receive).code()).isEqualTo(RzmqException.Code.ETERM);
        assertThat(failure(send).code()).isEqualTo(RzmqException.Code.ETERM);
    }
}
