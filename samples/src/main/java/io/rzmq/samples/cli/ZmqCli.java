package io.rzmq.samples.cli;

import io.rzmq.pekko.Rzmq;
import io.rzmq.pekko.model.RzmqException;
import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.pekko.api.ZContext;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.apache.pekko.actor.typed.ActorSystem;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code zmq}: a command-line tool for poking at ZeroMQ endpoints, e.g.
 * {@code java -jar rzmq-samples.jar zmq --type SUB --connect tcp://127.0.0.1:5556 --subscribe weather --count 5}.
 *
 * <p>It opens one socket, binds and/or connects it, sends the messages given ({@code --send}, {@code --file}, or
 * lines of standard input), then prints what it receives, one message per line: frames as text (or hex)
 * joined by the delimiter. REQ prints the reply to each message it sends; REP prints each request and
 * answers it with the {@code --send} texts in turn (or echoes it). Exit codes: 0 done, 1 timed out or a socket operation failed, 2 bad usage.
 */
@Command(name = "zmq", mixinStandardHelpOptions = true, version = "rzmq zmq 0.1",
    description = "Send and receive ZeroMQ messages with one socket (libzmq-compatible, ZMTP 3.1).",
    sortOptions = false)
public final class ZmqCli implements Callable<Integer> {
    /** Exit code: finished. */
    public static final int OK = 0;
    /** Exit code: a socket operation failed or the timeout passed. */
    public static final int FAILED = 1;
    /** Exit code: bad usage. */
    public static final int USAGE = 2;
    private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(30);

    @Spec
    CommandSpec spec;

    @Option(names = {"-t", "--type"}, required = true, description = "Socket type: ${COMPLETION-CANDIDATES}")
    SocketType type;

    @Option(names = {"-b", "--bind"}, paramLabel = "ENDPOINT", description = "Bind to ENDPOINT (repeatable), e.g. tcp://*:5555")
    List<String> binds = new ArrayList<>();

    @Option(names = {"-c", "--connect"}, paramLabel = "ENDPOINT", description = "Connect to ENDPOINT (repeatable)")
    List<String> connects = new ArrayList<>();

    @Option(names = {"-s", "--subscribe"}, paramLabel = "TOPIC",
        description = "SUB: topic prefix to subscribe to (repeatable; default: everything)")
    List<String> subscriptions = new ArrayList<>();

    @Option(names = "--send", paramLabel = "TEXT",
        description = "Send TEXT as a message (repeatable; split into frames by --delimiter); REP: the replies")
    List<String> texts = new ArrayList<>();

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Send the contents of FILE as a one-frame message (repeatable)")
    List<Path> files = new ArrayList<>();

    @Option(names = "--stdin", description = "Send each line of standard input as a message "
        + "(the default for send-only sockets given no --send or --file)")
    boolean stdin;

    @Option(names = {"-n", "--count"}, paramLabel = "N", description = "Exit after receiving N messages (default: keep receiving)")
    int count = -1;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
        description = "Give up (exit 1) when sending and receiving (after binds and connects) take longer, "
            + "e.g. 5s, 500ms (default: no limit)")
    Duration timeout;

    @Option(names = "--hex", description = "Print received frames in hex")
    boolean hex;

    @Option(names = {"-d", "--delimiter"}, paramLabel = "TEXT",
        description = "Splits sent text into frames and joins printed frames (default for printing: |)")
    String delimiter;

    @Option(names = "--wait-peers", paramLabel = "N", description = "Before sending, wait until N peers are connected")
    int waitPeers;

    @Option(names = "--linger", paramLabel = "DURATION", converter = DurationConverter.class,
        description = "LINGER on exit: how long queued messages may take to go out (default: 2s)")
    Duration linger = Duration.ofSeconds(2);

    @Option(names = "--sndhwm", paramLabel = "N", description = "SNDHWM (default 1000)")
    Integer sndHwm;

    @Option(names = "--rcvhwm", paramLabel = "N", description = "RCVHWM (default 1000)")
    Integer rcvHwm;

    @Option(names = "--curve-server", description = "CURVE server (CURVE_SERVER): needs --curve-secretkey; "
        + "prints its public key for clients")
    boolean curveServer;

    @Option(names = {"--curve-serverkey", "--curve-server-key"}, paramLabel = "KEY",
        description = "CURVE client: the server's public key (CURVE_SERVERKEY). KEY: 40 Z85 characters, or "
            + "@FILE holding them (or a zcert certificate: its public-key)")
    String curveServerKey;

    @Option(names = {"--curve-secretkey", "--curve-secret-key"}, paramLabel = "KEY",
        description = "CURVE: this socket's secret key (CURVE_SECRETKEY). Prefer @FILE (Z85 text or a zcert "
            + "secret certificate): a key on the command line is visible to other users of the machine")
    String curveSecretKey;

    @Option(names = {"--curve-publickey", "--curve-public-key"}, paramLabel = "KEY",
        description = "CURVE: this socket's public key (CURVE_PUBLICKEY); derived from the secret key when left out")
    String curvePublicKey;

    @Option(names = "--plain-username", paramLabel = "NAME", description = "PLAIN client: user name (PLAIN_USERNAME)")
    String plainUsername;

    @Option(names = "--plain-password", paramLabel = "TEXT",
        description = "PLAIN client: password (PLAIN_PASSWORD); @FILE reads it from the file's first line")
    String plainPassword;

    @Option(names = "--plain-server", description = "PLAIN server (PLAIN_SERVER). Admits clients only through a "
        + "ZAP handler, as libzmq; without one every client is refused")
    boolean plainServer;

    private final ActorSystem<?> givenSystem;
    private final InputStream input;

    /** A tool that starts (and stops) its own actor system, reading standard input. */
    public ZmqCli() {
        this(null, System.in);
    }

    /** A tool that uses {@code system} (left running) and reads lines from {@code input}. */
    public ZmqCli(ActorSystem<?> system, InputStream input) {
        this.givenSystem = system;
        this.input = input;
    }

    /**
     * The command line with this tool's conventions: case-insensitive socket types, and {@code @FILE} left to
     * the key and password options (picocli's argument files would splice a key file into the arguments,
     * and show it in error messages).
     */
    public static CommandLine commandLine(ZmqCli cli) {
        return new CommandLine(cli).setCaseInsensitiveEnumValuesAllowed(true).setExpandAtFiles(false);
    }

    /**
     * Runs the tool as the {@code zmq} command of the samples jar; returns the exit code. {@code zmq keygen},
     * {@code zmq monitor} and {@code zmq proxy} run those commands.
     */
    public static int run(String... args) {
        if (args.length > 0) {
            String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
            switch (args[0]) {
                case "keygen" -> {
                    return KeygenCommand.run(rest);
                }
                case "monitor" -> {
                    return MonitorCommand.run(rest);
                }
                case "proxy" -> {
                    return ProxyCommand.run(rest);
                }
                default -> {
                    // the socket tool itself
                }
            }
        }
        return commandLine(new ZmqCli()).execute(args);
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (binds.isEmpty() && connects.isEmpty()) {
            err.println("zmq: give at least one --bind or --connect");
            return USAGE;
        }
        if (!subscriptions.isEmpty() && type != SocketType.SUB) {
            err.println("zmq: --subscribe needs --type SUB");
            return USAGE;
        }
        boolean sends = canSend(type);
        boolean receives = canReceive(type);
        if (!sends && (!texts.isEmpty() || !files.isEmpty() || stdin)) {
            err.println("zmq: " + type + " sockets cannot send");
            return USAGE;
        }
        // Setting up (socket, binds, connects, --wait-peers) has its own bound, --timeout when shorter;
        // --timeout covers the exchange after it too.
        Duration bound = timeout != null && timeout.compareTo(SETUP_TIMEOUT) < 0 ? timeout : SETUP_TIMEOUT;
        long deadline = System.nanoTime() + bound.toNanos();
        HandshakeWatch handshakes = null;

        ActorSystem<?> system = givenSystem != null ? givenSystem : CliRuntime.newSystem("zmq");
        ZContext ctx = Rzmq.get(system).newContext("cli");
        try {
            SocketOptions options = ctx.defaultOptions().withLinger(linger);
            if (sndHwm != null) {
                options = options.withSndHwm(sndHwm);
            }
            if (rcvHwm != null) {
                options = options.withRcvHwm(rcvHwm);
            }
            try {
                options = Security.apply(this, options, err);
            } catch (IllegalArgumentException | IOException e) {
                err.println("zmq: " + e.getMessage());
                return USAGE;
            }
            ZSocket socket = ZSocket.create(ctx, type, options);
            if (!binds.isEmpty() || connects.stream().anyMatch(ep -> !ep.startsWith("inproc:"))) {
                // A failed handshake otherwise looks like silence: report it (a wrong CURVE key, a refusal).
                handshakes = HandshakeWatch.start(system, socket, err, deadline);
            }
            if (type == SocketType.SUB) {
                for (String topic : subscriptions.isEmpty() ? List.of("") : subscriptions) {
                    await(socket.subscribe(topic), deadline);
                }
            }
            for (String ep : binds) {
                err.println("bound " + await(socket.bind(ep), deadline));
            }
            for (String ep : connects) {
                await(socket.connect(ep), deadline);
            }
            if (waitPeers > 0) {
                while (await(socket.status(), deadline).readyPeers() < waitPeers) {
                    Thread.onSpinWait();
                    TimeUnit.MILLISECONDS.sleep(10); // a polling CLI loop, not a test synchronization
                }
            }
            if (timeout == null) {
                deadline = Long.MAX_VALUE;
            } else {
                deadline = System.nanoTime() + timeout.toNanos();
                bound = timeout;
            }
            int received = 0;
            if (type == SocketType.REP) {
                serveReplies(socket, out, deadline);
            } else if (sends) {
                received = sendAll(socket, out, deadline);
            }
            if (receives && count != 0 && type != SocketType.REQ && type != SocketType.REP) {
                while (count < 0 || received < count) {
                    Msg m = await(socket.receive(), deadline);
                    print(out, m);
                    received++;
                }
            }
            await(socket.close(), linger.isNegative() ? Long.MAX_VALUE : deadline);
            return OK;
        } catch (TimeoutException e) {
            err.println("zmq: timed out after " + bound.toMillis() + " ms"
                + (handshakes == null ? "" : handshakes.explanation()));
            return FAILED;
        } catch (RzmqException e) {
            err.println("zmq: " + e.getMessage());
            return FAILED;
        } catch (IOException e) {
            err.println("zmq: " + e);
            return FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return FAILED;
        } finally {
            out.flush();
            err.flush();
            try {
                ctx.close(Duration.ZERO).toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // exiting anyway
            }
            if (givenSystem == null) {
                system.terminate();
            }
        }
    }

    /** Sends --send texts, --file contents and (when asked or implied) stdin lines; REQ waits for each reply. */
    private int sendAll(ZSocket socket, PrintWriter out, long deadline)
        throws IOException, TimeoutException, InterruptedException {
        int replies = 0;
        for (String t : texts) {
            replies += sendOne(socket, textMessage(t), out, deadline);
        }
        for (Path p : files) {
            replies += sendOne(socket, Msg.of(Files.readAllBytes(p)), out, deadline);
        }
        boolean readStdin = stdin || (texts.isEmpty() && files.isEmpty()
            && (!canReceive(type) || type == SocketType.REQ));
        if (readStdin) {
            BufferedReader r = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                replies += sendOne(socket, textMessage(line), out, deadline);
            }
        }
        return replies;
    }

    /** REP: print each request and answer it with the next --send text (in turn), or echo it when none is given. */
    private void serveReplies(ZSocket socket, PrintWriter out, long deadline)
        throws TimeoutException, InterruptedException {
        for (int i = 0; count < 0 || i < count; i++) {
            Msg request = await(socket.receive(), deadline);
            print(out, request);
            Msg reply = texts.isEmpty() ? request : textMessage(texts.get(i % texts.size()));
            await(socket.send(reply), deadline);
        }
    }

    private int sendOne(ZSocket socket, Msg m, PrintWriter out, long deadline)
        throws TimeoutException, InterruptedException {
        await(socket.send(m), deadline);
        if (type == SocketType.REQ) {
            print(out, await(socket.receive(), deadline));
            return 1;
        }
        return 0;
    }

    private Msg textMessage(String text) {
        if (delimiter == null || delimiter.isEmpty()) {
            return Msg.of(text);
        }
        return Msg.of(text.split(Pattern.quote(delimiter), -1));
    }

    private void print(PrintWriter out, Msg m) {
        StringJoiner j = new StringJoiner(delimiter == null ? "|" : delimiter);
        for (Frame f : m.frames()) {
            j.add(hex ? HexFormat.of().formatHex(f.toByteArray()) : f.asString());
        }
        out.println(j);
        out.flush();
    }

    static boolean canSend(SocketType t) {
        return t != SocketType.PULL && t != SocketType.SUB;
    }

    static boolean canReceive(SocketType t) {
        return t != SocketType.PUSH && t != SocketType.PUB;
    }

    private static <T> T await(CompletionStage<T> stage, long deadline) throws TimeoutException, InterruptedException {
        return CliRuntime.await(stage, deadline);
    }

    /** Parses 500ms, 5s, 2m, 1h, a bare number of seconds, or ISO-8601 (PT5S). */
    public static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        private static final Pattern SIMPLE = Pattern.compile("(-?\\d+)\\s*(ms|s|m|h)?");

        @Override
        public Duration convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            Matcher m = SIMPLE.matcher(v);
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                String unit = m.group(2) == null ? "s" : m.group(2);
                return switch (unit) {
                    case "ms" -> Duration.ofMillis(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofSeconds(n);
                };
            }
            try {
                return Duration.parse(value.trim().toUpperCase(Locale.ROOT));
            } catch (RuntimeException e) {
                throw new CommandLine.TypeConversionException("not a duration: '" + value + "' (try 500ms, 5s, 2m)");
            }
        }
    }
}
