package io.rzmq.pekko.security;

import io.rzmq.pekko.testing.TcpTransportTest;
import io.rzmq.pekko.model.MonitorEvent;
import io.rzmq.pekko.model.MonitorEventKind;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.pekko.testing.InteropSocket;
import io.rzmq.pekko.testing.InteropSocket.Impl;
import io.rzmq.pekko.testing.MonitorLog;
import io.rzmq.testkit.Msgs;
import io.rzmq.pekko.testing.PerTestContext;
import io.rzmq.testkit.PyPeer;
import io.rzmq.pekko.testing.SecureRole;
import io.rzmq.pekko.testing.SecureRole.Mechanism;
import io.rzmq.protocol.Metadata;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import io.rzmq.protocol.security.CurveKeyPair;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static io.rzmq.pekko.api.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The built-in authenticator end to end: {@code ZAuth.start(ctx)} in front of an rzmq PLAIN server (users
 * from a map, from a password file) or CURVE server (any key, keys from a certificate directory written
 * with ZCert), with libzmq 4.3 and JeroMQ 0.6.0 clients over tcp. An admitted client's messages arrive
 * with the authenticator's User-Id; a refused client (wrong password, unknown key, denied address) is
 * told so (HANDSHAKE_FAILED_AUTH 400 on our side) and none of its messages get through while an
 * admitted one's do.
 */
@TcpTransportTest
class ZAuthInteropTest extends PerTestContext {
    static final CurveKeyPair SERVER_KEYS = CurveKeyPair.generate();
    /** A client with a certificate in the directory ("client-a"). */
    static final CurveKeyPair KNOWN = CurveKeyPair.generate();
    /** A client without one. */
    static final CurveKeyPair STRANGER = CurveKeyPair.generate();

    /** How the authenticator is set up, and which client roles it admits and refuses. */
    enum Policy {
        PLAIN_USERS(Mechanism.PLAIN), PLAIN_PASSWORD_FILE(Mechanism.PLAIN), CURVE_ANY(Mechanism.CURVE),
        CURVE_CERTIFICATES(Mechanism.CURVE);

        final Mechanism mechanism;

        Policy(Mechanism mechanism) {
            this.mechanism = mechanism;
        }

        AuthSettings settings(Path dir) throws IOException {
            AuthSettings d = AuthSettings.defaults();
            return switch (this) {
                case PLAIN_USERS -> d.withPlainUsers(Map.of(SecureRole.USER, SecureRole.PASSWORD, "bob", "hunter2"));
                case PLAIN_PASSWORD_FILE -> {
                    Path file = dir.resolve("passwords");
                    Files.writeString(file, "bob=hunter2\n" + SecureRole.USER + "=" + SecureRole.PASSWORD + "\n");
                    yield d.withPasswordFile(file);
                }
                case CURVE_ANY -> d.withCurveAllowAny(true);
                case CURVE_CERTIFICATES -> {
                    Path certs = Files.createDirectories(dir.resolve("clients"));
                    ZCert.of(KNOWN).withMeta("name", "client-a").savePublic(certs.resolve("client-a"));
                    yield d.withCurveCertificates(certs);
                }
            };
        }

        SecureRole admitted() {
            return mechanism == Mechanism.PLAIN ? SecureRole.plainClient(SecureRole.USER, SecureRole.PASSWORD)
                : SecureRole.curveClient(this == CURVE_ANY ? STRANGER : KNOWN, SERVER_KEYS.publicKeyZ85());
        }

        /** A client the policy refuses by its credentials (none for CURVE_ANY). */
        SecureRole refused() {
            return mechanism == Mechanism.PLAIN ? SecureRole.plainClient(SecureRole.USER, "guess")
                : SecureRole.curveClient(STRANGER, SERVER_KEYS.publicKeyZ85());
        }
    }

    static Stream<Arguments> admittedClients() {
        return Stream.of(Policy.values()).flatMap(p -> Stream.of(arguments(p, Impl.LIBZMQ), arguments(p, Impl.JEROMQ)));
    }

    static Stream<Arguments> refusedClients() {
        return admittedClients().filter(a -> a.get()[0] != Policy.CURVE_ANY);
    }

    private ZSocket server(Policy policy, AuthSettings settings) {
        result(ZAuth.start(ctx, settings));
        return ZSocket.create(ctx, SocketType.PULL, SecureRole.server(policy.mechanism, SERVER_KEYS)
            .applyTo(ctx.defaultOptions()));
    }

    private static InteropSocket pushClient(Impl impl, SecureRole role, String endpoint) {
        Assumptions.assumeTrue(impl != Impl.LIBZMQ || PyPeer.available(), "pyzmq is not installed");
        return impl == Impl.LIBZMQ ? InteropSocket.libzmq(role.pyEnv(), SocketType.PUSH, false, endpoint)
            : InteropSocket.jeromq(SocketType.PUSH, role, false, endpoint);
    }

    @ParameterizedTest(name = "{0} admits a {1} client")
    @MethodSource("admittedClients")
    void anAdmittedClientsMessagesCarryTheUserId(Policy policy, Impl impl, @TempDir Path dir) throws IOException {
        ZSocket pull = server(policy, policy.settings(dir));
        String endpoint = result(pull.bind("tcp://127.0.0.1:*"));
        SecureRole client = policy.admitted();
        try (InteropSocket push = pushClient(impl, client, endpoint)) {
            for (int i = 0; i < 3; i++) {
                push.send(Msgs.generated(i));
            }
            for (int i = 0; i < 3; i++) {
                Msg got = result(pull.receive());
                assertThat(got).isEqualTo(Msgs.generated(i));
                assertThat(got.properties().getString(Metadata.USER_ID)).contains(client.expectedUserId());
                assertThat(got.properties().getString(Metadata.PEER_ADDRESS)).contains("127.0.0.1");
                if (policy == Policy.CURVE_CERTIFICATES) {
                    assertThat(got.properties().getString("name")).as("the certificate's metadata")
                        .contains("client-a");
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} refuses a {1} client")
    @MethodSource("refusedClients")
    void aRefusedClientGetsNothingThroughWhileAnAdmittedOneDoes(Policy policy, Impl impl, @TempDir Path dir) throws IOException {
        ZSocket pull = server(policy, policy.settings(dir));
        MonitorLog events = MonitorLog.of(testKit, pull);
        String endpoint = result(pull.bind("tcp://127.0.0.1:*"));
        try (InteropSocket intruder = pushClient(impl, policy.refused(), endpoint)) {
            intruder.send(Msg.of("must-not-arrive"));
            MonitorEvent refused = events.await(MonitorEventKind.HANDSHAKE_FAILED_AUTH);
            assertThat(refused.value()).isEqualTo(400);
            assertAdmittedClientGetsThroughAlone(pull, impl, policy.admitted());
        }
    }

    @ParameterizedTest(name = "{0}: a denied address is refused, another admitted")
    @EnumSource(value = Policy.class, names = {"PLAIN_USERS", "CURVE_ANY"})
    void aDeniedAddressIsRefusedEvenWithTheRightCredentials(Policy policy, @TempDir Path dir) throws IOException {
        Assumptions.assumeTrue(PyPeer.available(), "pyzmq is not installed");
        ZSocket pull = server(policy, policy.settings(dir).withDeny(java.util.List.of("127.0.0.2")));
        MonitorLog events = MonitorLog.of(testKit, pull);
        String endpoint = result(pull.bind("tcp://127.0.0.1:*"));
        String port = endpoint.substring(endpoint.lastIndexOf(':') + 1);
        // libzmq's "source;destination" form: right credentials, but from 127.0.0.2.
        try (InteropSocket denied = InteropSocket.libzmq(policy.admitted().pyEnv(), SocketType.PUSH, false,
            "tcp://127.0.0.2:0;127.0.0.1:" + port)) {
            denied.send(Msg.of("must-not-arrive"));
            MonitorEvent refused = events.await(MonitorEventKind.HANDSHAKE_FAILED_AUTH);
            assertThat(refused.value()).isEqualTo(400);
            assertThat(refused.peerAddress()).startsWith("127.0.0.2");
            assertAdmittedClientGetsThroughAlone(pull, Impl.LIBZMQ, policy.admitted());
        }
    }

    /** A client with {@code role} (from 127.0.0.1) gets its messages through, and nothing else arrives. */
    private void assertAdmittedClientGetsThroughAlone(ZSocket pull, Impl impl, SecureRole role) {
        try (InteropSocket good = pushClient(impl, role, pull.lastEndpoint())) {
            for (int i = 0; i < 3; i++) {
                good.send(Msg.of("good-" + i));
            }
            for (int i = 0; i < 3; i++) {
                Msg got = result(pull.receive());
                assertThat(got).isEqualTo(Msg.of("good-" + i));
                assertThat(got.properties().getString(Metadata.USER_ID)).contains(role.expectedUserId());
            }
            assertThat(pull.tryReceive()).as("nothing from the refused client").isNull();
        }
    }
}
