package io.rzmq.pekko.security;

import io.rzmq.pekko.model.MonitorEventKind;

import io.rzmq.pekko.api.Await;
import io.rzmq.pekko.model.MonitorEvent;
import io.rzmq.pekko.api.ZSocket;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;

import java.util.List;

import static io.rzmq.pekko.api.Await.result;

/** Monitor helpers shared by the ZAP tests. */
final class ZapTestSupport {
    private ZapTestSupport() {
    }

    static TestProbe<MonitorEvent> monitored(ActorTestKit kit, ZSocket socket) {
        TestProbe<MonitorEvent> probe = kit.createTestProbe(MonitorEvent.class);
        result(socket.monitor(probe.getRef()));
        return probe;
    }

    /** The next event of {@code kind} (others before it are skipped), within the deadline. */
    static MonitorEvent await(TestProbe<MonitorEvent> probe, MonitorEventKind kind) {
        List<MonitorEvent> seen = probe.fishForMessage(Await.DEADLINE, "a " + kind + " event",
            e -> e.kind() == kind ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
        return seen.get(seen.size() - 1);
    }

    /** The next handshake outcome (success or any failure), skipping other events. */
    static MonitorEvent awaitHandshake(TestProbe<MonitorEvent> probe) {
        List<MonitorEvent> seen = probe.fishForMessage(Await.DEADLINE, "a handshake outcome",
            e -> e.kind() == MonitorEventKind.HANDSHAKE_SUCCEEDED || e.kind().isHandshakeFailure()
                ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
        return seen.get(seen.size() - 1);
    }
}
