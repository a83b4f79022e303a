package io.rzmq.samples.perf;

import io.rzmq.pekko.Rzmq;
import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.pekko.api.ZContext;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * libzmq's perf tools with their command lines and output lines, so rzmq can be paired with libzmq's
 * and JeroMQ's tools: {@code local_thr|remote_thr|local_lat|remote_lat ENDPOINT SIZE COUNT}.
 * local_thr binds a PULL and prints the throughput; remote_thr connects a PUSH and sends.
 * local_lat binds a REP that echoes COUNT messages; remote_lat connects a REQ, makes COUNT round trips
 * of SIZE-byte messages and prints the average one-way latency (half the round trip), as libzmq does.
 *
 * <p>Every message sent is a new one with the payload copied in ({@link #newMessage}), as libzmq's
 * {@code zmq_msg_init_size} + {@code memcpy} and JeroMQ's {@code send(new byte[size])} do: the figures are
 * what an application that builds its messages pays, not those of re-sending one immutable object. The
 * echo of local_lat is the exception, as in libzmq's and JeroMQ's tools: it sends back the message it
 * received.
 */
public final class Perf {
    private Perf() {
    }

    // libzmq's published CURVE test keys (doc/zmq_curve.adoc), as the reference perf peers use them.
    static final String TEST_SERVER_PUBLIC = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7";
    static final String TEST_SERVER_SECRET = "JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6";
    static final String TEST_CLIENT_PUBLIC = "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID";
    static final String TEST_CLIENT_SECRET = "D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%wOTJ%JR%cs";

    /**
     * Runs {@code role} with {@code args} = ENDPOINT SIZE COUNT [curve]; returns the process exit code. With
     * {@code curve} the binding side is a CURVE server and the connecting side a CURVE client, with libzmq's
     * test keys.
     */
    public static int run(String role, String[] args) {
        boolean curve = args.length == 4 && args[3].equals("curve");
        if (args.length != 3 && !curve) {
            System.err.println("usage: " + role + " <endpoint> <message-size> <message-count> [curve]");
            return 2;
        }
        String endpoint = args[0];
        int size;
        long count;
        try {
            size = Integer.parseInt(args[1]);
            count = Long.parseLong(args[2]);
        } catch (NumberFormatException e) {
            System.err.println(role + ": message size and count must be numbers: " + e.getMessage());
            return 2;
        }
        if (size < 0 || count < 1) {
            System.err.println(role + ": message size must be >= 0 and count >= 1");
            return 2;
        }
        switch (role) {
            case "local_thr", "remote_thr", "local_lat", "remote_lat" -> {
                // handled below
            }
            default -> {
                System.err.println("unknown role " + role);
                return 2;
            }
        }
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "rzmq-perf");
        try {
            ZContext ctx = Rzmq.get(system).defaultContext();
            boolean binds = role.startsWith("local");
            SocketOptions options = security(ctx.defaultOptions(), curve, binds);
            return switch (role) {
                case "local_thr" -> localThr(ctx, options, endpoint, size, count);
                case "remote_thr" -> remoteThr(ctx, options, endpoint, size, count);
                case "local_lat" -> localLat(ctx, options, endpoint, size, count);
                default -> remoteLat(ctx, options, endpoint, size, count);
            };
        } catch (CompletionException e) {
            System.err.println(role + ": " + e.getCause().getMessage());
            return 1;
        } catch (RuntimeException e) {
            System.err.println(role + ": " + e.getMessage());
            return 1;
        } finally {
            system.terminate();
            try {
                system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println(role + ": actor system did not stop cleanly: " + e);
            }
        }
    }

    private static SocketOptions security(SocketOptions options, boolean curve, boolean server) {
        if (!curve) {
            return options;
        }
        return server
            ? options.withCurveServer(true).withCurveSecretKey(TEST_SERVER_SECRET)
            : options.withCurveServerKey(TEST_SERVER_PUBLIC).withCurvePublicKey(TEST_CLIENT_PUBLIC)
                .withCurveSecretKey(TEST_CLIENT_SECRET);
    }

    private static int localThr(ZContext ctx, SocketOptions options, String endpoint, int size, long count) {
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL, options);
        pull.bind(endpoint).toCompletableFuture().join();
        Msg m = receive(pull);
        if (m.byteSize() != size) {
            System.out.println("message of incorrect size received");
            return 1;
        }
        long t0 = System.nanoTime();
        for (long i = 1; i < count; i++) {
            m = receive(pull);
            if (m.byteSize() != size) {
                System.out.println("message of incorrect size received");
                return 1;
            }
        }
        double elapsedUs = (System.nanoTime() - t0) / 1e3;
        if (elapsedUs <= 0) {
            elapsedUs = 1;
        }
        double throughput = (count - 1) / elapsedUs * 1e6;
        System.out.print(String.format(Locale.ROOT,
            "message size: %d [B]%nmessage count: %d%nmean throughput: %.0f [msg/s]%nmean throughput: %.3f [Mb/s]%n",
            size, count, throughput, throughput * size * 8 / 1e6));
        System.out.flush();
        pull.close().toCompletableFuture().join();
        return 0;
    }

    // Busy path without an actor message: take what the pipes have, wait only when it is empty.
    private static Msg receive(ZSocket pull) {
        Msg m = pull.tryReceive();
        return m != null ? m : pull.receive().toCompletableFuture().join();
    }

    private static int remoteThr(ZContext ctx, SocketOptions options, String endpoint, int size, long count) {
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH, options.withLinger(Duration.ofMillis(-1)));
        push.connect(endpoint).toCompletableFuture().join();
        byte[] payload = new byte[size]; // the application's data, copied into each new message
        for (long i = 0; i < count; i++) {
            Msg msg = newMessage(payload);
            if (!push.trySend(msg)) {
                CompletionStage<?> s = push.send(msg);
                s.toCompletableFuture().join();
            }
        }
        push.close().toCompletableFuture().join(); // LINGER -1: returns once everything is handed over
        return 0;
    }

    private static int localLat(ZContext ctx, SocketOptions options, String endpoint, int size, long count) {
        ZSocket rep = ZSocket.create(ctx, SocketType.REP, options.withLinger(Duration.ofMillis(-1)));
        rep.bind(endpoint).toCompletableFuture().join();
        for (long i = 0; i < count; i++) {
            Msg m = receive(rep);
            if (m.byteSize() != size) {
                System.out.println("message of incorrect size received");
                return 1;
            }
            send(rep, m);
        }
        rep.close().toCompletableFuture().join(); // LINGER -1: the last reply is handed over first
        return 0;
    }

    private static int remoteLat(ZContext ctx, SocketOptions options, String endpoint, int size, long count) {
        ZSocket req = ZSocket.create(ctx, SocketType.REQ, options);
        req.connect(endpoint).toCompletableFuture().join();
        byte[] payload = new byte[size];
        long t0 = System.nanoTime();
        for (long i = 0; i < count; i++) {
            send(req, newMessage(payload));
            Msg reply = receive(req);
            if (reply.byteSize() != size) {
                System.out.println("message of incorrect size received");
                return 1;
            }
        }
        double elapsedUs = (System.nanoTime() - t0) / 1e3;
        System.out.print(String.format(Locale.ROOT,
            "message size: %d [B]%nroundtrip count: %d%naverage latency: %.3f [us]%n",
            size, count, elapsedUs / (count * 2)));
        System.out.flush();
        req.close().toCompletableFuture().join();
        return 0;
    }

    /**
     * A new single-frame message holding a private copy of {@code payload}: what {@code zmq_msg_init_size}
     * followed by {@code memcpy} costs in libzmq, one allocation and one copy per message.
     */
    static Msg newMessage(byte[] payload) {
        return Msg.of(Frame.copyOf(payload));
    }

    private static void send(ZSocket s, Msg m) {
        if (!s.trySend(m)) {
            s.send(m).toCompletableFuture().join();
        }
    }
}
