package io.rzmq.protocol.connection;

import io.rzmq.protocol.Frame;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Drives a {@link ZmtpConnection} over a blocking java.net.Socket, for interop tests. */
final class TcpDriver implements AutoCloseable {
    final Socket socket;
    final ZmtpConnection connection;
    private final InputStream in;
    private final OutputStream out;
    private boolean eof;
    private long bytesRead;

    TcpDriver(Socket socket, ZmtpConnection connection) throws IOException {
        this.socket = socket;
        this.connection = connection;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(50);
        connection.start();
        flush();
    }

    /** Feeds bytes that were read from the socket before this driver existed. */
    void feed(byte[] bytes) throws IOException {
        bytesRead += bytes.length;
        connection.receive(bytes, 0, bytes.length);
        flush();
    }

    void flush() throws IOException {
        for (Frame f : connection.takeOutput()) {
            out.write(f.unsafeArray(), f.offset(), f.size());
        }
        out.flush();
    }

    /** Reads, feeds and writes until {@code done} holds; fails at the deadline or when the peer closes. */
    void runUntil(BooleanSupplier done, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        flush();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached within " + timeout + " (read " + bytesRead
                    + " bytes, ready " + connection.isReady() + ", paused " + connection.isPaused() + ")");
            }
            if (eof) {
                throw new AssertionError("peer closed the connection before the condition was reached");
            }
            byte[] buf = new byte[64 * 1024];
            int n;
            try {
                n = in.read(buf);
            } catch (SocketTimeoutException e) {
                continue;
            }
            if (n < 0) {
                eof = true;
                continue;
            }
            bytesRead += n;
            connection.receive(buf, 0, n);
            flush();
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
