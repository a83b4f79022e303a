package io.rzmq.samples.guide;

import io.rzmq.pekko.Rzmq;
import io.rzmq.pekko.model.RzmqException;
import io.rzmq.pekko.api.ZContext;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

import java.io.PrintStream;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** What every guide program shares: a deadline on each wait, and a {@code main} that owns an actor system. */
final class GuideSupport {
    /** No step of a sample should take anywhere near this long; a hang fails instead of blocking for ever. */
    static final long DEADLINE_SECONDS = 10;

    private GuideSupport() {
    }

    /** Waits for {@code stage} at most {@link #DEADLINE_SECONDS}; its failure is rethrown unwrapped. */
    static <T> T await(CompletionStage<T> stage) throws Exception {
        try {
            return stage.toCompletableFuture().get(DEADLINE_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException e) {
            throw new TimeoutException("no outcome within " + DEADLINE_SECONDS + " s");
        }
    }

    /** True when {@code t} (or what it wraps) is the ETERM a socket's pending operation gets when it closes. */
    static boolean isTerminated(Throwable t) {
        while (t != null) {
            if (t instanceof RzmqException re && re.code() == RzmqException.Code.ETERM) {
                return true;
            }
            t = t.getCause();
        }
        return false;
    }

    static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("unexpected: " + what);
        }
    }

    /** A sample body run with the default context of a fresh actor system. */
    interface Body {
        void run(ActorSystem<Void> system, ZContext ctx, PrintStream out) throws Exception;
    }

    /** Runs {@code body} in its own actor system, terminates it and exits 0, or 1 with the failure printed. */
    static void runMain(String name, Body body) {
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "rzmq-" + name);
        int exit = 0;
        try {
            body.run(system, Rzmq.get(system).defaultContext(), System.out);
        } catch (Throwable t) {
            System.err.println(name + " failed: " + t);
            t.printStackTrace();
            exit = 1;
        } finally {
            system.terminate();
            try {
                system.getWhenTerminated().toCompletableFuture().get(DEADLINE_SECONDS, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println(name + ": the actor system did not terminate in time: " + e);
                exit = 1;
            }
        }
        System.exit(exit);
    }
}
