package io.rzmq.pekko.security;

import io.rzmq.pekko.testing.TcpTransportTest;
import io.rzmq.pekko.model.MonitorEventKind;

import io.rzmq.pekko.Rzmq;
import io.rzmq.pekko.api.Await;
import io.rzmq.pekko.model.MonitorEvent;
import io.rzmq.pekko.api.ZContext;
import io.rzmq.pekko.testing.InteropSocket;
import io.rzmq.pekko.testing.InteropSocket.Impl;
import io.rzmq.pekko.testing.MonitorLog;
import io.rzmq.testkit.Msgs;
import io.rzmq.testkit.PyPeer;
import io.rzmq.pekko.testing.SecureRole;
import io.rzmq.pekko.testing.SecureRole.Mechanism;
import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Metadata;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import io.rzmq.protocol.security.CurveKeyPair;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static io.rzmq.pekko.api.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The security interop matrix: PLAIN and CURVE, for PUSH/PULL, PUB/SUB and REQ/REP, between rzmq and
 * rzmq, libzmq 4.3 (pyzmq) and JeroMQ 0.6.0 (tcp; ipc with rzmq and libzmq). Each case carries small
 * messages, a multipart one with an empty frame and a 1 MiB one (a frame with an 8-byte size inside and
 * outside the CURVE box, more than one write batch) through one connection, in order.
 *
 * <p>Over tcp every combination of who binds and who serves is run, and we send when we both bind and
 * serve or neither (so each of bind/connect and server/client is seen sending and receiving); over ipc,
 * we bind and serve and send, or they do. For REQ/REP the sender is the REQ. Our context runs the
 * built-in authenticator (PLAIN admin/secret, the client's CURVE key); when an rzmq socket is the server,
 * what it receives carries the authenticator's User-Id, and the authenticator counts the admission.
 */
@TcpTransportTest
class SecureInteropMatrixTest {
    static final ActorTestKit testKit = ActorTestKit.create();
    static final CurveKeyPair SERVER_KEYS = CurveKeyPair.generate();
    static final CurveKeyPair CLIENT_KEYS = CurveKeyPair.generate();

    static ZContext ctx;
    static ZAuth auth;

    enum Pattern {
        PUSH_PULL(SocketType.PUSH, SocketType.PULL), PUB_SUB(SocketType.PUB, SocketType.SUB),
        REQ_REP(SocketType.REQ, SocketType.REP);

        final SocketType sender;
        final SocketType receiver;

        Pattern(SocketType sender, SocketType receiver) {
            this.sender = sender;
            this.receiver = receiver;
        }
    }

    enum Transport {
        TCP("tcp://127.0.0.1:*"), IPC("ipc://*");

        final String wildcard;

        Transport(String wildcard) {
            this.wildcard = wildcard;
        }
    }

    record Case(Mechanism mechanism, Pattern pattern, Impl peer, Transport transport, boolean weBind,
                boolean weServer) {
        boolean weSend() {
            if (pattern == Pattern.REQ_REP && mechanism == Mechanism.PLAIN && peer != Impl.RZMQ && !weServer) {
                // Their REQ must not be the server: with a ZAP User-Id, libzmq 4.3 and JeroMQ 0.6 drop the
                // connection on the first reply (aLibzmqReqThatIsThePlainServerDropsTheConnectionOnTheFirstReply).
                return true;
            }
            // tcp has every bind/serve combination: we send when we both bind and serve, or neither. ipc has
            // two (we bind and serve, they bind and serve): the binder sends.
            return transport == Transport.IPC ? weBind : weBind == weServer;
        }

        @Override
        public String toString() {
            return mechanism + " " + pattern + " rzmq<->" + peer.name().toLowerCase(Locale.ROOT) + " "
                + transport.name().toLowerCase(Locale.ROOT) + ", " + (weBind ? "we bind" : "they bind") + ", "
                + (weServer ? "we serve" : "they serve") + ", " + (weSend() ? "we send" : "they send");
        }
    }

    static Stream<Case> cases() {
        List<Case> all = new ArrayList<>();
        for (Mechanism m : Mechanism.values()) {
            for (Pattern p : Pattern.values()) {
                for (Impl peer : Impl.values()) {
                    for (Transport t : Transport.values()) {
                        if (peer == Impl.JEROMQ && t == Transport.IPC) {
                            continue; // JeroMQ 0.6 has no Unix-domain ipc
                        }
                        for (boolean weBind : new boolean[] {true, false}) {
                            for (boolean weServer : new boolean[] {true, false}) {
                                if (t == Transport.TCP || weBind == weServer) {
                                    all.add(new Case(m, p, peer, t, weBind, weServer));
                                }
                            }
                        }
                    }
                }
            }
        }
        String only = System.getProperty("matrix.only", "");
        return all.stream().filter(c -> c.toString().contains(only));
    }

    @BeforeAll
    static void start() {
        ctx = Rzmq.get(testKit.system()).newContext("secure-matrix");
        auth = result(ZAuth.start(ctx, AuthSettings.defaults().withPlainUser(SecureRole.USER, SecureRole.PASSWORD)
            .withCurveKeys(List.of(CLIENT_KEYS.publicKeyZ85()))));
    }

    @AfterAll
    static void shutdown() {
        result(ctx.close(Duration.ZERO));
        testKit.shutdownTestKit();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void messagesGetThrough(Case c) {
        Assumptions.assumeTrue(c.peer() != Impl.LIBZMQ || PyPeer.available(), "pyzmq is not installed");
        SecureRole server = SecureRole.server(c.mechanism(), SERVER_KEYS);
        SecureRole client = SecureRole.client(c.mechanism(), SERVER_KEYS, CLIENT_KEYS);
        SocketType ourType = c.weSend() ? c.pattern().sender : c.pattern().receiver;
        SocketType theirType = c.weSend() ? c.pattern().receiver : c.pattern().sender;
        long admittedBefore = result(auth.stats()).accepted();

        InteropSocket.Rzmq ours;
        InteropSocket theirs;
        if (c.weBind()) {
            ours = rzmq(ourType, c.weServer() ? server : client, true, c.transport().wildcard);
            theirs = peer(c.peer(), theirType, c.weServer() ? client : server, false, ours.endpoint());
        } else {
            theirs = peer(c.peer(), theirType, c.weServer() ? client : server, true, c.transport().wildcard);
            ours = rzmq(ourType, c.weServer() ? server : client, false, theirs.endpoint());
        }
        try (ours; theirs) {
            // The User-Id an rzmq server's messages carry (an rzmq peer in our context is a server too).
            String userId = client.expectedUserId();
            boolean oursAuthenticated = c.weServer();
            boolean theirsAuthenticated = c.peer() == Impl.RZMQ && !c.weServer();
            String ourUserId = oursAuthenticated ? userId : null;
            String theirUserId = theirsAuthenticated ? userId : null;
            if (c.weSend()) {
                exchange(c.pattern(), ours, theirs, ourUserId, theirUserId);
            } else {
                exchange(c.pattern(), theirs, ours, theirUserId, ourUserId);
            }
        }
        if (c.weServer() || c.peer() == Impl.RZMQ) {
            assertThat(result(auth.stats()).accepted()).as("the authenticator admitted the client")
                .isGreaterThan(admittedBefore);
        }
    }

    /**
     * A peer quirk, not ours: a libzmq 4.3 REQ that is the PLAIN server, whose ZAP handler answers with a
     * User-Id, closes the connection when the first reply arrives (its REQ session refuses the credential
     * message libzmq puts ahead of the first message it receives); libzmq to libzmq does the same. Our REQ
     * as a server gets its replies (the rzmq rows of the matrix).
     */
    @Test
    void aLibzmqReqThatIsThePlainServerDropsTheConnectionOnTheFirstReply() {
        Assumptions.assumeTrue(PyPeer.available(), "pyzmq is not installed");
        InteropSocket.Rzmq rep = rzmq(SocketType.REP, SecureRole.plainClient(SecureRole.USER, SecureRole.PASSWORD),
            true, Transport.TCP.wildcard);
        MonitorLog events = MonitorLog.of(testKit, rep.socket());
        try (rep; InteropSocket req = InteropSocket.libzmq(SecureRole.plainServer().pyEnv(), SocketType.REQ, false,
            rep.endpoint())) {
            req.send(Msg.of("request"));
            assertThat(rep.receive()).isEqualTo(Msg.of("request"));
            rep.send(Msg.of("reply"));
            events.await(MonitorEventKind.DISCONNECTED);
            assertThat(req.receive(Duration.ofMillis(200))).as("libzmq never delivers the reply").isNull();
        }
    }

    private static InteropSocket.Rzmq rzmq(SocketType type, SecureRole role, boolean bind, String where) {
        return InteropSocket.rzmq(ctx, type, role.applyTo(ctx.defaultOptions()), bind, where);
    }

    private static InteropSocket peer(Impl impl, SocketType type, SecureRole role, boolean bind, String where) {
        return switch (impl) {
            case RZMQ -> rzmq(type, role, bind, where);
            case LIBZMQ -> InteropSocket.libzmq(role.pyEnv(), type, bind, where);
            case JEROMQ -> InteropSocket.jeromq(type, role, bind, where);
        };
    }

    /** Small, multipart with an empty frame, and 1 MiB with a tail frame. */
    static List<Msg> payloads() {
        byte[] big = new byte[1 << 20];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31 + (i >>> 12));
        }
        return List.of(Msgs.generated(0), Msgs.generated(1), Msgs.generated(2),
            Msg.ofFrames(Frame.wrap(big), Frame.wrap("tail".getBytes())));
    }

    /**
     * Sends every payload from {@code sender} to {@code receiver} (and for REQ/REP each reply back);
     * {@code senderUserId}/{@code receiverUserId}: the User-Id that side's received messages must carry
     * (null: not checked, the side is not an rzmq server).
     */
    static void exchange(Pattern pattern, InteropSocket sender, InteropSocket receiver, String senderUserId,
                         String receiverUserId) {
        List<Msg> payloads = payloads();
        switch (pattern) {
            case PUSH_PULL -> {
                payloads.forEach(sender::send);
                for (Msg expected : payloads) {
                    assertReceived(receiver.receive(), expected, receiverUserId);
                }
            }
            case PUB_SUB -> {
                Msg probe = Msg.of("probe");
                primeSubscription(sender, receiver, probe);
                payloads.forEach(sender::send);
                for (Msg expected : payloads) {
                    Msg got = receiver.receive();
                    while (got.equals(probe)) {
                        got = receiver.receive();
                    }
                    assertReceived(got, expected, receiverUserId);
                }
            }
            case REQ_REP -> {
                for (Msg request : payloads) {
                    sender.send(request);
                    assertReceived(receiver.receive(), request, receiverUserId);
                    Msg reply = request.prepend(Frame.wrap("reply".getBytes()));
                    receiver.send(reply);
                    assertReceived(sender.receive(), reply, senderUserId);
                }
            }
        }
    }

    /** Publishes {@code probe} until the subscriber gets one (the subscription travels asynchronously). */
    static void primeSubscription(InteropSocket pub, InteropSocket sub, Msg probe) {
        long end = System.nanoTime() + Await.DEADLINE.toNanos();
        while (System.nanoTime() < end) {
            pub.send(probe);
            Msg got = sub.receive(Duration.ofMillis(50));
            if (got != null) {
                assertThat(got).isEqualTo(probe);
                return;
            }
        }
        throw new AssertionError("the subscription never reached " + pub);
    }

    private static void assertReceived(Msg got, Msg expected, String userId) {
        assertThat(got).isEqualTo(expected);
        if (userId != null) {
            assertThat(got.properties().getString(Metadata.USER_ID)).contains(userId);
        }
    }
}
