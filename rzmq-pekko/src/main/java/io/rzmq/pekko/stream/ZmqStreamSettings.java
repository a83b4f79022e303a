package io.rzmq.pekko.stream;

import com.typesafe.config.Config;
import org.apache.pekko.actor.ClassicActorSystemProvider;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the rzmq stream stages, read from {@code rzmq.streams} (see rzmq-pekko's reference.conf).
 * Immutable; {@code withX} returns a changed copy.
 */
public final class ZmqStreamSettings {
    private final Duration receivePollInterval;
    private final boolean closeSocketOnCompletion;

    private ZmqStreamSettings(Duration receivePollInterval, boolean closeSocketOnCompletion) {
        this.receivePollInterval = receivePollInterval;
        this.closeSocketOnCompletion = closeSocketOnCompletion;
    }

    /** Reads {@code rzmq.streams} from a full configuration. */
    public static ZmqStreamSettings create(Config config) {
        Config c = config.getConfig("rzmq.streams");
        return new ZmqStreamSettings(positive(c.getDuration("receive-poll-interval")),
            c.getBoolean("close-socket-on-completion"));
    }

    /** The settings configured for {@code system}. */
    public static ZmqStreamSettings create(ClassicActorSystemProvider system) {
        return create(system.classicSystem().settings().config());
    }

    /** The built-in defaults (100 ms poll interval, close on completion). */
    public static ZmqStreamSettings defaults() {
        return new ZmqStreamSettings(Duration.ofMillis(100), true);
    }

    /**
     * How long a Source's waiting receive lasts before it is re-armed; bounds how long stop() and
     * drainAndShutdown() wait for a receive that is already waiting.
     */
    public Duration receivePollInterval() {
        return receivePollInterval;
    }

    /** Whether the stage closes its socket when it ends (see reference.conf). */
    public boolean closeSocketOnCompletion() {
        return closeSocketOnCompletion;
    }

    public ZmqStreamSettings withReceivePollInterval(Duration v) {
        return new ZmqStreamSettings(positive(Objects.requireNonNull(v, "receivePollInterval")), closeSocketOnCompletion);
    }

    public ZmqStreamSettings withCloseSocketOnCompletion(boolean v) {
        return new ZmqStreamSettings(receivePollInterval, v);
    }

    private static Duration positive(Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("rzmq.streams.receive-poll-interval must be positive, was " + d);
        }
        return d;
    }

    @Override
    public String toString() {
        return "ZmqStreamSettings(receivePollInterval=" + receivePollInterval + ", closeSocketOnCompletion="
            + closeSocketOnCompletion + ")";
    }
}
