package io.rzmq.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on loopback between a ZMTP client and a server that can flip one byte inside one CURVE
 * MESSAGE box: it follows the frames of one direction (64-byte greeting, then flags, size, body) and,
 * once {@link #arm() armed}, changes the last byte of the next frame whose body starts with
 * {@code \x07MESSAGE}. Only one box is ever changed; everything else, and later connections, pass as
 * they are. Threads of its own (daemon), stopped by {@link #close()}.
 */
public final class TamperingProxy implements AutoCloseable {
    /** Which way the box to change travels. */
    public enum Direction { TO_TARGET, FROM_TARGET }

    private static final int GREETING = 64;
    private static final byte[] MESSAGE = "\u0007MESSAGE".getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final Direction direction;
    private final AtomicBoolean armed = new AtomicBoolean();
    private final AtomicInteger tampered = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    private TamperingProxy(ServerSocket listener, InetSocketAddress target, Direction direction) {
        this.listener = listener;
        this.target = target;
        this.direction = direction;
    }

    /** Listens on 127.0.0.1 (any port) and forwards every connection to {@code tcpEndpoint}. */
    public static TamperingProxy start(String tcpEndpoint, Direction direction) {
        int colon = tcpEndpoint.lastIndexOf(':');
        String host = tcpEndpoint.substring("tcp://".length(), colon);
        int port = Integer.parseInt(tcpEndpoint.substring(colon + 1));
        try {
            ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            TamperingProxy proxy = new TamperingProxy(listener, new InetSocketAddress(host, port), direction);
            daemon("tamper-accept", proxy::acceptLoop);
            return proxy;
        } catch (IOException e) {
            throw new AssertionError("cannot start the proxy", e);
        }
    }

    public String endpoint() {
        return "tcp://127.0.0.1:" + listener.getLocalPort();
    }

    /** The next MESSAGE box in the chosen direction gets one byte changed. */
    public void arm() {
        armed.set(true);
    }

    /** How many boxes were changed (0 or 1). */
    public int tampered() {
        return tampered.get();
    }

    /** How many connections it accepted. */
    public int connections() {
        return connections.get();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                server.connect(target);
                sockets.add(client);
                sockets.add(server);
                connections.incrementAndGet();
                daemon("tamper-up", () -> pump(client, server, direction == Direction.TO_TARGET));
                daemon("tamper-down", () -> pump(server, client, direction == Direction.FROM_TARGET));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void pump(Socket from, Socket to, boolean watch) {
        FrameWatcher watcher = watch ? new FrameWatcher() : null;
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                if (watcher != null) {
                    watcher.scan(buf, n);
                }
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side went away
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    /** Follows ZMTP framing in one direction, and changes the last body byte of an armed MESSAGE. */
    private final class FrameWatcher {
        private int greetingLeft = GREETING;
        private int sizeBytesLeft;
        private long size;
        private long bodyPos = -1;
        private boolean isMessage;

        void scan(byte[] buf, int n) {
            for (int i = 0; i < n; i++) {
                if (greetingLeft > 0) {
                    greetingLeft--;
                } else if (bodyPos < 0 && sizeBytesLeft == 0) {
                    sizeBytesLeft = (buf[i] & 0x02) != 0 ? 8 : 1; // flags: LONG
                    size = 0;
                } else if (bodyPos < 0) {
                    size = (size << 8) | (buf[i] & 0xff);
                    if (--sizeBytesLeft == 0) {
                        bodyPos = size == 0 ? -1 : 0;
                        isMessage = size > MESSAGE.length;
                    }
                } else {
                    if (bodyPos < MESSAGE.length && buf[i] != MESSAGE[(int) bodyPos]) {
                        isMessage = false;
                    }
                    if (bodyPos == size - 1) {
                        if (isMessage && armed.compareAndSet(true, false)) {
                            buf[i] ^= 0x01;
                            tampered.incrementAndGet();
                        }
                        bodyPos = -1;
                    } else {
                        bodyPos++;
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        closeQuietly(listener);
        sockets.forEach(TamperingProxy::closeQuietly);
    }

    private static void daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // already closed
        }
    }
}
