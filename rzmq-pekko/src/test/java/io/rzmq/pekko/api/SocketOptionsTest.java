package io.rzmq.pekko.api;

import io.rzmq.pekko.Rzmq;
import io.rzmq.pekko.model.RzmqException;
import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static io.rzmq.pekko.api.Await.failure;
import static io.rzmq.pekko.api.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RCVTIMEO, SNDTIMEO, LAST_ENDPOINT and the refusal of options that do not apply to a socket type. */
class SocketOptionsTest {
    static final ActorTestKit testKit = ActorTestKit.create();

    ZContext ctx;

    @BeforeEach
    void newContext() {
        ctx = Rzmq.get(testKit.system()).newContext("options");
    }

    @AfterEach
    void closeContext() {
        result(ctx.close(Duration.ZERO));
    }

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    // ------------------------------------------------------------------ RCVTIMEO / SNDTIMEO

    @Test
    void timeoutsDefaultToWaitingForEverAndAreValidated() {
        SocketOptions d = SocketOptions.defaults();
        assertThat(d.rcvTimeo()).isEqualTo(Duration.ofMillis(-1));
        assertThat(d.sndTimeo()).isEqualTo(Duration.ofMillis(-1));
        assertThat(d.withRcvTimeo(Duration.ofMillis(250)).rcvTimeo()).isEqualTo(Duration.ofMillis(250));
        assertThat(d.withSndTimeo(Duration.ZERO).sndTimeo()).isEqualTo(Duration.ZERO);
        assertThat(d.withRcvTimeo(Duration.ofSeconds(-5)).rcvTimeo()).isEqualTo(Duration.ofMillis(-1));
        assertThat(ctx.defaultOptions().rcvTimeo()).isEqualTo(Duration.ofMillis(-1));
        assertThatThrownBy(() -> d.withRcvTimeo(null)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("RCVTIMEO");
        assertThatThrownBy(() -> d.withSndTimeo(null)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("SNDTIMEO");
    }

    @Test
    void timeoutsAreReadFromTheSocketDefaults() {
        io.rzmq.pekko.RzmqSettings custom = io.rzmq.pekko.RzmqSettings.create(com.typesafe.config.ConfigFactory
            .parseString("rzmq.socket-defaults { rcvtimeo = 250, sndtimeo = 2s }")
            .withFallback(com.typesafe.config.ConfigFactory.load()));
        assertThat(custom.socketDefaults().rcvTimeo()).isEqualTo(Duration.ofMillis(250));
        assertThat(custom.socketDefaults().sndTimeo()).isEqualTo(Duration.ofSeconds(2));
        io.rzmq.pekko.RzmqSettings infinite = io.rzmq.pekko.RzmqSettings.create(com.typesafe.config.ConfigFactory
            .parseString("rzmq.socket-defaults { rcvtimeo = infinite, sndtimeo = 0 }")
            .withFallback(com.typesafe.config.ConfigFactory.load()));
        assertThat(infinite.socketDefaults().rcvTimeo()).isEqualTo(Duration.ofMillis(-1));
        assertThat(infinite.socketDefaults().sndTimeo()).isZero();
    }

    @Test
    void receiveHonoursRcvtimeo() {
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL, ctx.defaultOptions().withRcvTimeo(Duration.ofMillis(30)));
        assertThat(failure(pull.receive()).code()).isEqualTo(RzmqException.Code.EAGAIN);
        // The socket is still usable, and a message that is there is received.
        String endpoint = result(pull.bind("inproc://rcvtimeo"));
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH);
        result(push.connect(endpoint));
        result(push.send(Msg.of("there")));
        assertThat(result(pull.receive(Duration.ofSeconds(10))).firstString()).isEqualTo("there");
    }

    @Test
    void rcvtimeoZeroFailsAtOnceWhenNothingIsReady() {
        ZSocket rep = ZSocket.create(ctx, SocketType.REP, ctx.defaultOptions().withRcvTimeo(Duration.ZERO));
        assertThat(failure(rep.receive()).code()).isEqualTo(RzmqException.Code.EAGAIN);
        // REP's turn was given back: receiving is still allowed, not an EFSM.
        assertThat(failure(rep.receive()).code()).isEqualTo(RzmqException.Code.EAGAIN);
    }

    @Test
    void withoutRcvtimeoReceiveKeepsWaiting() {
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL);
        CompletionStage<Msg> pending = pull.receive();
        result(pull.status()); // the receive is parked in the socket
        assertThat(pending.toCompletableFuture().isDone()).isFalse();
        String endpoint = result(pull.bind("inproc://forever"));
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH);
        result(push.connect(endpoint));
        result(push.send(Msg.of("late")));
        assertThat(result(pending).firstString()).isEqualTo("late");
    }

    @Test
    void sendHonoursSndtimeoAndATimedOutMessageIsNotQueued() {
        // Connected before anyone binds: the pipe (SNDHWM 1 + RCVHWM 1) fills, then sends wait for room.
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH,
            ctx.defaultOptions().withSndHwm(1).withRcvHwm(1).withSndTimeo(Duration.ofMillis(30)));
        result(push.connect("inproc://sndtimeo"));
        result(push.send(Msg.of("a")));
        result(push.send(Msg.of("b")));
        assertThat(failure(push.send(Msg.of("c"))).code()).isEqualTo(RzmqException.Code.EAGAIN);
        assertThat(failure(push.send(Msg.of("c2"), Duration.ZERO)).code()).isEqualTo(RzmqException.Code.EAGAIN);

        ZSocket pull = ZSocket.create(ctx, SocketType.PULL);
        result(pull.bind("inproc://sndtimeo"));
        assertThat(result(pull.receive()).firstString()).isEqualTo("a");
        assertThat(result(pull.receive()).firstString()).isEqualTo("b");
        result(push.send(Msg.of("d")));
        assertThat(result(pull.receive()).firstString()).isEqualTo("d");
    }

    @Test
    void sndtimeoZeroFailsAtOnceWhenTheSocketIsFull() {
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH,
            ctx.defaultOptions().withSndHwm(1).withRcvHwm(1).withSndTimeo(Duration.ZERO));
        result(push.connect("inproc://sndtimeo-zero")); // nobody binds: the pipe holds SNDHWM + RCVHWM
        result(push.send(Msg.of("a")));
        result(push.send(Msg.of("b")));
        CompletionStage<?> third = push.send(Msg.of("c"));
        assertThat(third.toCompletableFuture().isCompletedExceptionally()).isTrue();
        assertThat(failure(third).code()).isEqualTo(RzmqException.Code.EAGAIN);
    }

    @Test
    void aSendThatWaitsWithoutSndtimeoCompletesOnceThereIsRoom() {
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH, ctx.defaultOptions().withSndHwm(1).withRcvHwm(1));
        result(push.connect("inproc://room")); // nobody bound yet: the pipe holds SNDHWM + RCVHWM
        result(push.send(Msg.of("a")));
        result(push.send(Msg.of("b")));
        CompletionStage<?> third = push.send(Msg.of("c"));
        result(push.status());
        assertThat(third.toCompletableFuture().isDone()).isFalse();
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL);
        result(pull.bind("inproc://room"));
        assertThat(result(pull.receive()).firstString()).isEqualTo("a");
        result(third); // the read brought the pipe to its low-water mark: room
        assertThat(result(pull.receive()).firstString()).isEqualTo("b");
        assertThat(result(pull.receive()).firstString()).isEqualTo("c");
    }

    // ------------------------------------------------------------------ LAST_ENDPOINT

    @Test
    void lastEndpointIsTheLastResolvedBind() {
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL);
        assertThat(pull.lastEndpoint()).isEmpty();
        String first = result(pull.bind("tcp://127.0.0.1:*"));
        assertThat(first).doesNotEndWith(":*");
        assertThat(pull.lastEndpoint()).isEqualTo(first);
        // Set before the bind's stage completes: a continuation already sees it.
        String seenInContinuation = result(pull.bind("tcp://127.0.0.1:0").thenApply(r -> pull.lastEndpoint()));
        assertThat(seenInContinuation).startsWith("tcp://127.0.0.1:").isNotEqualTo(first).doesNotEndWith(":0");
        result(pull.bind("inproc://last"));
        assertThat(pull.lastEndpoint()).isEqualTo("inproc://last");
        // A failed bind leaves it alone.
        assertThat(failure(pull.bind(first)).code()).isEqualTo(RzmqException.Code.EADDRINUSE);
        assertThat(pull.lastEndpoint()).isEqualTo("inproc://last");
    }

    // ------------------------------------------------------------------ options of other socket types

    static Stream<Arguments> misplacedOptions() {
        return Stream.of(
            Arguments.of(SocketType.PUSH, "ROUTER_MANDATORY", (UnaryOperator<SocketOptions>) o -> o.withRouterMandatory(true)),
            Arguments.of(SocketType.DEALER, "ROUTER_HANDOVER", (UnaryOperator<SocketOptions>) o -> o.withRouterHandover(true)),
            Arguments.of(SocketType.SUB, "XPUB_VERBOSE", (UnaryOperator<SocketOptions>) o -> o.withXpubVerbose(true)),
            Arguments.of(SocketType.PUB, "XPUB_NODROP", (UnaryOperator<SocketOptions>) o -> o.withXpubNodrop(true)),
            Arguments.of(SocketType.PUB, "XPUB_WELCOME_MSG", (UnaryOperator<SocketOptions>) o -> o.withXpubWelcomeMsg(new byte[] {1})),
            Arguments.of(SocketType.DEALER, "REQ_CORRELATE", (UnaryOperator<SocketOptions>) o -> o.withReqCorrelate(true)),
            Arguments.of(SocketType.REP, "REQ_RELAXED", (UnaryOperator<SocketOptions>) o -> o.withReqRelaxed(true)),
            Arguments.of(SocketType.PUSH, "PROBE_ROUTER", (UnaryOperator<SocketOptions>) o -> o.withProbeRouter(true)),
            Arguments.of(SocketType.ROUTER, "CONFLATE", (UnaryOperator<SocketOptions>) o -> o.withConflate(true)));
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("misplacedOptions")
    void anOptionOfAnotherSocketTypeIsRefusedAtCreate(SocketType type, String option, UnaryOperator<SocketOptions> set) {
        SocketOptions options = set.apply(ctx.defaultOptions());
        assertThatThrownBy(() -> ZSocket.create(ctx, type, options))
            .isInstanceOfSatisfying(RzmqException.class, e -> assertThat(e.code()).isEqualTo(RzmqException.Code.EINVAL))
            .hasMessageContaining(option).hasMessageContaining(type.name());
    }

    static Stream<Arguments> fittingOptions() {
        return Stream.of(
            Arguments.of(SocketType.ROUTER, (UnaryOperator<SocketOptions>) o -> o.withRouterMandatory(true).withRouterHandover(true).withProbeRouter(true)),
            Arguments.of(SocketType.XPUB, (UnaryOperator<SocketOptions>) o -> o.withXpubVerbose(true).withXpubNodrop(true).withXpubWelcomeMsg(new byte[] {1})),
            Arguments.of(SocketType.REQ, (UnaryOperator<SocketOptions>) o -> o.withReqCorrelate(true).withReqRelaxed(true).withProbeRouter(true)),
            Arguments.of(SocketType.DEALER, (UnaryOperator<SocketOptions>) o -> o.withProbeRouter(true).withConflate(true)),
            // Options left at their defaults are no objection, whatever the type.
            Arguments.of(SocketType.PUSH, (UnaryOperator<SocketOptions>) o -> o.withRouterMandatory(false).withXpubVerbose(false)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fittingOptions")
    void optionsOfTheSocketsOwnTypeAreAcceptedAndReadBack(SocketType type, UnaryOperator<SocketOptions> set) {
        SocketOptions options = set.apply(ctx.defaultOptions());
        ZSocket socket = ZSocket.create(ctx, type, options);
        assertThat(socket.options()).isSameAs(options);
        result(socket.close());
    }
}
