package io.rzmq.samples.guide;

import io.rzmq.pekko.model.MonitorEventKind;

import io.rzmq.pekko.model.RzmqException;
import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.pekko.model.MonitorEvent;
import io.rzmq.pekko.api.ZContext;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.pekko.security.Authenticator;
import io.rzmq.pekko.security.ZAuth;
import io.rzmq.pekko.security.ZCert;
import io.rzmq.pekko.security.ZCertStore;
import io.rzmq.pekko.stream.ZmqMonitor;
import io.rzmq.pekko.stream.ZmqStreams;
import io.rzmq.protocol.Metadata;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import io.rzmq.protocol.security.CurveKeyPair;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static io.rzmq.samples.guide.GuideSupport.await;
import static io.rzmq.samples.guide.GuideSupport.isTerminated;

/**
 * A CURVE-secured REQ/REP service guarded by the built-in authenticator ({@link ZAuth}), with CZMQ
 * certificate files ({@link ZCert}, {@link ZCertStore}): only clients whose public certificate is in the
 * server's {@code clients/} directory get in, and every client must know the server's public key.
 *
 * <p>The certificate directory holds the server's certificate, two client certificates ({@code alice},
 * whose public certificate is copied into {@code clients/}, and {@code mallory}, whose is not) with their
 * {@code _secret} files (0600), and {@code clients/}, the public certificates the authenticator trusts.
 * Then three clients knock:
 * <ol>
 *   <li>alice: admitted; the server sees her User-Id (her public key, from the authenticator) and her
 *       certificate's {@code name} on every request.</li>
 *   <li>mallory: a valid CURVE client with an unknown key; the authenticator answers 400, both ends report
 *       HANDSHAKE_FAILED_AUTH, and her request never reaches the server.</li>
 *   <li>alice with the wrong server key: the server cannot open her HELLO, so the handshake ends before
 *       the authenticator is even asked.</li>
 * </ol>
 */
public final class SecureService {
    /** How long a refused client waits for a reply that must not come. */
    static final Duration NO_REPLY_WAIT = Duration.ofMillis(500);
    /**
     * RECONNECT_IVL of the clients that are turned away: a refused client reconnects on that schedule and is
     * refused again each time; a long interval makes it knock once during the sample.
     */
    static final Duration KNOCK_ONCE = Duration.ofSeconds(30);
    static final String CLIENTS_DIR = "clients";

    private SecureService() {
    }

    /** The certificates in use; {@code generated} names the ones made by this run (the others were loaded). */
    public record Certificates(Path directory, ZCert server, ZCert alice, ZCert mallory, List<String> generated) {
        /** The directory of trusted client certificates that the authenticator reads. */
        public Path clients() {
            return directory.resolve(CLIENTS_DIR);
        }
    }

    /**
     * What one client saw: the first handshake outcome on its own socket and on the server's (a
     * HANDSHAKE_* event, or DISCONNECTED when the connection just ended), and the replies it received.
     */
    public record Attempt(String client, MonitorEvent clientEvent, MonitorEvent serverEvent, List<String> replies) {
    }

    /**
     * The whole run: the certificates, the three attempts, what the server saw on each request it received
     * ({@code "request | User-Id | name"}), and the authenticator's counters at the end.
     */
    public record Outcome(Certificates certificates, Attempt admitted, Attempt unknownKey, Attempt wrongServerKey,
                          List<String> seenByServer, Authenticator.Stats authenticator) {
    }

    /**
     * {@code secure [CERT_DIR [REQUESTS]]}: the three clients against the service, then exit.
     * {@code secure --serve ENDPOINT CERT_DIR [SECONDS]}: only the service, for clients of your own
     * (for example pyzmq; see docs/samples.md), until Ctrl-C or for SECONDS.
     */
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("--serve")) {
            if (args.length < 3) {
                System.err.println("usage: secure --serve ENDPOINT CERT_DIR [SECONDS]");
                System.exit(2);
            }
            long seconds = args.length > 3 ? Long.parseLong(args[3]) : 0;
            GuideSupport.runMain("secure", (system, ctx, out) ->
                serveOnly(system, ctx, args[1], Path.of(args[2]), seconds, out));
            return;
        }
        Path dir = args.length > 0 ? Path.of(args[0]) : null;
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        GuideSupport.runMain("secure", (system, ctx, out) -> run(system, ctx, dir, requests, out));
    }

    /**
     * Prepares the certificates in {@code certDir} (loads those there, generates and saves the missing ones;
     * {@code null}: a temporary directory, deleted at the end), starts the authenticator in {@code ctx}
     * trusting {@code certDir/clients}, binds the CURVE server on loopback TCP and runs the three clients,
     * alice sending {@code requests} requests. Stops the authenticator and closes every socket on return.
     */
    public static Outcome run(ActorSystem<?> system, ZContext ctx, Path certDir, int requests, PrintStream out)
        throws Exception {
        boolean temporary = certDir == null;
        Path dir = temporary ? Files.createTempDirectory("rzmq-certs") : certDir;
        try {
            Certificates certs = prepare(dir, out);
            return serve(system, ctx, certs, requests, out);
        } finally {
            if (temporary) {
                deleteTree(dir);
                out.println("temporary certificate directory deleted");
            }
        }
    }

    // ------------------------------------------------------------------ certificates

    /** Loads or generates server, alice and mallory in {@code dir}; puts alice's public certificate in clients/. */
    public static Certificates prepare(Path dir, PrintStream out) throws IOException {
        Files.createDirectories(dir);
        List<String> generated = new ArrayList<>();
        ZCert server = loadOrGenerate(dir, "server", generated);
        ZCert alice = loadOrGenerate(dir, "alice", generated);
        ZCert mallory = loadOrGenerate(dir, "mallory", generated);
        Path clients = dir.resolve(CLIENTS_DIR);
        Files.createDirectories(clients);
        Path aliceTrusted = clients.resolve("alice");
        if (!Files.exists(aliceTrusted)) {
            // Only the public part goes where the server looks: the secret stays with its owner.
            alice.publicOnly().savePublic(aliceTrusted);
        }
        out.println("certificates in " + dir + (generated.isEmpty() ? " (all loaded)"
            : generated.size() == 3 ? " (all generated)" : " (generated: " + String.join(", ", generated)
            + "; the rest loaded)"));
        for (ZCert c : List.of(server, alice, mallory)) {
            String name = c.meta("name").orElse("?");
            out.println("  " + name + ": public key " + c.publicKeyZ85() + ", secret file " + name
                + ZCert.SECRET_SUFFIX + " " + mode(ZCert.secretPathOf(dir.resolve(name))));
        }
        ZCertStore trusted = ZCertStore.load(clients);
        out.println("  " + CLIENTS_DIR + "/ (what the authenticator trusts): " + trusted.certificates().stream()
            .map(c -> c.meta("name").orElse(c.publicKeyZ85())).toList()
            + (trusted.skipped().isEmpty() ? "" : ", skipped " + trusted.skipped().keySet()));
        return new Certificates(dir, server, alice, mallory, List.copyOf(generated));
    }

    private static ZCert loadOrGenerate(Path dir, String name, List<String> generated) throws IOException {
        Path publicFile = dir.resolve(name);
        if (Files.isRegularFile(ZCert.secretPathOf(publicFile))) {
            ZCert c = ZCert.loadWithSecret(publicFile);
            return c.meta("name").isPresent() ? c : c.withMeta("name", name);
        }
        ZCert c = ZCert.generate().withMeta("name", name);
        c.save(publicFile);   // name (public) and name_secret (0600)
        generated.add(name);
        return c;
    }

    private static String mode(Path file) {
        try {
            return "(" + PosixFilePermissions.toString(Files.getPosixFilePermissions(file)) + ")";
        } catch (UnsupportedOperationException | IOException e) {
            return "";
        }
    }

    // ------------------------------------------------------------------ the service and its clients

    /**
     * A running CURVE service: the authenticator of its context, trusting one directory of client
     * certificates, and a REP server that answers every admitted request with a greeting.
     */
    public static final class Server {
        private final ZAuth auth;
        private final ZSocket socket;
        private final String endpoint;
        private final List<String> seen = new CopyOnWriteArrayList<>();
        private final CompletableFuture<Integer> served = new CompletableFuture<>();

        private Server(ZAuth auth, ZSocket socket, String endpoint) {
            this.auth = auth;
            this.socket = socket;
            this.endpoint = endpoint;
        }

        /** The endpoint the server is bound to (the port resolved). */
        public String endpoint() {
            return endpoint;
        }

        /** Every request received so far, as {@code "request | User-Id | name"} (what the server saw). */
        public List<String> seen() {
            return List.copyOf(seen);
        }

        /** The authenticator's counters. */
        public CompletionStage<Authenticator.Stats> stats() {
            return auth.stats();
        }

        /** Closes the server socket and stops the authenticator; completes with the number of requests answered. */
        public CompletionStage<Integer> stop() {
            return socket.close()
                .thenCompose(d -> auth.stop())
                .thenCompose(d -> served);
        }
    }

    /**
     * Starts the authenticator in {@code ctx} (one per context), trusting the public certificates in
     * {@code clients}, and a CURVE REP server with {@code serverCert}'s keys bound to {@code endpoint}.
     * Fails with EADDRINUSE when the context already has a ZAP handler.
     */
    public static Server start(ZContext ctx, ZCert serverCert, Path clients, String endpoint, PrintStream out)
        throws Exception {
        ZAuth auth = await(ZAuth.start(ctx));
        try {
            await(auth.update(s -> s.withCurveCertificates(clients)));
            out.println("authenticator started in context '" + ctx.name() + "', trusting the certificates in "
                + clients);
            CurveKeyPair keys = serverCert.keyPair()
                .orElseThrow(() -> new IllegalArgumentException("the server certificate has no secret key"));
            ZSocket socket = ZSocket.create(ctx, SocketType.REP, ctx.defaultOptions()
                .withCurveServer(true).withCurveSecretKey(keys.secretKey()));
            String bound;
            try {
                bound = await(socket.bind(endpoint));
            } catch (Exception e) {
                await(socket.close());
                throw e;
            }
            out.println("CURVE server (REP) bound to " + bound + ", server public key " + serverCert.publicKeyZ85());
            Server server = new Server(auth, socket, bound);
            answer(server, out, 0);
            return server;
        } catch (Exception e) {
            await(auth.stop());
            throw e;
        }
    }

    private static Outcome serve(ActorSystem<?> system, ZContext ctx, Certificates certs, int requests, PrintStream out)
        throws Exception {
        Server server = start(ctx, certs.server(), certs.clients(), "tcp://127.0.0.1:*", out);
        try {
            String endpoint = server.endpoint();
            String serverKey = certs.server().publicKeyZ85();
            out.println("1. alice, whose certificate is trusted:");
            Attempt admitted = attempt(system, ctx, server.socket, endpoint, "alice",
                clientOptions(ctx, certs.alice(), serverKey), requests, out);

            out.println("2. mallory, a CURVE client with a key the server does not know:");
            Attempt unknown = attempt(system, ctx, server.socket, endpoint, "mallory",
                clientOptions(ctx, certs.mallory(), serverKey).withReconnectIvl(KNOCK_ONCE), 1, out);

            out.println("3. alice again, but with mallory's public key where the server's should be:");
            Attempt wrongKey = attempt(system, ctx, server.socket, endpoint, "alice (wrong server key)",
                clientOptions(ctx, certs.alice(), certs.mallory().publicKeyZ85()).withReconnectIvl(KNOCK_ONCE), 1, out);

            Authenticator.Stats stats = await(server.stats());
            out.println("authenticator: " + stats.requests() + " request(s), " + stats.accepted() + " admitted, "
                + stats.denied() + " refused (the wrong-server-key client never reached it)");
            List<String> seen = server.seen();
            out.println("server answered " + await(server.stop()) + " request(s) and stopped");
            return new Outcome(certs, admitted, unknown, wrongKey, seen, stats);
        } finally {
            await(server.stop());
        }
    }

    /**
     * The server's only mode: prepares the certificates in {@code certDir} as {@link #run} does, then serves on
     * {@code endpoint} until the JVM is stopped (Ctrl-C) or for {@code seconds} when positive.
     */
    static void serveOnly(ActorSystem<?> system, ZContext ctx, String endpoint, Path certDir, long seconds,
                          PrintStream out) throws Exception {
        Certificates certs = prepare(certDir, out);
        Server server = start(ctx, certs.server(), certs.clients(), endpoint, out);
        out.println("serving" + (seconds > 0 ? " for " + seconds + " s" : " until Ctrl-C") + "; a client needs "
            + certs.directory().resolve("server") + " and its own *_secret certificate");
        if (seconds > 0) {
            try {
                system.getWhenTerminated().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                out.println("served " + await(server.stop()) + " request(s)");
            }
        } else {
            // Ctrl-C runs the actor system's CoordinatedShutdown, which closes the context and its sockets.
            system.getWhenTerminated().toCompletableFuture().get();
        }
    }

    private static SocketOptions clientOptions(ZContext ctx, ZCert mine, String serverKeyZ85) {
        CurveKeyPair keys = mine.keyPair().orElseThrow();
        return ctx.defaultOptions()
            .withCurveServerKey(serverKeyZ85)
            .withCurvePublicKey(keys.publicKey())
            .withCurveSecretKey(keys.secretKey())
            // A refused client's unanswered request must not hold its close up.
            .withLinger(Duration.ZERO);
    }

    /**
     * One client: connects a REQ with {@code options}, watches the first handshake outcome on both sockets,
     * then sends requests; a client the handshake let in waits for each reply, any other waits
     * {@link #NO_REPLY_WAIT} for the reply that should not come.
     */
    private static Attempt attempt(ActorSystem<?> system, ZContext ctx, ZSocket server, String endpoint, String name,
                                   SocketOptions options, int requests, PrintStream out) throws Exception {
        ZSocket client = ZSocket.create(ctx, SocketType.REQ, options);
        try {
            Predicate<MonitorEvent> handshake = e -> e.kind().isHandshakeFailure()
                || e.kind() == MonitorEventKind.HANDSHAKE_SUCCEEDED;
            // The server may still report the previous client's DISCONNECTED; this client's connection ends
            // in a HANDSHAKE_* event there. Here a server that cannot read the client just hangs up.
            CompletionStage<MonitorEvent> onServer = firstEvent(system, server, handshake);
            CompletionStage<MonitorEvent> onClient = firstEvent(system, client,
                handshake.or(e -> e.kind() == MonitorEventKind.DISCONNECTED));
            await(client.connect(endpoint));
            MonitorEvent clientEvent = await(onClient);
            MonitorEvent serverEvent = await(onServer);
            out.println("   server monitor: " + describe(serverEvent));
            out.println("   client monitor: " + describe(clientEvent));
            boolean in = clientEvent.kind() == MonitorEventKind.HANDSHAKE_SUCCEEDED;
            List<String> replies = new ArrayList<>();
            for (int i = 1; i <= requests; i++) {
                // REQ queues the request even when no handshake completed; it then waits in the client.
                await(client.send(Msg.of(name + " request " + i)));
                try {
                    Msg reply = in ? await(client.receive()) : await(client.receive(NO_REPLY_WAIT));
                    replies.add(reply.firstString());
                    out.println("   " + name + " got '" + reply.firstString() + "'");
                } catch (RzmqException e) {
                    if (e.code() != RzmqException.Code.EAGAIN) {
                        throw e;
                    }
                    out.println("   " + name + " sent a request; no reply within " + NO_REPLY_WAIT.toMillis() + " ms");
                    break;
                }
            }
            return new Attempt(name, clientEvent, serverEvent, List.copyOf(replies));
        } finally {
            await(client.close());
        }
    }

    /** The first event of {@code socket} that {@code which} accepts; monitoring is running on return. */
    private static CompletionStage<MonitorEvent> firstEvent(ActorSystem<?> system, ZSocket socket,
                                                            Predicate<MonitorEvent> which) throws Exception {
        Pair<ZmqMonitor, CompletionStage<MonitorEvent>> m = ZmqStreams.monitor(socket)
            .filter(which::test)
            .take(1)
            .toMat(Sink.head(), Keep.both())
            .run(system);
        await(m.first().started());
        return m.second();
    }

    private static String describe(MonitorEvent e) {
        return e.kind() + (e.value() != 0 ? " " + e.value() : "") + (e.detail().isEmpty() ? "" : " (" + e.detail() + ")");
    }

    /**
     * The server's loop: receive a request, print what the connection's properties say about its sender,
     * answer; ends when the socket closes.
     */
    private static void answer(Server server, PrintStream out, int answered) {
        server.socket.receive()
            .thenCompose(request -> {
                Metadata p = request.properties();
                String userId = p.getString(Metadata.USER_ID).orElse("");
                String name = p.getString("name").orElse("?");
                server.seen.add(request.firstString() + " | " + userId + " | " + name);
                out.println("   server got '" + request.firstString() + "' from User-Id " + userId + " (name="
                    + name + ", Peer-Address=" + p.getString(Metadata.PEER_ADDRESS).orElse("?") + ")");
                return server.socket.send(Msg.of("hello " + name + ", answer to '" + request.firstString() + "'"));
            })
            .whenComplete((Done d, Throwable failure) -> {
                if (failure == null) {
                    answer(server, out, answered + 1);
                } else if (isTerminated(failure)) {
                    server.served.complete(answered);
                } else {
                    server.served.completeExceptionally(failure);
                }
            });
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
