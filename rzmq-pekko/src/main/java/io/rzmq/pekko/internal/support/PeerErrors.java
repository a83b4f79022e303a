package io.rzmq.pekko.internal.support;

import com.typesafe.config.Config;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/**
 * The actor system's one {@link PeerErrorLog}, for engines, listeners and the ZAP client. An extension
 * of its own (rather than a field of the public {@code Rzmq}) so that internal code reaches it without
 * importing the public layer; {@code Rzmq} creates it first and flushes it at shutdown.
 */
public final class PeerErrors implements Extension {

    private static final class Id extends ExtensionId<PeerErrors> {
        @Override
        public PeerErrors createExtension(ActorSystem<?> system) {
            return new PeerErrors(system);
        }
    }

    private static final Id ID = new Id();

    private final PeerErrorLog log;

    private PeerErrors(ActorSystem<?> system) {
        Config lg = system.settings().config().getConfig("rzmq.log");
        this.log = new PeerErrorLog(lg.getDuration("peer-error-period"), lg.getInt("peer-error-endpoints"));
        // One sweep per period writes the summaries of periods that ended quietly; none per event.
        system.scheduler().scheduleAtFixedRate(log.period(), log.period(), log::sweep, system.executionContext());
    }

    public static PeerErrorLog get(ActorSystem<?> system) {
        return ID.apply(system).log;
    }

    public static PeerErrorLog get(org.apache.pekko.actor.ActorSystem system) {
        return get(Adapter.toTyped(system));
    }
}
