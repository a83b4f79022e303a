package io.rzmq.pekko.internal.context;

import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.pekko.internal.socket.SocketCommand;
import io.rzmq.pekko.internal.transport.TransportEvent;
import io.rzmq.protocol.SocketType;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.BehaviorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestInbox;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An inproc bind or connect is answered by the socket in the same step as it attaches the pipes made for it, not by
 * the context. Answered by the context, the promise could still be open when traffic on those pipes let the
 * socket close and stop, and the stop drain failed a connect that worked with ETERM
 * (StreamTimeoutOptionsTest under load). Run synchronously (BehaviorTestKit): the order is checked exactly.
 */
class ContextActorInprocOrderTest {
    private final BehaviorTestKit<ContextCommand> kit =
        BehaviorTestKit.create(ContextActor.create("order", Map.of(), 64, 16));
    private final TestInbox<SocketCommand> binder = TestInbox.create("binder");
    private final TestInbox<SocketCommand> connecter = TestInbox.create("connecter");
    private final SocketOptions options = SocketOptions.defaults();

    private static boolean isPipe(SocketCommand c) {
        return c instanceof SocketCommand.FromTransport f && f.event() instanceof TransportEvent.PipeAttached;
    }

    /** The one message that carries {@code pipes} pipes and then completes {@code result} with {@code value}. */
    private static void assertAnswer(SocketCommand c, int pipes, CompletableFuture<?> result, Object value) {
        assertThat(c).isInstanceOf(SocketCommand.InprocAnswer.class);
        SocketCommand.InprocAnswer<?> a = (SocketCommand.InprocAnswer<?>) c;
        assertThat(a.pipes()).hasSize(pipes);
        assertThat(a.result()).isSameAs(result);
        assertThat(a.value()).isEqualTo(value);
    }

    @Test
    void aConnectToABoundNameIsAnsweredByTheSocketWithItsPipe() {
        CompletableFuture<String> bound = new CompletableFuture<>();
        kit.run(new ContextCommand.InprocBind("n", binder.getRef(), SocketType.PULL, options, bound));
        assertAnswer(binder.receiveMessage(), 0, bound, "inproc://n");

        CompletableFuture<Done> connected = new CompletableFuture<>();
        kit.run(new ContextCommand.InprocConnect("n", connecter.getRef(), SocketType.PUSH, options, connected));
        assertThat(connected).as("left to the socket").isNotDone();
        List<SocketCommand> told = connecter.getAllReceived();
        assertThat(told).hasSize(1);
        assertAnswer(told.get(0), 1, connected, Done.getInstance());
        assertThat(isPipe(binder.receiveMessage())).isTrue();
    }

    @Test
    void aBindIsAnsweredByTheSocketWithThePipesOfPendingConnects() {
        CompletableFuture<Done> connected = new CompletableFuture<>();
        kit.run(new ContextCommand.InprocConnect("n", connecter.getRef(), SocketType.PUSH, options, connected));
        assertAnswer(connecter.receiveMessage(), 1, connected, Done.getInstance());

        CompletableFuture<String> bound = new CompletableFuture<>();
        kit.run(new ContextCommand.InprocBind("n", binder.getRef(), SocketType.PULL, options, bound));
        assertThat(bound).as("left to the socket").isNotDone();
        List<SocketCommand> told = binder.getAllReceived();
        assertThat(told).hasSize(1);
        assertAnswer(told.get(0), 1, bound, "inproc://n"); // the pending connecter's pipe
    }
}
