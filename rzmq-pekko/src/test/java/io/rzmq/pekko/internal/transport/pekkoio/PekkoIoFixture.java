package io.rzmq.pekko.internal.transport.pekkoio;

import com.typesafe.config.ConfigFactory;
import io.rzmq.pekko.internal.transport.StreamTransportContract;
import io.rzmq.pekko.internal.transport.loop.IoLoops;
import org.apache.pekko.actor.ActorSystem;

import java.util.concurrent.TimeUnit;

/** The Pekko IO transport on its own actor system and loops (the loops registered as its dispatchers). */
final class PekkoIoFixture implements StreamTransportContract.Fixture {
    final ActorSystem system;
    final IoLoops loops;
    final PekkoIoTransport transport;

    PekkoIoFixture(int n, String name) {
        system = ActorSystem.create(name + "system", ConfigFactory.parseString("pekko.loglevel = WARNING")
            .withFallback(ConfigFactory.load()));
        loops = IoLoops.start(n, name, name);
        loops.registerDispatchers(system, 10);
        transport = new PekkoIoTransport(system, loops);
    }

    @Override
    public PekkoIoTransport transport() {
        return transport;
    }

    @Override
    public IoLoops loops() {
        return loops;
    }

    @Override
    public void close() {
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("actor system did not terminate", e);
        } finally {
            loops.close();
        }
    }
}
