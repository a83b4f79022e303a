package io.rzmq.samples.soak;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One run of soak_peer.py (libzmq through pyzmq) under /usr/bin/python3. Each stdout line goes to the
 * given handler; {@link #kill()} is SIGKILL, {@link #stop()} closes stdin so the peer finishes cleanly.
 */
final class PyPeer {
    static final String PYTHON = "/usr/bin/python3";
    private static Path script;

    private final Process process;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final CountDownLatch eof = new CountDownLatch(1);

    private PyPeer(Process process, Consumer<String> onLine) {
        this.process = process;
        Thread out = new Thread(() -> {
            pump(process.getInputStream(), line -> {
                if (line.equals("READY")) {
                    ready.countDown();
                } else {
                    onLine.accept(line);
                }
            });
            eof.countDown();
        }, "soak-py-out");
        out.setDaemon(true);
        out.start();
        Thread err = new Thread(() -> pump(process.getErrorStream(), l -> System.err.println("soak_peer.py: " + l)),
            "soak-py-err");
        err.setDaemon(true);
        err.start();
    }

    static boolean available() {
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import zmq").redirectErrorStream(true).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    static PyPeer start(Map<String, String> env, Consumer<String> onLine, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(PYTHON, "-u", script().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        return new PyPeer(pb.start(), onLine);
    }

    private static synchronized Path script() throws IOException {
        if (script == null) {
            try (InputStream in = PyPeer.class.getResourceAsStream("/soak/soak_peer.py")) {
                Path p = Files.createTempFile("soak_peer", ".py");
                p.toFile().deleteOnExit();
                Files.write(p, in.readAllBytes());
                script = p;
            }
        }
        return script;
    }

    private static void pump(InputStream in, Consumer<String> sink) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                sink.accept(line);
            }
        } catch (IOException ignored) {
            // the process is gone
        }
    }

    /** Waits until the peer's socket is set up (its READY line). */
    boolean awaitReady(long ms) throws InterruptedException {
        return ready.await(ms, TimeUnit.MILLISECONDS);
    }

    /** SIGKILL, then waits for the process and its output to end. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(20, TimeUnit.SECONDS);
        eof.await(20, TimeUnit.SECONDS);
    }

    /** Closes stdin (the peer ends cleanly) and waits up to {@code ms} for it to exit; kills it otherwise. */
    boolean stop(long ms) throws InterruptedException {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // already gone
        }
        boolean exited = process.waitFor(ms, TimeUnit.MILLISECONDS) && eof.await(ms, TimeUnit.MILLISECONDS);
        if (!exited) {
            kill();
        }
        return exited;
    }

    boolean isAlive() {
        return process.isAlive();
    }
}
