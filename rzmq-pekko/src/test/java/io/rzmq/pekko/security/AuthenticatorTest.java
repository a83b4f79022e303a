package io.rzmq.pekko.security;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.rzmq.pekko.Rzmq;
import io.rzmq.pekko.model.RzmqException;
import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.pekko.api.ZContext;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Metadata;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import io.rzmq.protocol.security.CurveKeyPair;
import io.rzmq.protocol.wire.Properties;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.rzmq.pekko.api.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The authenticator answers real ZAP requests (RFC 27 frames) that a DEALER or REQ socket of the same
 * context sends to inproc://zeromq.zap.01, as a server socket's engine would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthenticatorTest {
    private static final AtomicInteger NAMES = new AtomicInteger();
    private final ActorTestKit testKit = ActorTestKit.create();
    private ZContext ctx;
    private ZSocket server;
    private int requestIds;

    @TempDir
    Path dir;

    @BeforeEach
    void newContext() {
        ctx = Rzmq.get(testKit.system()).newContext("auth-" + NAMES.incrementAndGet());
    }

    @AfterEach
    void closeContext() {
        result(ctx.close(Duration.ZERO));
    }

    @AfterAll
    void shutdown() {
        testKit.shutdownTestKit();
    }

    private ZAuth start(AuthSettings settings) {
        ZAuth auth = result(ZAuth.start(ctx, settings));
        server = ZSocket.create(ctx, SocketType.DEALER, SocketOptions.defaults().withLinger(Duration.ZERO));
        result(server.connect(Authenticator.ENDPOINT));
        return auth;
    }

    /** One ZAP reply, as the server sees it: version, request id, status code, text, user id, metadata. */
    private record Reply(String requestId, String code, String text, String userId, Metadata metadata) {
    }

    private static List<Frame> request(String id, String address, String mechanism, byte[]... credentials) {
        List<Frame> f = new ArrayList<>(List.of(Frame.of("1.0"), Frame.of(id), Frame.of("global"), Frame.of(address),
            Frame.of("client-identity"), Frame.of(mechanism)));
        for (byte[] c : credentials) {
            f.add(Frame.copyOf(c));
        }
        return f;
    }

    /** Sends a request (with the delimiter, as libzmq's DEALER does) and returns the reply. */
    private Reply zap(String address, String mechanism, byte[]... credentials) {
        String id = "req-" + (++requestIds);
        List<Frame> frames = new ArrayList<>();
        frames.add(Frame.EMPTY);
        frames.addAll(request(id, address, mechanism, credentials));
        result(server.send(Msg.ofFrames(frames)));
        Reply r = receiveReply(server, true);
        assertThat(r.requestId()).isEqualTo(id);
        return r;
    }

    private static Reply receiveReply(ZSocket s, boolean delimited) {
        Msg m = result(s.receive());
        int first = 0;
        if (delimited) {
            assertThat(m.frame(0).isEmpty()).as("reply starts with the delimiter").isTrue();
            first = 1;
        }
        assertThat(m.frameCount() - first).isEqualTo(6);
        assertThat(m.frame(first).asString()).isEqualTo("1.0");
        return new Reply(m.frame(first + 1).asString(), m.frame(first + 2).asString(), m.frame(first + 3).asString(),
            m.frame(first + 4).asString(), Properties.decode(m.frame(first + 5)));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private Reply plain(String user, String password) {
        return zap("127.0.0.1", "PLAIN", utf8(user), utf8(password));
    }

    // ------------------------------------------------------------------ addresses and NULL

    @Test
    void withoutPolicyNullIsAdmittedAndPlainAndCurveAreNot() {
        start(AuthSettings.defaults());
        Reply r = zap("127.0.0.1", "NULL");
        assertThat(r.code()).isEqualTo("200");
        assertThat(r.userId()).isEmpty();
        assertThat(r.metadata().isEmpty()).isTrue();
        assertThat(plain("admin", "secret").code()).isEqualTo("400");
        assertThat(zap("127.0.0.1", "CURVE", CurveKeyPair.generate().publicKey()).code()).isEqualTo("400");
    }

    @Test
    void denyListRefusesItsAddresses() {
        ZAuth auth = start(AuthSettings.defaults());
        result(auth.deny("10.0.0.1"));
        assertThat(zap("10.0.0.1", "NULL").code()).isEqualTo("400");
        assertThat(zap("10.0.0.2", "NULL").code()).isEqualTo("200");
    }

    @Test
    void allowListAdmitsOnlyItsAddressesAndWinsOverTheDenyList() {
        ZAuth auth = start(AuthSettings.defaults().withPlainUser("admin", "secret"));
        result(auth.deny("127.0.0.1"));
        result(auth.allow("127.0.0.1"));
        assertThat(zap("127.0.0.1", "NULL").code()).isEqualTo("200");
        assertThat(zap("10.0.0.2", "NULL").code()).isEqualTo("400");
        // An allowed address still has to authenticate with PLAIN.
        assertThat(plain("admin", "wrong").code()).isEqualTo("400");
        assertThat(plain("admin", "secret").code()).isEqualTo("200");
        // And a refused address is refused before its password is looked at.
        assertThat(zap("10.0.0.2", "PLAIN", utf8("admin"), utf8("secret")).code()).isEqualTo("400");
        // Lists change at run time.
        result(auth.update(s -> s.withAllow(List.of()).withDeny(List.of())));
        assertThat(zap("10.0.0.2", "NULL").code()).isEqualTo("200");
    }

    // ------------------------------------------------------------------ PLAIN

    @Test
    void plainUsersFromSettings() {
        start(AuthSettings.defaults().withPlainUsers(Map.of("admin", "Password", "bob", "b0b")));
        Reply ok = plain("admin", "Password");
        assertThat(ok.code()).isEqualTo("200");
        assertThat(ok.userId()).isEqualTo("admin");
        assertThat(plain("bob", "b0b").userId()).isEqualTo("bob");
        assertThat(plain("admin", "password").code()).isEqualTo("400");
        assertThat(plain("admin", "").code()).isEqualTo("400");
        assertThat(plain("mallory", "Password").code()).isEqualTo("400");
    }

    @Test
    void plainUsersFromAPasswordFileReloadedOnDemand() throws Exception {
        Path file = dir.resolve("passwords");
        Files.writeString(file, "# CZMQ format\nadmin=one\ncarol=c\n");
        ZAuth auth = start(AuthSettings.defaults().withPasswordFile(file).withPlainUser("carol", "from-settings"));
        assertThat(plain("admin", "one").code()).isEqualTo("200");
        // Users given in the settings win over the file's.
        assertThat(plain("carol", "c").code()).isEqualTo("400");
        assertThat(plain("carol", "from-settings").code()).isEqualTo("200");

        Files.writeString(file, "admin=two\n");
        assertThat(plain("admin", "one").code()).as("the file is read on reload, not per request").isEqualTo("200");
        result(auth.reload());
        assertThat(plain("admin", "two").code()).isEqualTo("200");
        assertThat(plain("admin", "one").code()).isEqualTo("400");

        // A reload that cannot read the file is refused and the policy in force stays.
        Files.delete(file);
        Throwable failure = failureOf(auth.reload());
        assertThat(failure).isInstanceOf(NoSuchFileException.class);
        assertThat(plain("admin", "two").code()).isEqualTo("200");
    }

    @Test
    void startFailsWhenThePasswordFileIsMissing() {
        Throwable failure = failureOf(ZAuth.start(ctx, AuthSettings.defaults().withPasswordFile(dir.resolve("none"))));
        assertThat(failure).isInstanceOf(NoSuchFileException.class);
        // Nothing is left bound: another authenticator can start.
        start(AuthSettings.defaults());
        assertThat(zap("127.0.0.1", "NULL").code()).isEqualTo("200");
    }

    // ------------------------------------------------------------------ CURVE

    @Test
    void curveAllowAny() {
        ZAuth auth = start(AuthSettings.defaults());
        CurveKeyPair client = CurveKeyPair.generate();
        assertThat(zap("127.0.0.1", "CURVE", client.publicKey()).code()).isEqualTo("400");
        result(auth.update(s -> s.withCurveAllowAny(true)));
        Reply r = zap("127.0.0.1", "CURVE", client.publicKey());
        assertThat(r.code()).isEqualTo("200");
        assertThat(r.userId()).isEqualTo(client.publicKeyZ85());
    }

    @Test
    void curveKeysFromTheSettings() {
        CurveKeyPair known = CurveKeyPair.generate();
        start(AuthSettings.defaults().plusCurveKeys(known.publicKeyZ85()));
        assertThat(zap("127.0.0.1", "CURVE", known.publicKey()).code()).isEqualTo("200");
        assertThat(zap("127.0.0.1", "CURVE", CurveKeyPair.generate().publicKey()).code()).isEqualTo("400");
    }

    @Test
    void curveKeysFromACertificateDirectoryWithTheirMetadata() throws Exception {
        ZCert alice = ZCert.generate().withMeta("name", "alice").withMeta("Socket-Type", "spoof").withMeta("a@b", "x");
        alice.save(dir.resolve("alice"));
        ZAuth auth = start(AuthSettings.defaults().withCurveCertificates(dir));
        Reply r = zap("127.0.0.1", "CURVE", alice.publicKey());
        assertThat(r.code()).isEqualTo("200");
        assertThat(r.userId()).isEqualTo(alice.publicKeyZ85());
        assertThat(r.metadata().getString("name")).contains("alice");
        // Names ZMTP cannot carry, and names the connection sets itself, stay out of the reply.
        assertThat(r.metadata().names()).containsExactly("name");

        ZCert bob = ZCert.generate();
        assertThat(zap("127.0.0.1", "CURVE", bob.publicKey()).code()).isEqualTo("400");
        bob.savePublic(dir.resolve("bob"));
        result(auth.reload());
        assertThat(zap("127.0.0.1", "CURVE", bob.publicKey()).code()).isEqualTo("200");
    }

    // ------------------------------------------------------------------ bad requests

    @Test
    void unknownMechanismIsRefused() {
        start(AuthSettings.defaults().withCurveAllowAny(true));
        Reply r = zap("127.0.0.1", "GSSAPI", utf8("principal"));
        assertThat(r.code()).isEqualTo("400");
    }

    @Test
    void malformedRequestsGet500OrAreIgnoredAndTheHandlerCarriesOn() {
        ZAuth auth = start(AuthSettings.defaults().withPlainUser("admin", "secret"));
        // Wrong version: answered 500, with the request id echoed.
        result(server.send(Msg.ofFrames(Frame.EMPTY, Frame.of("2.0"), Frame.of("v2"), Frame.of("global"),
            Frame.of("127.0.0.1"), Frame.EMPTY, Frame.of("NULL"))));
        Reply v = receiveReply(server, true);
        assertThat(v.requestId()).isEqualTo("v2");
        assertThat(v.code()).isEqualTo("500");
        // Too few frames.
        result(server.send(Msg.ofFrames(Frame.EMPTY, Frame.of("1.0"), Frame.of("short"), Frame.of("global"))));
        assertThat(receiveReply(server, true)).extracting(Reply::requestId, Reply::code).containsExactly("short", "500");
        // PLAIN without a password frame; CURVE with a 31-byte key.
        List<Frame> noPassword = new ArrayList<>(List.of(Frame.EMPTY));
        noPassword.addAll(request("nopw", "127.0.0.1", "PLAIN", utf8("admin")));
        result(server.send(Msg.ofFrames(noPassword)));
        assertThat(receiveReply(server, true)).extracting(Reply::requestId, Reply::code).containsExactly("nopw", "500");
        assertThat(zap("127.0.0.1", "CURVE", new byte[31]).code()).isEqualTo("500");
        // No request id at all: nothing to answer with. The next request's reply is the next one to arrive.
        result(server.send(Msg.ofFrames(Frame.EMPTY, Frame.of("1.0"))));
        assertThat(plain("admin", "secret").code()).isEqualTo("200");

        Authenticator.Stats stats = result(auth.stats());
        assertThat(stats.ignored()).isEqualTo(1);
        assertThat(stats.errors()).isEqualTo(4);
        assertThat(stats.accepted()).isEqualTo(1);
        assertThat(stats.requests()).isEqualTo(6);
    }

    // ------------------------------------------------------------------ envelopes

    @Test
    void reqServersAndDealersWithoutDelimiterGetMatchingEnvelopes() {
        start(AuthSettings.defaults());
        ZSocket req = ZSocket.create(ctx, SocketType.REQ, SocketOptions.defaults().withLinger(Duration.ZERO));
        result(req.connect(Authenticator.ENDPOINT));
        result(req.send(Msg.ofFrames(request("from-req", "127.0.0.1", "NULL"))));
        assertThat(receiveReply(req, false)).extracting(Reply::requestId, Reply::code)
            .containsExactly("from-req", "200");

        // A DEALER that sends no delimiter gets a reply without one.
        result(server.send(Msg.ofFrames(request("bare", "127.0.0.1", "NULL"))));
        assertThat(receiveReply(server, false)).extracting(Reply::requestId, Reply::code).containsExactly("bare", "200");
    }

    // ------------------------------------------------------------------ lifecycle

    @Test
    void oneHandlerPerContextAndStopFreesTheEndpoint() {
        ZAuth first = start(AuthSettings.defaults());
        Throwable second = failureOf(ZAuth.start(ctx, AuthSettings.defaults()));
        assertThat(second).isInstanceOf(RzmqException.class);
        assertThat(((RzmqException) second).code()).isEqualTo(RzmqException.Code.EADDRINUSE);

        result(first.stop());
        assertThat(failureOf(first.settings())).isInstanceOf(IllegalStateException.class);
        ZAuth again = result(ZAuth.start(ctx, AuthSettings.defaults().withCurveAllowAny(true)));
        assertThat(result(again.settings()).curveAllowAny()).isTrue();
    }

    @Test
    void stopsWhenItsContextCloses() {
        ZAuth auth = start(AuthSettings.defaults());
        result(ctx.close(Duration.ZERO));
        result(auth.whenStopped());
        assertThat(failureOf(auth.allow("127.0.0.1"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void typedActorProtocol() {
        TestProbe<StatusReply<Done>> ready = testKit.createTestProbe();
        ActorRef<Authenticator.Command> auth = testKit.spawn(Authenticator.create(ctx, AuthSettings.defaults(), ready.getRef()));
        ready.expectMessage(StatusReply.ack());
        server = ZSocket.create(ctx, SocketType.DEALER, SocketOptions.defaults().withLinger(Duration.ZERO));
        result(server.connect(Authenticator.ENDPOINT));

        TestProbe<StatusReply<Done>> done = testKit.createTestProbe();
        auth.tell(new Authenticator.Deny(List.of("10.1.1.1"), done.getRef()));
        done.expectMessage(StatusReply.ack());
        auth.tell(Authenticator.Configure.to(AuthSettings.defaults().withPlainUser("u", "p"), done.getRef()));
        done.expectMessage(StatusReply.ack());
        assertThat(plain("u", "p").code()).isEqualTo("200");
        assertThat(zap("10.1.1.1", "NULL").code()).as("Configure replaced the whole policy").isEqualTo("200");

        TestProbe<AuthSettings> settings = testKit.createTestProbe();
        auth.tell(new Authenticator.GetSettings(settings.getRef()));
        assertThat(settings.receiveMessage().plainUsers()).containsOnlyKeys("u");

        TestProbe<Done> stopped = testKit.createTestProbe();
        auth.tell(new Authenticator.Stop(stopped.getRef()));
        stopped.expectMessage(Done.getInstance());
        stopped.expectTerminated(auth);
    }

    @Test
    void verboseLogsDecisionsButNeverPasswords() {
        Logger logger = (Logger) LoggerFactory.getLogger(Authenticator.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            start(AuthSettings.defaults().withVerbose(true).withPlainUser("admin", "hunter2-correct"));
            assertThat(plain("admin", "hunter2-correct").code()).isEqualTo("200");
            assertThat(plain("admin", "hunter2-wrong").code()).isEqualTo("400");
            List<String> lines;
            synchronized (appender.list) {
                lines = appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
            }
            assertThat(lines).anyMatch(l -> l.contains("PLAIN user 'admin' admitted"));
            assertThat(lines).anyMatch(l -> l.contains("wrong password for PLAIN user 'admin'"));
            assertThat(lines).noneMatch(l -> l.contains("hunter2"));
        } finally {
            logger.detachAppender(appender);
        }
    }

    private static Throwable failureOf(java.util.concurrent.CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().get(15, TimeUnit.SECONDS);
        } catch (ExecutionException | CompletionException e) {
            Throwable t = e.getCause();
            while (t instanceof CompletionException && t.getCause() != null) {
                t = t.getCause();
            }
            return t;
        } catch (Exception e) {
            throw new AssertionError("no outcome: " + e);
        }
        throw new AssertionError("expected a failure");
    }
}
