package io.rzmq.samples.soak;

import io.rzmq.pekko.model.MonitorEventKind;

import io.rzmq.pekko.Rzmq;
import io.rzmq.pekko.model.RzmqException;
import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.pekko.model.MonitorEvent;
import io.rzmq.pekko.api.ZContext;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import io.rzmq.protocol.security.CurveKeyPair;
import io.rzmq.protocol.security.Z85;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BooleanSupplier;

/**
 * The soak run (issue 12): sequenced PUSH/PULL and REQ/REP traffic (rzmq to rzmq and rzmq to libzmq, tcp
 * and ipc) flows for a given time while peers are killed and restarted, garbage connections arrive,
 * consumers are slow, sockets connect and disconnect, and CURVE clients present the wrong server key.
 * Every broken assertion is a {@link Violations violation}; see docs/soak.md for what is asserted.
 *
 * <p>Threads: one per traffic loop and one per disturbance ("chaos") loop. Chaos iterations hold the read
 * side of a lock; resources are measured after warm-up with its write side held (no chaos in progress) and
 * at the end after the chaos loops have ended, so both readings see the same set of live sockets and
 * processes.
 */
public final class SoakRunner {

    /**
     * @param duration  how long traffic and disturbances run (final checks and shutdown come after)
     * @param rate      messages per second of each sequenced sender
     * @param libzmq    whether to run the libzmq (pyzmq) peers
     * @param killEvery mean time between two SIGKILLs of each libzmq peer and two abrupt closes of each
     *                  in-process peer
     * @param attacks   also run the memory attacks of issue 12 (defects 1 and 5: a pre-handshake flood and an
     *                  endless multipart message); on by default
     */
    public record Settings(Duration duration, int rate, boolean libzmq, Duration killEvery, boolean attacks) {
        public static Settings of(Duration duration) {
            return new Settings(duration, 500, true, Duration.ofSeconds(8), true);
        }
    }

    /** The outcome: violations (none means the run passed) and the printed summary. */
    public record Result(long violationCount, List<String> violations, String summary) {
        public boolean passed() {
            return violationCount == 0;
        }
    }

    /** Tolerances for "flat" resources, end vs after warm-up (see docs/soak.md). */
    static final long HEAP_SLACK_BYTES = 48L << 20;
    static final int THREAD_SLACK = 8;
    static final int FD_SLACK = 16;
    static final Duration HANDSHAKE_IVL = Duration.ofSeconds(3);
    /** A request unanswered this long despite retries is lost. */
    static final long REQUEST_STUCK_MS = 60_000;

    private final ActorSystem<?> system;
    private final ZContext ctx;
    private final Settings settings;
    private final PrintStream out;
    private final Violations violations = new Violations();
    private final Path ipcDir;

    // senders (and REQ clients) stop first; receivers keep reading until the final checks are done
    private volatile boolean sending = true;
    private volatile boolean receiving = true;
    private volatile boolean chaosRunning = true;
    private final CountDownLatch chaosStop = new CountDownLatch(1);
    private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock(true);
    private final List<Thread> trafficThreads = Collections.synchronizedList(new ArrayList<>());
    private final List<Thread> chaosThreads = Collections.synchronizedList(new ArrayList<>());
    private final List<ZSocket> sockets = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
    private final Map<String, PyPeer> livePeers = new ConcurrentHashMap<>();

    // ledgers of the receiving ends
    private final Ledger pullTcp;
    private final Ledger pullIpc;
    private final Ledger pullCurve;
    private final Ledger slowSub;
    private final Ledger fastSub;
    // expected complete streams: ledger -> "sender#incarnation" -> message count
    private final Map<Ledger, Map<String, Long>> expected = new ConcurrentHashMap<>();
    private final Map<String, EnumMap<MonitorEventKind, AtomicLong>> monitorCounts = new ConcurrentHashMap<>();

    private SoakRunner(ActorSystem<?> system, Settings settings, PrintStream out) throws IOException {
        this.system = system;
        this.ctx = Rzmq.get(system).newContext("soak");
        this.settings = settings;
        this.out = out;
        this.ipcDir = Files.createTempDirectory("rzmq-soak");
        this.pullTcp = new Ledger("PULL tcp (rzmq)", Ledger.Mode.STRICT, violations);
        this.pullIpc = new Ledger("PULL ipc (rzmq)", Ledger.Mode.STRICT, violations);
        this.pullCurve = new Ledger("PULL tcp CURVE (rzmq)", Ledger.Mode.STRICT, violations);
        this.slowSub = new Ledger("slow SUB tcp (rzmq)", Ledger.Mode.MONOTONIC, violations);
        this.fastSub = new Ledger("churned SUB tcp (rzmq)", Ledger.Mode.MONOTONIC, violations);
    }

    /** Runs the soak in {@code system} and returns its result; prints progress and the summary to {@code out}. */
    public static Result run(ActorSystem<?> system, Settings settings, PrintStream out) throws Exception {
        SoakRunner r = new SoakRunner(system, settings, out);
        return r.run();
    }

    private AtomicLong counter(String name) {
        return counters.computeIfAbsent(name, k -> new AtomicLong());
    }

    // ------------------------------------------------------------------ the run

    private Result run() throws Exception {
        long t0 = System.nanoTime();
        boolean libzmq = settings.libzmq() && PyPeer.available();
        out.printf("soak: %s of traffic with disturbances, %d msg/s per sender, libzmq peers %s, %d cpus%n",
            settings.duration(), settings.rate(), libzmq ? "on" : "OFF (pyzmq not importable)",
            Runtime.getRuntime().availableProcessors());
        Resources start = Resources.settle(2_000);
        out.println("resources at start:        " + start.describe());

        Wiring w = wire(libzmq);

        long warmupMs = Math.max(5_000, Math.min(60_000, settings.duration().toMillis() / 6));
        pause(warmupMs);
        Resources warm;
        if (!gate.writeLock().tryLock(120, TimeUnit.SECONDS)) {
            violations.add("chaos iterations did not finish within 120 s for the warm-up measurement (a hang?)");
            warm = Resources.settle(20_000);
        } else {
            try {
                warm = Resources.settle(20_000);
            } finally {
                gate.writeLock().unlock();
            }
        }
        out.println("resources after warm-up:   " + warm.describe() + " (at " + warmupMs / 1000 + " s)");

        long endAt = t0 + settings.duration().toNanos();
        long nextReport = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < endAt) {
            pause(Math.min(1_000, Math.max(1, (endAt - System.nanoTime()) / 1_000_000)));
            if (System.nanoTime() >= nextReport) {
                nextReport += 60_000_000_000L;
                out.printf("  %d s: tcp %d, ipc %d, curve %d, sub %d+%d received; %d violations%n",
                    (System.nanoTime() - t0) / 1_000_000_000L, pullTcp.received(), pullIpc.received(),
                    pullCurve.received(), slowSub.received(), fastSub.received(), violations.count());
            }
        }

        // stop the disturbances; each finishes its iteration (a loop that does not is a hang)
        chaosRunning = false;
        chaosStop.countDown();
        joinAll(chaosThreads, 120_000, "disturbance");
        Resources end = Resources.settle(30_000);
        out.println("resources at end:          " + end.describe());

        finish(w);
        checkResources(warm, end);
        String summary = summary(w, start, warm, end, (System.nanoTime() - t0) / 1_000_000);
        out.print(summary);
        return new Result(violations.count(), violations.first(), summary);
    }

    /** Sockets and peers that the final checks need. */
    private static final class Wiring {
        final List<SteadySender> steady = new ArrayList<>();
        final List<ReqClient> reqClients = new ArrayList<>();
        PullTracker pyPull;
        final List<PyPushChain> pyPushes = new ArrayList<>();
        SteadySender pub;
        CountDownLatch jeromqDone;
        ZSocket pubSocket;
        String pubEndpoint;
    }

    private Wiring wire(boolean libzmq) throws Exception {
        Wiring w = new Wiring();
        // LINGER 1 s: a REQ whose REP was killed keeps its request queued, and LINGER -1 would wait for ever on close
        SocketOptions base = ctx.defaultOptions().withHandshakeIvl(HANDSHAKE_IVL).withReconnectIvl(Duration.ofMillis(100))
            .withLinger(Duration.ofSeconds(1));

        // --- PULL over tcp, bound: steady rzmq sender, abruptly closed rzmq sender, churned senders,
        //     a killed-and-restarted libzmq sender, garbage connections; the reader pauses now and then
        ZSocket pullTcpSock = socket(SocketType.PULL, base);
        String tcpEp = await(pullTcpSock.bind("tcp://127.0.0.1:*"));
        monitor(pullTcpSock, "PULL tcp");
        reader("pull-tcp", pullTcpSock, pullTcp, true, 0);
        // --- PULL over ipc, bound
        ZSocket pullIpcSock = socket(SocketType.PULL, base);
        String ipcEp = await(pullIpcSock.bind("ipc://" + ipcDir.resolve("pull.ipc")));
        reader("pull-ipc", pullIpcSock, pullIpc, false, 0);

        w.steady.add(steadySender("rz-tcp", socketConnected(SocketType.PUSH, base, tcpEp), null));
        w.steady.add(steadySender("rz-ipc", socketConnected(SocketType.PUSH, base, ipcEp), null));
        abruptSender("rz-abrupt", tcpEp, base);
        w.jeromqDone = jeromqSender("jeromq", tcpEp);
        churnSenders(List.of(tcpEp, ipcEp), List.of(pullTcp, pullIpc), base);

        // --- CURVE: a server PULL, one good client, clients with the wrong server key
        CurveKeyPair server = CurveKeyPair.generate();
        CurveKeyPair client = CurveKeyPair.generate();
        ZSocket curvePull = socket(SocketType.PULL, base.withCurveServer(true).withCurveSecretKey(server.secretKey()));
        String curveEp = await(curvePull.bind("tcp://127.0.0.1:*"));
        monitor(curvePull, "PULL tcp CURVE");
        reader("pull-curve", curvePull, pullCurve, false, 0);
        SocketOptions goodClient = base.withCurveServerKey(server.publicKey()).withCurvePublicKey(client.publicKey())
            .withCurveSecretKey(client.secretKey());
        w.steady.add(steadySender("curve-ok", socketConnected(SocketType.PUSH, goodClient, curveEp), null));
        wrongKeyClients(curveEp, base, libzmq);

        // --- garbage connections to the NULL and the CURVE listener
        Garbage garbage = new Garbage(HANDSHAKE_IVL.toMillis(), violations);
        this.garbage = garbage;
        garbageLoops(garbage, List.of(port(tcpEp), port(curveEp)));

        // --- REQ/REP with retries (REQ_RELAXED + REQ_CORRELATE), rzmq REQ bound, REP peers come and go
        SocketOptions reqOpts = base.withReqRelaxed(true).withReqCorrelate(true);
        ZSocket reqIpc = socket(SocketType.REQ, reqOpts);
        String reqIpcEp = await(reqIpc.bind("ipc://" + ipcDir.resolve("req.ipc")));
        abruptRep(reqIpcEp, base);
        w.reqClients.add(reqClient("req-ipc(rzmq REP)", reqIpc));

        // --- PUB/SUB: a slow SUB (drops allowed), a SUB that disconnects and reconnects, short-lived SUBs
        ZSocket pub = socket(SocketType.PUB, base);
        String pubEp = await(pub.bind("tcp://127.0.0.1:*"));
        w.pubSocket = pub;
        w.pubEndpoint = pubEp;
        ZSocket slow = socket(SocketType.SUB, base.withRcvHwm(100));
        await(slow.subscribe(""));
        await(slow.connect(pubEp));
        reader("sub-slow", slow, slowSub, false, 5);
        subChurn(pubEp, base);
        w.pub = steadySender("pub", pub, new byte[PUB_PADDING]);

        if (settings.attacks()) {
            attacks();
        }

        if (libzmq) {
            // libzmq PUSH -> rzmq PULL over tcp and ipc, SIGKILLed and restarted
            w.pyPushes.add(pyPushChain("py-tcp", tcpEp, pullTcp));
            w.pyPushes.add(pyPushChain("py-ipc", ipcEp, pullIpc));
            // rzmq PUSH (bound) -> libzmq PULL, SIGKILLed and restarted
            ZSocket toPy = socket(SocketType.PUSH, base);
            String toPyEp = await(toPy.bind("tcp://127.0.0.1:*"));
            w.pyPull = pyPullChain(toPyEp);
            w.steady.add(steadySender("rz-to-py", toPy, null));
            // rzmq REQ (bound, tcp) -> libzmq REP, SIGKILLed and restarted
            ZSocket reqTcp = socket(SocketType.REQ, reqOpts);
            String reqTcpEp = await(reqTcp.bind("tcp://127.0.0.1:*"));
            pyRepChain(reqTcpEp);
            w.reqClients.add(reqClient("req-tcp(libzmq REP)", reqTcp));
        }
        return w;
    }

    private Garbage garbage;

    // ------------------------------------------------------------------ building blocks

    private ZSocket socket(SocketType type, SocketOptions options) {
        ZSocket s = ZSocket.create(ctx, type, options);
        sockets.add(s);
        return s;
    }

    private ZSocket socketConnected(SocketType type, SocketOptions options, String endpoint) throws Exception {
        ZSocket s = socket(type, options);
        await(s.connect(endpoint));
        return s;
    }

    private static int port(String tcpEndpoint) {
        return URI.create(tcpEndpoint).getPort();
    }

    private void monitor(ZSocket s, String name) throws Exception {
        EnumMap<MonitorEventKind, AtomicLong> counts = new EnumMap<>(MonitorEventKind.class);
        for (MonitorEventKind k : MonitorEventKind.values()) {
            counts.put(k, new AtomicLong());
        }
        monitorCounts.put(name, counts);
        ActorRef<MonitorEvent> ref = system.systemActorOf(Behaviors.receiveMessage((MonitorEvent ev) -> {
            counts.get(ev.kind()).incrementAndGet();
            return Behaviors.same();
        }), "soak-monitor-" + name.replaceAll("[^A-Za-z0-9]", "-") + "-" + System.nanoTime(), Props.empty());
        await(s.monitor(ref));
    }

    private long failures(String monitorName) {
        EnumMap<MonitorEventKind, AtomicLong> c = monitorCounts.get(monitorName);
        return c.get(MonitorEventKind.HANDSHAKE_FAILED_PROTOCOL).get() + c.get(MonitorEventKind.HANDSHAKE_FAILED_NO_DETAIL).get()
            + c.get(MonitorEventKind.HANDSHAKE_FAILED_AUTH).get();
    }

    private void traffic(String name, Runnable body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                violations.add("traffic loop " + name + " failed: " + e);
            }
        }, "soak-" + name);
        t.setDaemon(true);
        trafficThreads.add(t);
        t.start();
    }

    /** A disturbance loop: {@code iteration} runs under the gate's read lock, then a random pause around {@code meanMs}. */
    private void chaos(String name, long meanMs, ThrowingRunnable iteration) {
        Thread t = new Thread(() -> {
            try {
                while (chaosRunning) {
                    if (!chaosStop.await(ThreadLocalRandom.current().nextLong(meanMs / 2, meanMs * 3 / 2 + 1), TimeUnit.MILLISECONDS)) {
                        gate.readLock().lock();
                        try {
                            if (chaosRunning) {
                                iteration.run();
                            }
                        } finally {
                            gate.readLock().unlock();
                        }
                    }
                }
            } catch (Throwable e) {
                violations.add("disturbance " + name + " failed: " + e);
            }
        }, "soak-chaos-" + name);
        t.setDaemon(true);
        chaosThreads.add(t);
        t.start();
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** Receives [sender, incarnation, seq] into {@code ledger}; a "pausing" reader stops for 1 s every 5 s. */
    private void reader(String name, ZSocket s, Ledger ledger, boolean pausing, long sleepPerMsgMs) {
        traffic(name, () -> {
            long nextPause = System.nanoTime() + 5_000_000_000L;
            while (receiving) {
                Msg m;
                try {
                    m = s.receive(Duration.ofMillis(200)).toCompletableFuture().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (code(e) == RzmqException.Code.EAGAIN) {
                        continue;
                    }
                    if (code(e) == RzmqException.Code.ETERM && !receiving) {
                        return;
                    }
                    throw new IllegalStateException(e.getCause());
                } catch (TimeoutException e) {
                    violations.add(name + ": a receive with a 200 ms timeout did not complete in 30 s");
                    continue;
                } catch (InterruptedException e) {
                    return;
                }
                if (m.frameCount() < 3) {
                    violations.add(name + ": message with " + m.frameCount() + " frames: " + m);
                    continue;
                }
                ledger.record(m.frame(0).asString(), m.frame(1).asString(), Long.parseLong(m.frame(2).asString()));
                if (sleepPerMsgMs > 0) {
                    sleepQuietly(sleepPerMsgMs);
                }
                if (pausing && System.nanoTime() > nextPause) {
                    sleepQuietly(1_000); // a consumer that stops reading for a while: senders must be held back, not lose
                    nextPause = System.nanoTime() + 5_000_000_000L;
                }
            }
        });
    }

    /** Sends [name, 0, seq] at the configured rate; a send that times out queued nothing and is retried. */
    final class SteadySender {
        final String name;
        final ZSocket socket;
        byte[] padding; // an extra frame, so that a slow reader's TCP buffers fill and the PUB must drop
        volatile long sent;
        final CountDownLatch done = new CountDownLatch(1);

        SteadySender(String name, ZSocket socket) {
            this.name = name;
            this.socket = socket;
        }

        void loop() {
            Pacer pacer = new Pacer(settings.rate());
            try {
                long seq = 0;
                while (sending) {
                    try {
                        Msg m = padding == null ? Msg.of(name, "0", Long.toString(seq))
                            : Msg.of(name.getBytes(StandardCharsets.UTF_8), ZERO, Long.toString(seq).getBytes(StandardCharsets.UTF_8), padding);
                        socket.send(m, Duration.ofSeconds(1))
                            .toCompletableFuture().get(30, TimeUnit.SECONDS);
                        seq++;
                        sent = seq;
                        pacer.tick();
                    } catch (ExecutionException e) {
                        if (code(e) != RzmqException.Code.EAGAIN) {
                            throw new IllegalStateException(name + " send failed", e.getCause());
                        }
                    } catch (TimeoutException e) {
                        violations.add(name + ": a send with a 1 s timeout did not complete in 30 s");
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                done.countDown();
            }
        }
    }

    private static final byte[] ZERO = {'0'};
    /** PUB messages carry 8 KiB: the kernel's socket buffers then hold ~1,000 of them, not the whole backlog. */
    static final int PUB_PADDING = 8192;
    /**
     * A backlog that no finite queue between the PUB and the slow SUB can hold: SNDHWM + RCVHWM (1,100)
     * plus loopback socket buffers (a few MiB: under 1,000 messages of 8 KiB), with a wide margin.
     */
    static final long PUB_BACKLOG_WITHOUT_DROPS = 10_000;

    private SteadySender steadySender(String name, ZSocket s, byte[] padding) {
        SteadySender sender = new SteadySender(name, s);
        sender.padding = padding;
        traffic("send-" + name, sender::loop);
        return sender;
    }

    /** Paces a sender: sleeps whenever it is ahead of {@code rate} per second (pacing, not synchronization). */
    static final class Pacer {
        private final long t0 = System.nanoTime();
        private final int rate;
        private long n;

        Pacer(int rate) {
            this.rate = Math.max(1, rate);
        }

        void tick() throws InterruptedException {
            n++;
            if (n % Math.max(1, rate / 50) == 0) {
                long ahead = t0 + n * 1_000_000_000L / rate - System.nanoTime();
                if (ahead > 0) {
                    TimeUnit.NANOSECONDS.sleep(ahead);
                }
            }
        }
    }

    /**
     * An rzmq PUSH that is closed with LINGER 0 every few seconds and replaced by a new one (a new
     * incarnation, seqs from 0). Allowed loss: the tail of each closed incarnation.
     */
    private void abruptSender(String name, String endpoint, SocketOptions base) throws Exception {
        record Inc(ZSocket socket, int inc) { }
        SocketOptions opts = base.withLinger(Duration.ZERO);
        AtomicReference<Inc> current = new AtomicReference<>(new Inc(socketConnected(SocketType.PUSH, opts, endpoint), 0));
        traffic("send-" + name, () -> {
            Pacer pacer = new Pacer(settings.rate());
            Inc inc = null;
            long seq = 0;
            try {
                while (sending) {
                    Inc now = current.get();
                    if (now != inc) {
                        inc = now;
                        seq = 0;
                    }
                    try {
                        inc.socket().send(Msg.of(name, Integer.toString(inc.inc()), Long.toString(seq)), Duration.ofSeconds(1))
                            .toCompletableFuture().get(30, TimeUnit.SECONDS);
                        seq++;
                        pacer.tick();
                    } catch (ExecutionException e) {
                        if (code(e) != RzmqException.Code.EAGAIN && code(e) != RzmqException.Code.ETERM) {
                            throw new IllegalStateException(e.getCause());
                        }
                    } catch (TimeoutException e) {
                        violations.add(name + ": a send with a 1 s timeout did not complete in 30 s");
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        chaos("close-" + name, settings.killEvery().toMillis() / 2, () -> {
            Inc old = current.get();
            ZSocket fresh = socketConnected(SocketType.PUSH, opts, endpoint);
            current.set(new Inc(fresh, old.inc() + 1));
            awaitClose(old.socket(), name);
            sockets.remove(old.socket());
            counter("in-process rzmq peers closed abruptly").incrementAndGet();
        });
    }

    /**
     * A JeroMQ PUSH (in this JVM) -> the tcp PULL. When the chaos loop asks, the sending thread closes it
     * with LINGER 0 and opens a new one (a new incarnation; allowed loss: the closed one's tail). The last
     * one is closed with LINGER 5 s after the senders stop, and must arrive whole.
     */
    private CountDownLatch jeromqSender(String name, String endpoint) {
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<CountDownLatch> closeRequest = new AtomicReference<>();
        traffic("send-" + name, () -> {
            org.zeromq.ZContext jctx = new org.zeromq.ZContext(1);
            try {
                Pacer pacer = new Pacer(settings.rate());
                int inc = 0;
                long seq = 0;
                org.zeromq.ZMQ.Socket push = jeromqPush(jctx, endpoint);
                while (sending) {
                    CountDownLatch req = closeRequest.getAndSet(null);
                    if (req != null) {
                        push.close(); // LINGER 0: whatever it still queued is dropped
                        push = jeromqPush(jctx, endpoint);
                        inc++;
                        seq = 0;
                        req.countDown();
                    }
                    // a multipart message is queued whole or not at all; false = SNDTIMEO passed, nothing queued
                    if (push.sendMore(name) && push.sendMore(Integer.toString(inc)) && push.send(Long.toString(seq))) {
                        seq++;
                        pacer.tick();
                    }
                }
                push.setLinger(5_000);
                push.close();
                expected.computeIfAbsent(pullTcp, k -> new ConcurrentHashMap<>()).put(name + "#" + inc, seq);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                jctx.close(); // waits for the last socket's LINGER
                done.countDown();
            }
        });
        chaos("close-" + name, settings.killEvery().toMillis() / 2, () -> {
            CountDownLatch l = new CountDownLatch(1);
            closeRequest.set(l);
            if (!l.await(30, TimeUnit.SECONDS)) {
                violations.add(name + ": the JeroMQ sender did not close and reopen its socket within 30 s");
            } else {
                counter("in-process JeroMQ peers closed abruptly").incrementAndGet();
            }
        });
        return done;
    }

    private static org.zeromq.ZMQ.Socket jeromqPush(org.zeromq.ZContext jctx, String endpoint) {
        org.zeromq.ZMQ.Socket s = jctx.createSocket(org.zeromq.SocketType.PUSH);
        s.setLinger(0);
        s.setSendTimeOut(1_000);
        s.setReconnectIVL(100);
        s.connect(endpoint);
        return s;
    }

    /**
     * Short-lived PUSH sockets that connect, send 100 messages and close with LINGER 10 s: every one of
     * their messages must arrive (their close is the graceful kind).
     */
    private void churnSenders(List<String> endpoints, List<Ledger> ledgers, SocketOptions base) {
        AtomicInteger incs = new AtomicInteger();
        SocketOptions opts = base.withLinger(Duration.ofSeconds(10));
        chaos("churn-push", 300, () -> {
            int inc = incs.getAndIncrement();
            int which = inc % endpoints.size();
            ZSocket s = socketConnected(SocketType.PUSH, opts, endpoints.get(which));
            for (int seq = 0; seq < 100; seq++) {
                await(s.send(Msg.of("churn", Integer.toString(inc), Integer.toString(seq))));
            }
            awaitClose(s, "churn PUSH");
            sockets.remove(s);
            expected.computeIfAbsent(ledgers.get(which), k -> new ConcurrentHashMap<>()).put("churn#" + inc, 100L);
            counter("connect/close churn (PUSH)").incrementAndGet();
        });
    }

    private void awaitClose(ZSocket s, String what) throws Exception {
        try {
            s.close().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            violations.add(what + ": close() did not complete within 30 s");
        }
    }

    /** CURVE clients with a wrong server key, alternately rzmq and libzmq: the server must refuse each. */
    private void wrongKeyClients(String endpoint, SocketOptions base, boolean libzmq) {
        AtomicInteger n = new AtomicInteger();
        chaos("curve-wrong-key", 1_000, () -> {
            CurveKeyPair wrongServer = CurveKeyPair.generate();
            CurveKeyPair me = CurveKeyPair.generate();
            long before = failures("PULL tcp CURVE");
            boolean py = libzmq && n.getAndIncrement() % 2 == 1;
            PyPeer peer = null;
            ZSocket s = null;
            if (py) {
                peer = PyPeer.start(Map.of("CURVE_SERVER_PUBLIC", Z85.encode(wrongServer.publicKey())), l -> { },
                    "push", endpoint, "curve-bad-py", "0", "100");
                counter("CURVE wrong-key clients (libzmq)").incrementAndGet();
            } else {
                s = socket(SocketType.PUSH, base.withLinger(Duration.ZERO).withCurveServerKey(wrongServer.publicKey())
                    .withCurvePublicKey(me.publicKey()).withCurveSecretKey(me.secretKey()));
                await(s.connect(endpoint));
                s.trySend(Msg.of("curve-bad", "0", "0"));
                counter("CURVE wrong-key clients (rzmq)").incrementAndGet();
            }
            boolean refused = waitFor(() -> failures("PULL tcp CURVE") > before, 20_000);
            if (!refused) {
                violations.add("a CURVE client (" + (py ? "libzmq" : "rzmq") + ") with a wrong server key was not reported "
                    + "as a handshake failure by the server within 20 s");
            }
            if (peer != null) {
                peer.kill();
            } else {
                awaitClose(s, "wrong-key CURVE PUSH");
                sockets.remove(s);
            }
        });
    }

    private void garbageLoops(Garbage g, List<Integer> ports) {
        List<Garbage.Kind> quick = List.of(Garbage.Kind.RANDOM, Garbage.Kind.HTTP, Garbage.Kind.BAD_VERSION,
            Garbage.Kind.BAD_MECHANISM, Garbage.Kind.HUGE_COMMAND);
        List<Garbage.Kind> stalling = List.of(Garbage.Kind.NO_BYTES_THEN_SILENT, Garbage.Kind.PARTIAL_GREETING,
            Garbage.Kind.PARTIAL_READY);
        AtomicInteger i = new AtomicInteger();
        chaos("garbage-quick", 100, () -> {
            int k = i.getAndIncrement();
            int port = ports.get(k % ports.size());
            g.attack("port " + port, "127.0.0.1", port, quick.get((k / ports.size()) % quick.size()));
        });
        AtomicInteger j = new AtomicInteger();
        chaos("garbage-stall", 200, () -> {
            int k = j.getAndIncrement();
            int port = ports.get(k % ports.size());
            g.attack("port " + port, "127.0.0.1", port, stalling.get((k / ports.size()) % stalling.size()));
        });
    }

    /** An in-process rzmq REP (connecting) that is closed with LINGER 0 every few seconds and replaced. */
    private void abruptRep(String endpoint, SocketOptions base) throws Exception {
        SocketOptions opts = base.withLinger(Duration.ZERO);
        AtomicReference<ZSocket> current = new AtomicReference<>(socketConnected(SocketType.REP, opts, endpoint));
        traffic("rep-rzmq", () -> {
            while (receiving) {
                ZSocket rep = current.get();
                try {
                    Msg q = rep.receive(Duration.ofMillis(200)).toCompletableFuture().get(30, TimeUnit.SECONDS);
                    rep.send(q, Duration.ofSeconds(1)).toCompletableFuture().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    RzmqException.Code c = code(e);
                    if (c != RzmqException.Code.EAGAIN && c != RzmqException.Code.ETERM && c != RzmqException.Code.EFSM) {
                        throw new IllegalStateException(e.getCause());
                    }
                } catch (TimeoutException e) {
                    violations.add("rzmq REP: a receive or send with a timeout did not complete in 30 s");
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        chaos("close-rep", settings.killEvery().toMillis() / 2, () -> {
            ZSocket old = current.get();
            current.set(socketConnected(SocketType.REP, opts, endpoint));
            awaitClose(old, "rzmq REP");
            sockets.remove(old);
            counter("in-process rzmq peers closed abruptly").incrementAndGet();
        });
    }

    /** A sequential REQ client: request ids 0, 1, 2, ...; a request unanswered for 2 s is sent again. */
    final class ReqClient {
        final String name;
        final ZSocket req;
        final AtomicLong answered = new AtomicLong();
        final AtomicLong retries = new AtomicLong();

        ReqClient(String name, ZSocket req) {
            this.name = name;
            this.req = req;
        }

        void loop() {
            long id = 0;
            long since = System.currentTimeMillis();
            boolean stuckReported = false;
            Pacer pacer = new Pacer(Math.max(1, settings.rate() / 5));
            try {
                while (sending) {
                    if (!stuckReported && System.currentTimeMillis() - since > REQUEST_STUCK_MS) {
                        violations.add(name + ": request " + id + " unanswered for " + REQUEST_STUCK_MS / 1000 + " s despite retries");
                        stuckReported = true;
                    }
                    try {
                        req.send(Msg.of(name, Long.toString(id)), Duration.ofSeconds(2)).toCompletableFuture().get(30, TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        if (code(e) != RzmqException.Code.EAGAIN) {
                            throw new IllegalStateException(e.getCause());
                        }
                        retries.incrementAndGet();
                        continue;
                    }
                    try {
                        Msg r = req.receive(Duration.ofSeconds(2)).toCompletableFuture().get(30, TimeUnit.SECONDS);
                        if (r.frameCount() != 2 || !r.frame(0).asString().equals(name)
                            || !r.frame(1).asString().equals(Long.toString(id))) {
                            violations.add(name + ": waiting for the reply to request " + id + ", got " + r);
                            continue;
                        }
                        answered.incrementAndGet();
                        id++;
                        since = System.currentTimeMillis();
                        stuckReported = false;
                        pacer.tick();
                    } catch (ExecutionException e) {
                        if (code(e) != RzmqException.Code.EAGAIN) {
                            throw new IllegalStateException(e.getCause());
                        }
                        retries.incrementAndGet(); // REQ_RELAXED: send the same id again
                    }
                }
            } catch (TimeoutException e) {
                violations.add(name + ": a send or receive with a 2 s timeout did not complete in 30 s");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private ReqClient reqClient(String name, ZSocket req) {
        ReqClient c = new ReqClient(name, req);
        traffic(name, c::loop);
        return c;
    }

    /** SUB churn: the long-lived SUB disconnects and reconnects; short-lived SUBs connect, read a little, close. */
    private void subChurn(String pubEp, SocketOptions base) throws Exception {
        ZSocket sub = socket(SocketType.SUB, base);
        await(sub.subscribe(""));
        await(sub.connect(pubEp));
        reader("sub-churned", sub, fastSub, false, 0);
        chaos("sub-reconnect", 2_000, () -> {
            await(sub.disconnect(pubEp));
            sleepQuietly(200);
            await(sub.connect(pubEp));
            counter("connect/disconnect churn (SUB)").incrementAndGet();
        });
        AtomicInteger n = new AtomicInteger();
        chaos("sub-short-lived", 500, () -> {
            ZSocket s = socket(SocketType.SUB, base.withLinger(Duration.ZERO));
            Ledger l = new Ledger("short-lived SUB " + n.getAndIncrement(), Ledger.Mode.MONOTONIC, violations);
            await(s.subscribe(""));
            await(s.connect(pubEp));
            long deadline = System.currentTimeMillis() + 3_000;
            while (l.received() < 20 && System.currentTimeMillis() < deadline) {
                try {
                    Msg m = s.receive(Duration.ofMillis(200)).toCompletableFuture().get(30, TimeUnit.SECONDS);
                    l.record(m.frame(0).asString(), m.frame(1).asString(), Long.parseLong(m.frame(2).asString()));
                } catch (ExecutionException e) {
                    if (code(e) != RzmqException.Code.EAGAIN) {
                        throw e;
                    }
                }
            }
            awaitClose(s, "short-lived SUB");
            sockets.remove(s);
            counter("connect/close churn (SUB)").incrementAndGet();
        });
    }

    // ------------------------------------------------------------------ memory attacks (issue 12 defects 1 and 5)

    /** Heap bound for {@link #attacks()}'s pre-handshake flood: what 300 silent connections may add. */
    static final long FLOOD_HEAP_SLACK_BYTES = 64L << 20;
    static final int FLOOD_CONNECTIONS = 300;
    /**
     * An unfinished multipart message must be refused before it reaches this size or frame count: twice the
     * default MAXMSGSIZE (256 MiB) and 16 times rzmq.message.max-frames (65,536). At exactly 256 MiB the
     * sender finished writing before the receiver, reading behind the socket buffers, could refuse it.
     */
    static final long ENDLESS_CAP_BYTES = 512L << 20;
    static final long ENDLESS_CAP_FRAMES = 1L << 20;

    /**
     * The memory attacks of issue 12, which took the process down before its fixes. Both target a PULL
     * with default options.
     * Defect 1: 300 connections each declaring a 1 MiB command frame before their handshake must not
     * cost more than 64 MiB of heap. Defect 5: one message of MORE frames that never ends (64 KiB frames
     * up to 256 MiB, or empty frames up to 2^20 of them) must make the receiver close the connection.
     */
    private void attacks() throws Exception {
        ZSocket target = socket(SocketType.PULL, ctx.defaultOptions().withLinger(Duration.ofSeconds(1)));
        String ep = await(target.bind("tcp://127.0.0.1:*"));
        monitor(target, "PULL tcp defaults");
        Ledger sink = new Ledger("PULL tcp defaults", Ledger.Mode.MONOTONIC, violations);
        reader("pull-defaults", target, sink, false, 0);
        int port = port(ep);
        chaos("pre-handshake-flood", 30_000, () -> {
            long before = heapAfterGc();
            long accepted = monitorCounts.get("PULL tcp defaults").get(MonitorEventKind.ACCEPTED).get();
            List<java.net.Socket> open = Garbage.preHandshakeFlood("127.0.0.1", port, FLOOD_CONNECTIONS);
            try {
                waitFor(() -> monitorCounts.get("PULL tcp defaults").get(MonitorEventKind.ACCEPTED).get()
                    >= accepted + FLOOD_CONNECTIONS, 10_000);
                long worst = 0;
                for (int i = 0; i < 3; i++) {
                    Thread.sleep(500);
                    worst = Math.max(worst, heapAfterGc() - before);
                }
                counter("pre-handshake floods of " + FLOOD_CONNECTIONS + "").incrementAndGet();
                if (worst > FLOOD_HEAP_SLACK_BYTES) {
                    violations.add("[issue 12 defect 1] " + FLOOD_CONNECTIONS + " connections each declaring "
                        + "a 1 MiB frame before their handshake grew the heap (after GC) by "
                        + (worst >> 20) + " MiB (allowed " + (FLOOD_HEAP_SLACK_BYTES >> 20) + " MiB)");
                }
            } finally {
                Garbage.closeAll(open);
            }
        });
        AtomicInteger n = new AtomicInteger();
        chaos("endless-multipart", 30_000, () -> {
            boolean empty = n.getAndIncrement() % 2 == 1;
            Garbage.EndlessOutcome o = Garbage.endlessMultipart("127.0.0.1", port, empty ? 0 : 65536,
                ENDLESS_CAP_BYTES, ENDLESS_CAP_FRAMES);
            counter("endless multipart messages: " + o).incrementAndGet();
            if (o == Garbage.EndlessOutcome.REACHED_CAP) {
                violations.add("[issue 12 defect 5] the receiver kept a connection whose unfinished multipart "
                    + "message reached " + (empty ? ENDLESS_CAP_FRAMES + " empty frames" : (ENDLESS_CAP_BYTES >> 20) + " MiB"));
            }
        });
    }

    private static long heapAfterGc() throws InterruptedException {
        System.gc();
        Thread.sleep(50);
        return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    // ------------------------------------------------------------------ libzmq peers

    /**
     * A libzmq PUSH that is SIGKILLed and restarted (new incarnation) every few seconds. Allowed loss: the
     * tail of each killed incarnation; the last incarnation is stopped cleanly and must arrive whole.
     */
    final class PyPushChain {
        final String name;
        final String endpoint;
        final Ledger ledger;
        volatile PyPeer peer;
        volatile int inc;
        final AtomicLong sentByLast = new AtomicLong(-1);

        PyPushChain(String name, String endpoint, Ledger ledger) {
            this.name = name;
            this.endpoint = endpoint;
            this.ledger = ledger;
        }

        void start(int incarnation) throws Exception {
            inc = incarnation;
            peer = PyPeer.start(Map.of(), line -> {
                if (line.startsWith("SENT ")) {
                    sentByLast.set(Long.parseLong(line.substring(5).trim()));
                }
            }, "push", endpoint, name, Integer.toString(incarnation), Integer.toString(settings.rate()));
            livePeers.put(name, peer);
            if (!peer.awaitReady(30_000)) {
                violations.add(name + ": libzmq peer not ready within 30 s");
            }
        }
    }

    private PyPushChain pyPushChain(String name, String endpoint, Ledger ledger) throws Exception {
        PyPushChain c = new PyPushChain(name, endpoint, ledger);
        c.start(0);
        chaos("kill-" + name, settings.killEvery().toMillis(), () -> {
            c.peer.kill();
            counter("libzmq peers SIGKILLed and restarted").incrementAndGet();
            c.start(c.inc + 1);
        });
        return c;
    }

    /**
     * A libzmq PULL fed by a bound rzmq PUSH, SIGKILLed and restarted. It checks its own incarnation's
     * seqs are consecutive (VIOLATION lines); here: a new incarnation starts after what the killed one
     * last reported (nothing it already had is delivered again), and the last one gets everything to the end.
     */
    final class PullTracker {
        volatile PyPeer peer;
        volatile int inc;
        final AtomicLong lastAt = new AtomicLong(-1);
        final AtomicLong prevLastAt = new AtomicLong(-1);
        final AtomicLong received = new AtomicLong();
        final AtomicLong receivedByKilled = new AtomicLong();
        final AtomicLong currentCount = new AtomicLong();
        volatile String done;
        String endpoint;

        void start(int incarnation) throws Exception {
            inc = incarnation;
            long floor = lastAt.get();
            prevLastAt.set(floor);
            currentCount.set(0);
            peer = PyPeer.start(Map.of(), line -> {
                if (line.startsWith("FIRST ")) {
                    long first = Long.parseLong(line.substring(6).trim());
                    if (first <= floor) {
                        violations.add("libzmq PULL incarnation " + incarnation + " began at seq " + first
                            + " but the previous one had already received up to " + floor + " (duplicate)");
                    }
                } else if (line.startsWith("AT ")) {
                    String[] p = line.split(" ");
                    long at = Long.parseLong(p[1]);
                    if (at >= 0) {
                        lastAt.set(at);
                    }
                    currentCount.set(Long.parseLong(p[2]));
                } else if (line.startsWith("VIOLATION ")) {
                    violations.add("libzmq PULL incarnation " + incarnation + ": " + line.substring(10));
                } else if (line.startsWith("DONE ")) {
                    String[] p = line.split(" ");
                    lastAt.set(Long.parseLong(p[1]));
                    currentCount.set(Long.parseLong(p[2]));
                    done = line;
                }
            }, "pull", endpoint);
            livePeers.put("py-pull", peer);
            if (!peer.awaitReady(30_000)) {
                violations.add("py-pull: libzmq peer not ready within 30 s");
            }
        }
    }

    private PullTracker pyPullChain(String endpoint) throws Exception {
        PullTracker t = new PullTracker();
        t.endpoint = endpoint;
        t.start(0);
        chaos("kill-py-pull", settings.killEvery().toMillis(), () -> {
            t.peer.kill();
            t.receivedByKilled.addAndGet(t.currentCount.get());
            counter("libzmq peers SIGKILLed and restarted").incrementAndGet();
            t.start(t.inc + 1);
        });
        return t;
    }

    private void pyRepChain(String endpoint) throws Exception {
        AtomicReference<PyPeer> rep = new AtomicReference<>(PyPeer.start(Map.of(), l -> { }, "rep", endpoint));
        livePeers.put("py-rep", rep.get());
        rep.get().awaitReady(30_000);
        chaos("kill-py-rep", settings.killEvery().toMillis(), () -> {
            rep.get().kill();
            counter("libzmq peers SIGKILLed and restarted").incrementAndGet();
            PyPeer p = PyPeer.start(Map.of(), l -> { }, "rep", endpoint);
            rep.set(p);
            livePeers.put("py-rep", p);
            if (!p.awaitReady(30_000)) {
                violations.add("py-rep: libzmq peer not ready within 30 s");
            }
        });
    }

    // ------------------------------------------------------------------ the end

    private void finish(Wiring w) throws Exception {
        // stop the sequenced senders, note what each sent, and stop the libzmq PUSHes cleanly
        sending = false;
        for (SteadySender s : w.steady) {
            if (!s.done.await(60, TimeUnit.SECONDS)) {
                violations.add(s.name + ": the sender did not stop within 60 s");
            }
        }
        Map<String, Ledger> ledgerOf = Map.of("rz-tcp", pullTcp, "rz-ipc", pullIpc, "curve-ok", pullCurve);
        for (SteadySender s : w.steady) {
            Ledger l = ledgerOf.get(s.name);
            if (l != null) {
                expected.computeIfAbsent(l, k -> new ConcurrentHashMap<>()).put(s.name + "#0", s.sent);
            }
        }
        if (!w.jeromqDone.await(60, TimeUnit.SECONDS)) {
            violations.add("jeromq: the sender did not stop within 60 s");
        }
        for (PyPushChain c : w.pyPushes) {
            if (!c.peer.stop(60_000) || c.sentByLast.get() < 0) {
                violations.add(c.name + ": the last libzmq PUSH did not stop cleanly and report what it sent");
            } else {
                expected.computeIfAbsent(c.ledger, k -> new ConcurrentHashMap<>()).put(c.name + "#" + c.inc, c.sentByLast.get());
            }
        }
        // the readers keep running until every complete stream is in (or 60 s pass)
        waitFor(this::allExpectedArrived, 60_000);
        if (w.pyPull != null) {
            long last = w.steady.stream().filter(s -> s.name.equals("rz-to-py")).findFirst().orElseThrow().sent - 1;
            waitFor(() -> w.pyPull.lastAt.get() >= last, 60_000);
            w.pyPull.peer.stop(30_000);
            if (w.pyPull.lastAt.get() != last) {
                violations.add("libzmq PULL (live at the end) got up to seq " + w.pyPull.lastAt.get() + " of 0.." + last
                    + " sent by the rzmq PUSH (loss between live peers)");
            }
        }
        receiving = false;
        for (Map.Entry<Ledger, Map<String, Long>> e : expected.entrySet()) {
            for (Map.Entry<String, Long> s : e.getValue().entrySet()) {
                String[] key = s.getKey().split("#");
                long got = e.getKey().count(key[0], key[1]);
                if (got != s.getValue()) {
                    violations.add(e.getKey().name() + ": stream " + s.getKey() + " sent " + s.getValue() + " messages, "
                        + got + " arrived (loss between live peers)");
                }
            }
        }
        if (pullCurve.hasSenderPrefix("curve-bad")) {
            violations.add("a message from a CURVE client with a wrong server key was delivered");
        }
        if (slowSub.received() == 0 || fastSub.received() == 0) {
            violations.add("a SUB received nothing (slow " + slowSub.received() + ", churned " + fastSub.received() + ")");
        }
        long backlog = w.pub.sent - slowSub.received();
        if (backlog > PUB_BACKLOG_WITHOUT_DROPS && slowSub.dropped() == 0) {
            violations.add("the slow SUB is " + backlog + " messages behind the PUB and none was dropped: "
                + "some queue between them is not bounded");
        }
        for (ReqClient c : w.reqClients) {
            if (c.answered.get() == 0) {
                violations.add(c.name + ": no request was answered");
            }
        }
        if (garbage.attempts.get() > 0 && failures("PULL tcp") == 0) {
            violations.add("no garbage connection was reported as a handshake failure by the PULL's monitor");
        }
        joinAll(trafficThreads, 60_000, "traffic");
        for (PyPeer p : livePeers.values()) {
            if (p.isAlive()) {
                p.kill();
            }
        }
        // every socket has a finite LINGER (1 s, churn PUSHes 10 s): a close that outlasts 30 s is a hang
        for (ZSocket s : List.copyOf(sockets)) {
            awaitClose(s, "final close of " + s);
        }
        try {
            ctx.close().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            violations.add("the soak's context did not close within 30 s");
        }
    }

    private boolean allExpectedArrived() {
        for (Map.Entry<Ledger, Map<String, Long>> e : expected.entrySet()) {
            for (Map.Entry<String, Long> s : e.getValue().entrySet()) {
                String[] key = s.getKey().split("#");
                if (e.getKey().count(key[0], key[1]) < s.getValue()) {
                    return false;
                }
            }
        }
        return true;
    }

    private void checkResources(Resources warm, Resources end) {
        if (end.heapBytes() > warm.heapBytes() + Math.max(HEAP_SLACK_BYTES, warm.heapBytes() / 4)) {
            violations.add("heap after GC grew from " + warm.describe() + " to " + end.describe());
        }
        if (end.threads() > warm.threads() + THREAD_SLACK) {
            violations.add("threads grew from " + warm.threads() + " to " + end.threads() + " (+" + THREAD_SLACK + " allowed)");
        }
        if (end.fds() > warm.fds() + FD_SLACK) {
            violations.add("open fds grew from " + warm.fds() + " to " + end.fds() + " (+" + FD_SLACK + " allowed)");
        }
    }

    private String summary(Wiring w, Resources start, Resources warm, Resources end, long elapsedMs) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("%n== soak summary (%.1f s in all, %s of traffic)%n", elapsedMs / 1000.0, settings.duration()));
        b.append("messages received, per receiving socket and sender (all incarnations):\n");
        for (Ledger l : List.of(pullTcp, pullIpc, pullCurve, slowSub, fastSub)) {
            b.append(String.format("  %-24s %9d in %d streams", l.name(), l.received(), l.streamCount()));
            if (l == slowSub || l == fastSub) {
                b.append(String.format(", %d dropped (allowed: PUB to a slow/reconnecting SUB)", l.dropped()));
            }
            b.append("  ").append(l.perSender()).append('\n');
        }
        for (SteadySender s : w.steady) {
            b.append(String.format("  sent by %-16s %9d%n", s.name, s.sent));
        }
        b.append(String.format("  sent by %-16s %9d%n", "pub", w.pub.sent));
        if (w.pyPull != null) {
            b.append(String.format("  libzmq PULL (restarted %d times): %d received by killed incarnations, %d by the last (up to seq %d)%n",
                w.pyPull.inc, w.pyPull.receivedByKilled.get(), w.pyPull.currentCount.get(), w.pyPull.lastAt.get()));
        }
        for (ReqClient c : w.reqClients) {
            b.append(String.format("  REQ/REP %-22s %7d requests answered, %d retries%n", c.name, c.answered.get(), c.retries.get()));
        }
        b.append("disturbances:\n");
        counters.entrySet().stream().sorted(Map.Entry.comparingByKey())
            .forEach(e -> b.append(String.format("  %-44s %7d%n", e.getKey(), e.getValue().get())));
        b.append(String.format("  %-44s %7d (%d refused by the listener, %d could not connect)%n", "garbage connections",
            garbage.attempts.get(), garbage.closedByServer.get(), garbage.connectFailed.get()));
        for (Map.Entry<String, EnumMap<MonitorEventKind, AtomicLong>> m : monitorCounts.entrySet()) {
            b.append(String.format("  monitor of %-16s accepted %d, handshakes ok %d, failed: protocol %d, no detail %d, auth %d, disconnected %d%n",
                m.getKey(), m.getValue().get(MonitorEventKind.ACCEPTED).get(), m.getValue().get(MonitorEventKind.HANDSHAKE_SUCCEEDED).get(),
                m.getValue().get(MonitorEventKind.HANDSHAKE_FAILED_PROTOCOL).get(), m.getValue().get(MonitorEventKind.HANDSHAKE_FAILED_NO_DETAIL).get(),
                m.getValue().get(MonitorEventKind.HANDSHAKE_FAILED_AUTH).get(), m.getValue().get(MonitorEventKind.DISCONNECTED).get()));
        }
        b.append("resources (heap after GC, threads, /proc/self/fd):\n");
        b.append("  start          ").append(start.describe()).append('\n');
        b.append("  after warm-up  ").append(warm.describe()).append('\n');
        b.append("  end            ").append(end.describe()).append(String.format(
            "   (allowed: heap +max(%d MiB, 25%%), threads +%d, fds +%d)%n", HEAP_SLACK_BYTES >> 20, THREAD_SLACK, FD_SLACK));
        long n = violations.count();
        b.append(n == 0 ? "result: PASS, no violations\n" : "result: FAIL, " + n + " violations:\n");
        for (String v : violations.first()) {
            b.append("  - ").append(v).append('\n');
        }
        return b.toString();
    }

    // ------------------------------------------------------------------ helpers

    private void joinAll(List<Thread> threads, long ms, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + ms;
        for (Thread t : List.copyOf(threads)) {
            t.join(Math.max(1, deadline - System.currentTimeMillis()));
            if (t.isAlive()) {
                StringBuilder st = new StringBuilder();
                for (StackTraceElement e : t.getStackTrace()) {
                    st.append("\n      at ").append(e);
                }
                violations.add(what + " thread " + t.getName() + " did not end within " + ms / 1000 + " s (a hang):" + st);
                t.interrupt();
            }
        }
    }

    private static RzmqException.Code code(ExecutionException e) {
        return e.getCause() instanceof RzmqException re ? re.code() : null;
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** Polls {@code condition} every 50 ms until it holds or {@code ms} pass. */
    private static boolean waitFor(BooleanSupplier condition, long ms) throws InterruptedException {
        long deadline = System.currentTimeMillis() + ms;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    private void pause(long ms) throws InterruptedException {
        Thread.sleep(ms);
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
