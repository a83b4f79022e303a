package io.rzmq.pekko.internal.transport.nio;

import com.typesafe.config.Config;
import org.apache.pekko.dispatch.DispatcherPrerequisites;
import org.apache.pekko.dispatch.ExecutorServiceConfigurator;
import org.apache.pekko.dispatch.ExecutorServiceFactory;

import java.util.concurrent.ThreadFactory;

/**
 * Makes an {@link IoLoop} the executor of a Pekko dispatcher
 * ({@code executor = "io.rzmq.pekko.internal.transport.nio.IoLoopExecutorConfigurator"}, see rzmq's
 * reference.conf): the dispatcher's actors run on the loop's one thread, between its selects.
 */
public final class IoLoopExecutorConfigurator extends ExecutorServiceConfigurator {

    public IoLoopExecutorConfigurator(Config config, DispatcherPrerequisites prerequisites) {
        super(config, prerequisites);
    }

    @Override
    public ExecutorServiceFactory createExecutorServiceFactory(String id, ThreadFactory threadFactory) {
        return () -> new IoLoop(threadFactory);
    }
}
