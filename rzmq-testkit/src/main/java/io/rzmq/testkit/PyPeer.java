package io.rzmq.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A pyzmq (libzmq) peer process running the testkit's zmq_peer.py under /usr/bin/python3. Lines it
 * prints are collected for deadline-bounded waits; {@link #close()} kills it.
 */
public final class PyPeer implements AutoCloseable {
    private static final Path SCRIPT = extractScript();

    private final Process process;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();

    private PyPeer(Process process) {
        this.process = process;
        Thread reader = new Thread(() -> pump(process.getInputStream()), "pypeer-out");
        reader.setDaemon(true);
        reader.start();
        Thread err = new Thread(() -> pump(process.getErrorStream()), "pypeer-err");
        err.setDaemon(true);
        err.start();
    }

    /** Whether /usr/bin/python3 can import zmq (interop tests are skipped otherwise); asked once per JVM. */
    public static boolean available() {
        return Availability.AVAILABLE;
    }

    private static final class Availability {
        static final boolean AVAILABLE = probe();

        private static boolean probe() {
            try {
                Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import zmq").redirectErrorStream(true).start();
                return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (IOException | InterruptedException e) {
                return false;
            }
        }
    }

    /** Starts {@code zmq_peer.py mode how endpoint args...}. */
    public static PyPeer start(String... args) {
        return start(Map.of(), args);
    }

    /** Starts the peer with extra environment variables (e.g. CURVE keys). */
    public static PyPeer start(Map<String, String> env, String... args) {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", "-u", SCRIPT.toString()));
        cmd.addAll(List.of(args));
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().putAll(env);
            return new PyPeer(pb.start());
        } catch (IOException e) {
            throw new AssertionError("cannot start python peer", e);
        }
    }

    private void pump(InputStream in) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException ignored) {
            // process gone
        }
    }

    /** The next printed line matching {@code p} (earlier non-matching lines are skipped and kept in {@link #seen()}). */
    public String awaitLine(Predicate<String> p, Duration timeout) {
        String line = nextLine(p, timeout);
        if (line == null) {
            throw new AssertionError("python peer printed no matching line within " + timeout
                + "; alive=" + process.isAlive() + ", lines so far: " + seen);
        }
        return line;
    }

    /** Like {@link #awaitLine(Predicate, Duration)}, but null when no matching line came within {@code timeout}. */
    public String nextLine(Predicate<String> p, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String line;
            try {
                line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            if (line == null) {
                return null;
            }
            seen.add(line);
            if (p.test(line)) {
                return line;
            }
        }
    }

    public String awaitLine(String prefix) {
        return awaitLine(l -> l.startsWith(prefix), Awaits.TIMEOUT);
    }

    /** The endpoint from the READY line. */
    public String awaitReady() {
        return awaitLine("READY ").substring("READY ".length());
    }

    /** The peer process's id (what an ipc peer's credentials name). */
    public long pid() {
        return process.pid();
    }

    public List<String> seen() {
        return seen;
    }

    /** Writes one command line to the peer's stdin (mode "drive"). */
    public void command(String line) {
        try {
            process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
        } catch (IOException e) {
            throw new AssertionError("cannot write to the python peer (alive=" + process.isAlive() + ")", e);
        }
    }

    /** Sends a command (mode "drive") and waits for its "OK" answer. */
    public void commandAndWait(String line) {
        command(line);
        String word = line.split(" ", 2)[0];
        awaitLine(l -> l.equals("OK " + word), Awaits.TIMEOUT);
    }

    /** Closes the peer's stdin: it finishes what it does and exits. */
    public void closeInput() {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    /**
     * Freezes the process (SIGSTOP): its connections stay open and the kernel keeps acknowledging, but
     * libzmq neither reads nor writes: a peer behind a silent network. {@link #close()} still kills it.
     */
    public void freeze() {
        signal("-STOP");
    }

    private void signal(String sig) {
        try {
            Process kill = new ProcessBuilder("kill", sig, Long.toString(process.pid())).redirectErrorStream(true).start();
            if (!kill.waitFor(20, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new AssertionError("kill " + sig + " failed for the python peer");
            }
        } catch (IOException e) {
            throw new AssertionError("cannot signal the python peer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Kills the process (SIGKILL) and waits for it to be gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        kill();
    }

    private static Path extractScript() {
        try (InputStream in = PyPeer.class.getResourceAsStream("zmq_peer.py")) {
            Path p = Files.createTempFile("zmq_peer", ".py");
            p.toFile().deleteOnExit();
            Files.write(p, in.readAllBytes());
            return p;
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
