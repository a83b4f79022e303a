package io.rzmq.pekko.internal.transport.ipc;

import io.rzmq.pekko.internal.transport.AcceptFailed;
import io.rzmq.pekko.internal.transport.BufferSizes;
import org.apache.pekko.actor.ActorRef;
import org.newsclub.net.unix.AFUNIXServerSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * The selector-thread side of one ipc:// bind: the listening channel, and the socket file it owns.
 * Used only on the selector thread.
 *
 * <p>A socket file left behind by a process that died is replaced; one a live process listens on is not
 * (libzmq replaces both; taking over a live peer's address silently is worse than failing). Files that
 * are not sockets are never removed. On close the file is removed if it is still ours (same inode).
 */
final class IpcServer implements IpcSelector.Ready, io.rzmq.pekko.internal.transport.StreamBinding.Server {
    private static final Logger log = LoggerFactory.getLogger(IpcServer.class);
    private static final int WILDCARD_ATTEMPTS = 16;

    private final IpcSelector selector;
    private final AFUNIXServerSocketChannel channel;
    private final String address;
    private final Path file;
    private final Object fileKey;
    private final ActorRef manager;
    private final ActorRef handler;
    private final ActorRef binding;
    private final BufferSizes sizes;
    /** The Bind's pull mode, for every accepted connection. */
    private final boolean pullMode;
    private final SelectionKey key;
    private boolean closed;

    private IpcServer(IpcSelector selector, AFUNIXServerSocketChannel channel, String address, Path file,
                      Object fileKey, ActorRef manager, ActorRef handler, ActorRef binding, BufferSizes sizes,
                      boolean pullMode) throws ClosedChannelException {
        this.pullMode = pullMode;
        this.selector = selector;
        this.channel = channel;
        this.address = address;
        this.file = file;
        this.fileKey = fileKey;
        this.manager = manager;
        this.handler = handler;
        this.binding = binding;
        this.sizes = sizes;
        this.key = channel.register(selector.selector(), 0, this);
    }

    /**
     * Binds {@code requested} (a path, {@code @name} or {@code *}); accepting starts with {@link #startAccepting}.
     * Accepted connections get {@code sizes} (null: OS defaults); a failed accept is reported to
     * {@code handler} ({@link AcceptFailed}) and pauses accepting until {@code binding} resumes it.
     *
     * @throws IOException with a message that says what is wrong with the address
     */
    static IpcServer bind(IpcSelector selector, String requested, int backlog, ActorRef manager, ActorRef handler,
                          ActorRef binding, BufferSizes sizes, boolean pullMode) throws IOException {
        Target t = new Target(manager, handler, binding, sizes, pullMode);
        if (!requested.equals(IpcAddresses.WILDCARD)) {
            return bindAt(selector, requested, backlog, t);
        }
        for (int attempt = 1; ; attempt++) {
            String path = IpcAddresses.freshPath();
            if (Files.exists(Path.of(path), LinkOption.NOFOLLOW_LINKS) && attempt < WILDCARD_ATTEMPTS) {
                continue;
            }
            IpcAddresses.validate(path, true);
            return bindAt(selector, path, backlog, t);
        }
    }

    /** Who hears about accepted connections, and how they are set up. */
    private record Target(ActorRef manager, ActorRef handler, ActorRef binding, BufferSizes sizes, boolean pullMode) {
    }

    private static IpcServer bindAt(IpcSelector selector, String address, int backlog, Target t)
        throws IOException {
        Path file = IpcAddresses.isAbstract(address) ? null : Path.of(address);
        if (file != null) {
            prepareFile(file, address);
        }
        AFUNIXServerSocketChannel ch = AFUNIXServerSocketChannel.open();
        try {
            // We decide what happens to an existing file (prepareFile), not junixsocket, and we remove our
            // own file on close only if it is still ours.
            ch.socket().setReuseAddress(false);
            ch.setDeleteOnClose(false);
            try {
                ch.bind(IpcAddresses.socketAddress(address), backlog);
            } catch (SocketException e) {
                throw explain(e, address);
            }
            ch.configureBlocking(false);
            Object fileKey = file == null ? null : fileKey(file);
            return new IpcServer(selector, ch, address, file, fileKey, t.manager(), t.handler(), t.binding(),
                t.sizes(), t.pullMode());
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    /** Makes the path bindable: the directory must exist; a stale socket file goes, anything else stays. */
    private static void prepareFile(Path file, String address) throws IOException {
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
            throw new IOException("address in use: " + address + " exists and is not a socket");
        }
        if (someoneListensOn(address)) {
            throw new IOException("address in use: a live socket listens on " + address);
        }
        log.info("removing stale ipc socket file {} (nothing listens on it)", address);
        Files.deleteIfExists(file);
    }

    /** Probes with a non-blocking connect: refused means a dead socket file; accepted or pending, a live one. */
    private static boolean someoneListensOn(String address) throws IOException {
        try (AFUNIXSocketChannel probe = AFUNIXSocketChannel.open()) {
            probe.configureBlocking(false);
            probe.connect(IpcAddresses.socketAddress(address));
            return true;
        } catch (SocketException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("refused")) {
                return false;
            }
            if (m.contains("No such file")) {
                return false;
            }
            throw new IOException("cannot probe " + address + ": " + m, e);
        }
    }

    private static IOException explain(SocketException e, String address) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("in use")) {
            return new IOException("address in use: " + address, e);
        }
        if (m.contains("ermission") || m.contains("denied")) {
            return new IOException("permission denied: " + address, e);
        }
        return new IOException(m + ": " + address, e);
    }

    private static Object fileKey(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /** The address as the bind reports it: the path as given, the generated path, or {@code @name}. */
    String address() {
        return address;
    }

    @Override
    public void startAccepting() {
        if (!closed && key.isValid()) {
            key.interestOps(SelectionKey.OP_ACCEPT);
        }
    }

    @Override
    public void onReady(SelectionKey k) {
        if (closed || !k.isAcceptable()) {
            return;
        }
        while (true) {
            AFUNIXSocketChannel accepted;
            try {
                accepted = channel.accept();
            } catch (IOException e) {
                // e.g. out of file descriptors: the connection stays pending and the listening socket ready,
                // so pause instead of spinning; the binding resumes accepting shortly.
                log.warn("ipc accept on {} failed: {}", address, e.getMessage());
                handler.tell(new AcceptFailed(address, "accept failed: " + e.getMessage()), ActorRef.noSender());
                if (key.isValid()) {
                    key.interestOps(0);
                }
                binding.tell(io.rzmq.pekko.internal.transport.StreamBinding.AcceptPaused.INSTANCE, ActorRef.noSender());
                return;
            }
            if (accepted == null) {
                return;
            }
            try {
                if (sizes != null) {
                    sizes.applyTo(accepted);
                }
                accepted.configureBlocking(false);
                IpcChannel ch = IpcChannel.accepted(selector, accepted, address, pullMode);
                manager.tell(new IpcManager.Accepted(ch, handler), ActorRef.noSender());
            } catch (IOException | RuntimeException e) {
                log.warn("ipc: cannot set up a connection accepted on {}: {}", address, e.getMessage());
                closeQuietly(accepted);
                handler.tell(new AcceptFailed(address, "cannot set up the accepted connection: " + e.getMessage()),
                    ActorRef.noSender());
            }
        }
    }

    /** Stops listening and removes the socket file if it is still the one this bind created. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        key.cancel();
        closeQuietly(channel);
        if (file != null && fileKey != null && Objects.equals(fileKey, fileKey(file))) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                log.warn("ipc: cannot remove socket file {}: {}", file, e.getMessage());
            }
        }
    }

    @Override
    public void onShutdown() {
        close();
    }

    private static void closeQuietly(java.nio.channels.Channel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public String toString() {
        return "IpcServer(" + address + ")";
    }
}
