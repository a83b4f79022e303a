package io.rzmq.protocol.security;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/** A pyzmq (libzmq) peer in a child process: a script, its stdout lines, and a kill in close(). */
final class PythonPeer implements AutoCloseable {
    static final String PYTHON = "/usr/bin/python3";

    private final Process process;
    private final BlockingQueue<String> lines = new ArrayBlockingQueue<>(1000);
    private final List<String> stderr = new ArrayList<>();

    private PythonPeer(Process process) {
        this.process = process;
        Thread out = new Thread(() -> pump(new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)), true));
        Thread err = new Thread(() -> pump(new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)), false));
        out.setDaemon(true);
        err.setDaemon(true);
        out.start();
        err.start();
    }

    /** True when python3 with a CURVE-capable pyzmq is installed. */
    static boolean curveAvailable() {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            return false;
        }
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import zmq, sys; sys.exit(0 if zmq.has('curve') else 1)")
                .redirectErrorStream(true).start();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static PythonPeer start(String script, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(PYTHON);
        cmd.add("-c");
        cmd.add(script);
        cmd.addAll(List.of(args));
        return new PythonPeer(new ProcessBuilder(cmd).start());
    }

    private void pump(BufferedReader reader, boolean toQueue) {
        try {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (toQueue) {
                    lines.offer(line);
                } else {
                    synchronized (stderr) {
                        stderr.add(line);
                    }
                }
            }
        } catch (IOException ignored) {
            // the process went away
        }
    }

    /** The next stdout line, waiting at most {@code seconds}. */
    String nextLine(int seconds) throws InterruptedException {
        String line = lines.poll(seconds, TimeUnit.SECONDS);
        if (line == null) {
            throw new AssertionError("python peer printed nothing within " + seconds + " s; stderr: " + stderr());
        }
        return line;
    }

    /** Waits for the process to end and returns its exit code. */
    int waitFor(int seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError("python peer still running after " + seconds + " s; stderr: " + stderr());
        }
        return process.exitValue();
    }

    String stderr() {
        synchronized (stderr) {
            return String.join("\n", stderr);
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
