package io.rzmq.pekko.stream;

import io.rzmq.pekko.Rzmq;
import io.rzmq.pekko.model.MonitorEvent;
import io.rzmq.pekko.model.MonitorEventKind;
import io.rzmq.pekko.api.ZContext;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.protocol.SocketType;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.SinkQueueWithCancel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import static io.rzmq.pekko.stream.Waits.result;
import static io.rzmq.pekko.stream.Waits.until;
import static org.assertj.core.api.Assertions.assertThat;

/** ZmqStreams.monitor: a socket's events as a bounded Source. */
class ZmqMonitorStreamTest {
    static final ActorTestKit testKit = ActorTestKit.create();
    static final ActorSystem<Void> system = testKit.system();

    ZContext ctx;

    @BeforeEach
    void newContext() {
        ctx = Rzmq.get(system).newContext("monitor-stream");
    }

    @AfterEach
    void closeContext() {
        result(ctx.close(Duration.ZERO));
    }

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    @Test
    void emitsTheSocketsEventsAndCompletesWithMonitorStoppedWhenItCloses() {
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL);
        Pair<ZmqMonitor, CompletionStage<List<MonitorEvent>>> run =
            ZmqStreams.monitor(pull).toMat(Sink.seq(), Keep.both()).run(system);
        result(run.first().started());
        String endpoint = result(pull.bind("tcp://127.0.0.1:*"));
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH);
        result(push.connect(endpoint));
        until("the peer is ready", () -> result(pull.status()).readyPeers() == 1);
        result(pull.close());

        List<MonitorEvent> events = result(run.second());
        List<MonitorEventKind> kinds = events.stream().map(MonitorEvent::kind).toList();
        assertThat(kinds).startsWith(MonitorEventKind.LISTENING).contains(MonitorEventKind.ACCEPTED, MonitorEventKind.HANDSHAKE_SUCCEEDED, MonitorEventKind.CLOSED)
            .endsWith(MonitorEventKind.MONITOR_STOPPED);
        assertThat(kinds.indexOf(MonitorEventKind.ACCEPTED)).isLessThan(kinds.indexOf(MonitorEventKind.HANDSHAKE_SUCCEEDED));
        assertThat(events.get(0).endpoint()).isEqualTo(endpoint);
        assertThat(run.first().dropped()).isZero();
    }

    @Test
    void stopEndsTheStreamWithMonitorStoppedAndLeavesTheSocketOpen() {
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL);
        Pair<ZmqMonitor, CompletionStage<List<MonitorEvent>>> run =
            ZmqStreams.monitor(pull).toMat(Sink.seq(), Keep.both()).run(system);
        result(run.first().started());
        result(pull.bind("tcp://127.0.0.1:*"));
        result(run.first().stop());
        List<MonitorEvent> events = result(run.second());
        assertThat(events).extracting(MonitorEvent::kind).containsExactly(MonitorEventKind.LISTENING, MonitorEventKind.MONITOR_STOPPED);
        assertThat(pull.isClosed()).isFalse();
        result(pull.status());
    }

    @Test
    void aSlowConsumerLosesTheOldestEventsAndTheyAreCounted() {
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL);
        Pair<ZmqMonitor, SinkQueueWithCancel<MonitorEvent>> run = ZmqStreams.monitor(pull, 2)
            .toMat(Sink.<MonitorEvent>queue().withAttributes(Attributes.inputBuffer(1, 1)), Keep.both())
            .run(system);
        ZmqMonitor monitor = run.first();
        result(monitor.started());
        List<String> endpoints = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String endpoint = result(pull.bind("tcp://127.0.0.1:*"));
            endpoints.add(endpoint);
            result(pull.unbind(endpoint));
        }
        // 8 events (LISTENING, CLOSED per round); the sink holds at most one, the stage buffers two.
        until("events are dropped", () -> monitor.dropped() >= 5);
        List<MonitorEvent> taken = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Optional<MonitorEvent> e = result(run.second().pull());
            taken.add(e.orElseThrow());
        }
        assertThat(monitor.dropped()).isEqualTo(5);
        // What survived the overflow is the newest: the last round's LISTENING and CLOSED.
        String last = endpoints.get(3);
        assertThat(taken.subList(1, 3)).extracting(MonitorEvent::kind).containsExactly(MonitorEventKind.LISTENING, MonitorEventKind.CLOSED);
        assertThat(taken.subList(1, 3)).extracting(MonitorEvent::endpoint).containsOnly(last);
        run.second().cancel();
    }
}
