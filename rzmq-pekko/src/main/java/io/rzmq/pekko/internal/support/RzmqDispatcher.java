package io.rzmq.pekko.internal.support;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;

/**
 * Where rzmq's actors run: the dispatcher named by {@code rzmq.dispatcher}. By default that is
 * {@code rzmq.io-dispatcher}, one I/O thread that also runs rzmq's tcp:// selector (as libzmq's and
 * JeroMQ's I/O thread), so a socket, its engines and their connections hand messages to each other
 * without waking another thread.
 */
public final class RzmqDispatcher {
    /** The configuration path naming the dispatcher. */
    public static final String CONFIG_PATH = "rzmq.dispatcher";

    private RzmqDispatcher() {
    }

    /** The dispatcher id configured for {@code system}. */
    public static String id(ActorSystem<?> system) {
        return system.settings().config().getString(CONFIG_PATH);
    }

    /** The dispatcher id configured for a classic {@code system}. */
    public static String id(org.apache.pekko.actor.ActorSystem system) {
        return system.settings().config().getString(CONFIG_PATH);
    }

    /** For {@code spawn}: the configured dispatcher. */
    public static DispatcherSelector selector(ActorSystem<?> system) {
        return DispatcherSelector.fromConfig(id(system));
    }
}
