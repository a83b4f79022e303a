package io.rzmq.testkit;

import java.io.BufferedReader;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Runs this process out of file descriptors for real (Linux, {@code /usr/bin/prlimit}): the soft
 * RLIMIT_NOFILE is lowered to the lowest free descriptor number, so the next accept() or open() fails with
 * EMFILE, and {@link #restore()} puts the limit back. Everything that needs a descriptor of ours is started
 * by {@link #prepare(String, boolean)} while the limit is still high: the process that will restore it and a client
 * (another process) that connects when {@link #connectClient()} tells it.
 */
public final class DescriptorLimit implements AutoCloseable {
    private static final Path PRLIMIT = Path.of("/usr/bin/prlimit");

    private final long pid = ProcessHandle.current().pid();
    private final long[] limits;
    private final Process restorer;
    private final Process client;
    private final BufferedReader fromClient;
    private boolean restored = true;

    private DescriptorLimit(long[] limits, Process restorer, Process client) {
        this.limits = limits;
        this.restorer = restorer;
        this.client = client;
        this.fromClient = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Whether this can run here: Linux with prlimit and python3. */
    public static boolean available() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")
            && Files.isExecutable(PRLIMIT) && Files.isExecutable(Path.of("/usr/bin/python3"));
    }

    /**
     * Starts the restorer and a client for {@code address}: "host:port" (tcp) or a Unix socket path (ipc,
     * {@code ipc} true).
     */
    public static DescriptorLimit prepare(String address, boolean ipc) throws IOException {
        long[] limits = openFileLimits();
        long pid = ProcessHandle.current().pid();
        Process client = new ProcessBuilder("/usr/bin/python3", "-c", String.join("\n",
            "import socket, sys",
            "sys.stdin.readline()",
            ipc ? "s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); s.connect(sys.argv[1])"
                : "h, p = sys.argv[1].rsplit(':', 1); s = socket.create_connection((h, int(p)))",
            "print('CONNECTED', flush=True)",
            "sys.stdin.read()"), address).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Process restorer = new ProcessBuilder("/bin/sh", "-c",
            "read line; exec " + PRLIMIT + " --pid " + pid + " --nofile=" + limits[0] + ":" + limits[1])
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        return new DescriptorLimit(limits, restorer, client);
    }

    /**
     * Sets the soft limit to the lowest free descriptor number; checked by opening a file, and lowered
     * again if a descriptor was closed meanwhile.
     */
    public void lowerToWhatIsOpen() throws IOException, InterruptedException {
        restored = false;
        for (int attempt = 0; attempt < 5; attempt++) {
            Process p = new ProcessBuilder(PRLIMIT.toString(), "--pid", Long.toString(pid),
                "--nofile=" + lowestFreeDescriptor() + ":" + limits[1])
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!p.waitFor(Awaits.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) || p.exitValue() != 0) {
                throw new AssertionError("prlimit failed to lower the descriptor limit");
            }
            try (FileInputStream probe = new FileInputStream("/dev/null")) {
                probe.getFD(); // a descriptor was free after all: again
            } catch (IOException e) {
                if (!String.valueOf(e.getMessage()).contains("Too many open files")) {
                    throw e;
                }
                return;
            }
        }
        throw new AssertionError("could not run this process out of descriptors");
    }

    /** Tells the client to connect and waits until its connect() returned (pending in the backlog). */
    public void connectClient() throws IOException {
        OutputStream toClient = client.getOutputStream();
        toClient.write("go\n".getBytes(StandardCharsets.UTF_8));
        toClient.flush();
        String line = fromClient.readLine();
        if (!"CONNECTED".equals(line)) {
            throw new AssertionError("the client did not connect: " + line);
        }
    }

    /** Puts the limit back; true when prlimit did. */
    public boolean restore() throws IOException, InterruptedException {
        if (restored) {
            return true;
        }
        OutputStream toRestorer = restorer.getOutputStream();
        toRestorer.write("restore\n".getBytes(StandardCharsets.UTF_8));
        toRestorer.flush();
        restored = restorer.waitFor(Awaits.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) && restorer.exitValue() == 0;
        return restored;
    }

    /** Restores the limit if that has not happened, and ends the client. */
    @Override
    public void close() throws IOException, InterruptedException {
        try {
            restore();
        } finally {
            restorer.destroyForcibly();
            client.destroyForcibly();
            client.waitFor(Awaits.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** This process's soft and hard RLIMIT_NOFILE. */
    static long[] openFileLimits() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) {
                String[] w = line.substring("Max open files".length()).trim().split("\\s+");
                return new long[] {Long.parseLong(w[0]), Long.parseLong(w[1])};
            }
        }
        throw new AssertionError("no 'Max open files' in /proc/self/limits");
    }

    /** The lowest descriptor number not in use, found with stat calls only (listing would open one). */
    private static int lowestFreeDescriptor() {
        int fd = 0;
        while (Files.exists(Path.of("/proc/self/fd/" + fd), LinkOption.NOFOLLOW_LINKS)) {
            fd++;
        }
        return fd;
    }
}
