package io.rzmq.pekko.internal.transport.loop;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The socket file of an ipc:// bind. A file left by a process that died is replaced; one a live process
 * listens on is not (libzmq replaces both; silently taking over a live peer's address is worse than
 * failing); a file that is not a socket is never removed. On close the file goes if it is still ours.
 */
final class IpcFiles {
    private static final Logger log = LoggerFactory.getLogger(IpcFiles.class);
    private static final AtomicLong COUNTER = new AtomicLong();

    private IpcFiles() {
    }

    /** A new path under the temporary directory, unlikely to exist (libzmq's {@code ipc://*}). */
    static UnixDomainSocketAddress fresh() {
        String name = "rzmq-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet() + "-"
            + Integer.toHexString(ThreadLocalRandom.current().nextInt()) + ".ipc";
        return UnixDomainSocketAddress.of(Path.of(System.getProperty("java.io.tmpdir"), name));
    }

    /** Makes {@code file} bindable: its directory must exist; a stale socket file goes, anything else stays. */
    static void prepare(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new IOException("directory " + parent + " does not exist");
        }
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        }
        if (!attrs.isOther()) {
            throw new IOException("address in use: " + file + " exists and is not a socket");
        }
        if (someoneListensOn(file)) {
            throw new IOException("address in use: a live socket listens on " + file);
        }
        log.info("removing stale ipc socket file {} (nothing listens on it)", file);
        Files.deleteIfExists(file);
    }

    /** A non-blocking connect: refused means a dead socket file; accepted or pending, a live one. */
    private static boolean someoneListensOn(Path file) throws IOException {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.configureBlocking(false);
            probe.connect(UnixDomainSocketAddress.of(file));
            return true;
        } catch (ConnectException e) {
            return false;
        }
    }

    static Object fileKey(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    static void removeIfOurs(Path file, Object key) {
        if (key != null && Objects.equals(key, fileKey(file))) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                log.warn("ipc: cannot remove socket file {}: {}", file, e.getMessage());
            }
        }
    }
}
