package io.rzmq.pekko.testing;

import io.rzmq.pekko.Rzmq;
import io.rzmq.pekko.api.ZContext;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;

import static io.rzmq.pekko.api.Await.result;

/**
 * Base of socket tests that want a fresh {@link ZContext} per test (closed with LINGER 0 after it) in an
 * actor system per test class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class PerTestContext {
    protected final ActorTestKit testKit = ActorTestKit.create();
    protected ZContext ctx;

    @BeforeEach
    void newContext() {
        ctx = Rzmq.get(testKit.system()).newContext(getClass().getSimpleName());
    }

    @AfterEach
    void closeContext() {
        result(ctx.close(Duration.ZERO));
    }

    @AfterAll
    void shutdownTestKit() {
        testKit.shutdownTestKit();
    }
}
