package io.rzmq.samples.cli;

import com.typesafe.config.ConfigFactory;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.pekko.model.RzmqException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** What the tool's commands share: their actor system, waiting with a deadline, endpoint prefixes. */
final class CliRuntime {
    private CliRuntime() {
    }

    /** An actor system for one command run, quiet below WARNING (the command prints what matters). */
    static ActorSystem<?> newSystem(String name) {
        return ActorSystem.create(Behaviors.empty(), name,
            ConfigFactory.parseString("pekko.loglevel = WARNING\npekko.stdout-loglevel = WARNING")
                .withFallback(ConfigFactory.load()));
    }

    /** The stage's value by {@code deadline} (System.nanoTime; Long.MAX_VALUE: none); failures as RzmqException. */
    static <T> T await(CompletionStage<T> stage, long deadline) throws TimeoutException, InterruptedException {
        try {
            if (deadline == Long.MAX_VALUE) {
                return stage.toCompletableFuture().get();
            }
            long left = deadline - System.nanoTime();
            return stage.toCompletableFuture().get(Math.max(0, left), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RzmqException re) {
                throw re;
            }
            throw new RzmqException(RzmqException.Code.EFAULT, String.valueOf(e.getCause()), e.getCause());
        }
    }

    /**
     * Binds or connects {@code socket} per CZMQ's endpoint prefixes: {@code @ENDPOINT} binds,
     * {@code >ENDPOINT} connects, a bare endpoint does what {@code bindByDefault} says. Returns the endpoint
     * bound (wildcards resolved) or connected.
     */
    static String attach(ZSocket socket, String endpoint, boolean bindByDefault, long deadline)
        throws TimeoutException, InterruptedException {
        boolean bind = endpoint.startsWith("@") || (bindByDefault && !endpoint.startsWith(">"));
        String ep = endpoint.startsWith("@") || endpoint.startsWith(">") ? endpoint.substring(1) : endpoint;
        if (bind) {
            return await(socket.bind(ep), deadline);
        }
        await(socket.connect(ep), deadline);
        return ep;
    }

    /** Whether {@link #attach} binds {@code endpoint}. */
    static boolean binds(String endpoint, boolean bindByDefault) {
        return endpoint.startsWith("@") || (bindByDefault && !endpoint.startsWith(">"));
    }
}
