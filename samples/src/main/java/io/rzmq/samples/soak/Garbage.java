package io.rzmq.samples.soak;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Raw TCP connections that are not ZMTP peers: random bytes, an HTTP request, greetings with a bad
 * version or mechanism, and handshakes cut short (then silent). The listener must close each one itself:
 * at once for what it can reject, within HANDSHAKE_IVL for what merely stalls. A connection the listener
 * still holds open after HANDSHAKE_IVL plus a margin is a violation.
 */
final class Garbage {
    enum Kind { RANDOM, HTTP, BAD_VERSION, BAD_MECHANISM, NO_BYTES_THEN_SILENT, PARTIAL_GREETING, PARTIAL_READY, HUGE_COMMAND }

    final AtomicLong attempts = new AtomicLong();
    final AtomicLong closedByServer = new AtomicLong();
    final AtomicLong connectFailed = new AtomicLong();
    private final long closeWithinMs;
    private final Violations violations;

    Garbage(long handshakeIvlMs, Violations violations) {
        this.closeWithinMs = handshakeIvlMs + 10_000;
        this.violations = violations;
    }

    /** One garbage connection of {@code kind} to {@code host:port}; returns when the server closed it. */
    void attack(String where, String host, int port, Kind kind) {
        attempts.incrementAndGet();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 5_000);
            s.setSoTimeout((int) closeWithinMs);
            OutputStream out = s.getOutputStream();
            try {
                out.write(bytes(kind));
                out.flush();
            } catch (IOException e) {
                closedByServer.incrementAndGet(); // reset while we were still writing: refused
                return;
            }
            InputStream in = s.getInputStream();
            byte[] buf = new byte[512];
            long t0 = System.nanoTime();
            try {
                while (in.read(buf) >= 0) {
                    // drain the server's greeting (if any) until it closes
                }
                closedByServer.incrementAndGet();
            } catch (SocketTimeoutException e) {
                violations.add("garbage " + kind + " to " + where + ": the listener kept the connection open for "
                    + (System.nanoTime() - t0) / 1_000_000 + " ms (HANDSHAKE_IVL + 10 s allowed)");
            } catch (IOException e) {
                closedByServer.incrementAndGet(); // connection reset: refused
            }
        } catch (IOException e) {
            connectFailed.incrementAndGet();
        }
    }

    static byte[] bytes(Kind kind) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        switch (kind) {
            case RANDOM -> {
                byte[] b = new byte[16 + r.nextInt(512)];
                r.nextBytes(b);
                b[0] = (byte) r.nextInt(0, 0xFF); // never 0xFF: not a ZMTP signature
                return b;
            }
            case HTTP -> {
                return "GET / HTTP/1.1\r\nHost: soak\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            }
            case BAD_VERSION -> {
                byte[] g = greeting("NULL");
                g[10] = 9; // major version 9
                return g;
            }
            case BAD_MECHANISM -> {
                return greeting("BOGUS");
            }
            case NO_BYTES_THEN_SILENT -> {
                return new byte[0];
            }
            case PARTIAL_GREETING -> {
                byte[] g = greeting("NULL");
                return java.util.Arrays.copyOf(g, 1 + r.nextInt(g.length - 1));
            }
            case PARTIAL_READY -> {
                // a whole NULL greeting, then a short command frame that announces 40 bytes and sends 7
                byte[] g = greeting("NULL");
                byte[] cmd = {0x04, 40, 5, 'R', 'E', 'A', 'D'};
                byte[] b = java.util.Arrays.copyOf(g, g.length + cmd.length);
                System.arraycopy(cmd, 0, b, g.length, cmd.length);
                return b;
            }
            case HUGE_COMMAND -> {
                // a whole NULL greeting, then a long command frame claiming 2^40 bytes
                byte[] g = greeting("NULL");
                byte[] cmd = {0x06, 0, 0, 1, 0, 0, 0, 0, 0, 5, 'R', 'E', 'A', 'D', 'Y'};
                byte[] b = java.util.Arrays.copyOf(g, g.length + cmd.length);
                System.arraycopy(cmd, 0, b, g.length, cmd.length);
                return b;
            }
            default -> throw new IllegalArgumentException(kind.toString());
        }
    }

    /**
     * Issue 12 defect 1: opens {@code n} connections that each send a NULL greeting and the header of a
     * 1 MiB command frame, then stay silent. Returns them open (the caller measures the heap, then closes them).
     */
    static java.util.List<Socket> preHandshakeFlood(String host, int port, int n) throws IOException {
        byte[] g = greeting("NULL");
        byte[] b = java.util.Arrays.copyOf(g, g.length + 9);
        b[g.length] = 0x06; // long command frame
        long size = 1L << 20;
        for (int i = 0; i < 8; i++) {
            b[g.length + 1 + i] = (byte) (size >>> (56 - 8 * i));
        }
        java.util.List<Socket> open = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                Socket s = new Socket();
                open.add(s);
                s.connect(new InetSocketAddress(host, port), 5_000);
                s.getOutputStream().write(b);
                s.getOutputStream().flush();
            }
        } catch (IOException e) {
            closeAll(open);
            throw e;
        }
        return open;
    }

    static void closeAll(java.util.List<Socket> sockets) {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /** How an endless multipart message ended. */
    enum EndlessOutcome { CLOSED_BY_SERVER, REACHED_CAP, SERVER_STOPPED_READING }

    /**
     * Issue 12 defect 5: a NULL PUSH peer (raw ZMTP) that sends one message that never ends: frames of
     * {@code frameSize} bytes, all with MORE, until the receiver closes the connection or {@code capBytes}
     * (payload) or {@code capFrames} are sent.
     */
    static EndlessOutcome endlessMultipart(String host, int port, int frameSize, long capBytes, long capFrames)
        throws IOException, InterruptedException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 5_000);
            OutputStream out = new java.io.BufferedOutputStream(s.getOutputStream(), 1 << 16);
            out.write(greeting("NULL"));
            out.write(ready("PUSH"));
            out.flush();
            // a watchdog: a receiver that stops reading makes our write block; close after 60 s without progress
            AtomicLong progress = new AtomicLong(System.nanoTime());
            Thread watchdog = new Thread(() -> {
                try {
                    while (!s.isClosed()) {
                        Thread.sleep(1_000);
                        if (System.nanoTime() - progress.get() > 60_000_000_000L) {
                            s.close();
                        }
                    }
                } catch (InterruptedException | IOException ignored) {
                    // done
                }
            }, "soak-endless-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
            byte[] header = frameSize <= 255 ? new byte[] {0x01, (byte) frameSize}
                : new byte[] {0x03, 0, 0, 0, 0, (byte) (frameSize >>> 24), (byte) (frameSize >>> 16), (byte) (frameSize >>> 8), (byte) frameSize};
            byte[] body = new byte[frameSize];
            long bytes = 0;
            long frames = 0;
            try {
                while (bytes < capBytes && frames < capFrames) {
                    out.write(header);
                    out.write(body);
                    bytes += frameSize;
                    frames++;
                    if ((frames & 1023) == 0) {
                        out.flush();
                        progress.set(System.nanoTime());
                    }
                }
                out.flush();
            } catch (IOException e) {
                watchdog.interrupt();
                return System.nanoTime() - progress.get() > 60_000_000_000L ? EndlessOutcome.SERVER_STOPPED_READING
                    : EndlessOutcome.CLOSED_BY_SERVER;
            }
            watchdog.interrupt();
            return EndlessOutcome.REACHED_CAP;
        }
    }

    /** A READY command with Socket-Type {@code type}. */
    static byte[] ready(String type) {
        byte[] name = "Socket-Type".getBytes(StandardCharsets.US_ASCII);
        byte[] value = type.getBytes(StandardCharsets.US_ASCII);
        int bodyLen = 1 + 5 + 1 + name.length + 4 + value.length;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(2 + bodyLen);
        b.put((byte) 0x04).put((byte) bodyLen);
        b.put((byte) 5).put("READY".getBytes(StandardCharsets.US_ASCII));
        b.put((byte) name.length).put(name).putInt(value.length).put(value);
        return b.array();
    }

    /** A 64-byte ZMTP 3.1 greeting naming {@code mechanism}, as a client. */
    static byte[] greeting(String mechanism) {
        byte[] g = new byte[64];
        g[0] = (byte) 0xFF;
        g[9] = 0x7F;
        g[10] = 3;
        g[11] = 1;
        byte[] m = mechanism.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(m, 0, g, 12, Math.min(20, m.length));
        return g;
    }
}
