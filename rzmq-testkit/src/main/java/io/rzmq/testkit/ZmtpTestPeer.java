package io.rzmq.testkit;

import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Metadata;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import io.rzmq.protocol.connection.PeerInfo;
import io.rzmq.protocol.connection.ZmtpConfig;
import io.rzmq.protocol.connection.ZmtpConnection;
import io.rzmq.protocol.security.HandshakeContext;
import io.rzmq.protocol.security.NullMechanism;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A hand-driven ZMTP peer on a blocking {@link Socket} (rzmq-protocol's {@link ZmtpConnection}, NULL
 * mechanism), for tests that need a peer to misbehave: complete the handshake and then go silent
 * (neither read nor write, without closing), or answer PINGs only while the test says so.
 * Driven from the test thread; every wait has a deadline.
 */
public final class ZmtpTestPeer implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ZmtpConnection connection;
    private final List<Msg> messages = new ArrayList<>();
    private int pings;
    private int lastPingTtl = -1;
    private boolean eof;

    public ZmtpTestPeer(Socket socket, SocketType type) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        socket.setSoTimeout(20);
        HandshakeContext hc = new HandshakeContext(Metadata.builder().put(Metadata.SOCKET_TYPE, type.zmtpName()).build(),
            false, "", "127.0.0.1");
        this.connection = new ZmtpConnection(ZmtpConfig.of(type), new NullMechanism(hc), new ZmtpConnection.Handler() {
            @Override
            public void onHandshakeComplete(PeerInfo peer) {
            }

            @Override
            public boolean onMessage(Msg msg) {
                messages.add(msg);
                return true;
            }

            @Override
            public boolean onSubscription(Frame topic, boolean subscribe) {
                return true;
            }

            @Override
            public void onPing(int ttlDeciseconds) {
                pings++;
                lastPingTtl = ttlDeciseconds;
            }
        });
        connection.start();
        flush();
    }

    /** Greets and handshakes with the peer (reading and writing) until ready. */
    public ZmtpTestPeer handshake() throws IOException {
        runUntil(connection::isReady, Awaits.TIMEOUT);
        return this;
    }

    /** Keeps reading (answering PINGs with PONGs) until {@code done} holds. */
    public void runUntil(BooleanSupplier done, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] buf = new byte[64 * 1024];
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("test peer: condition not reached within " + timeout + " (ready "
                    + connection.isReady() + ", pings " + pings + ", eof " + eof + ")");
            }
            if (eof) {
                throw new AssertionError("test peer: the connection was closed");
            }
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
            byte[] chunk = java.util.Arrays.copyOf(buf, n);
            connection.receive(chunk, 0, n);
            flush();
        }
    }

    /** Sends PING with {@code ttlDeciseconds}. */
    public void ping(int ttlDeciseconds) throws IOException {
        connection.sendPing(ttlDeciseconds, Frame.EMPTY);
        flush();
    }

    public void send(Msg msg) throws IOException {
        connection.send(msg);
        flush();
    }

    /** PINGs received so far. */
    public int pings() {
        return pings;
    }

    /** The TTL (deciseconds) of the last PING received, -1 before any. */
    public int lastPingTtl() {
        return lastPingTtl;
    }

    public List<Msg> messages() {
        return messages;
    }

    /** Reads (discarding) until the other side closes or resets the connection; fails at the deadline. */
    public void awaitClosed() throws IOException {
        socket.setSoTimeout((int) Awaits.TIMEOUT.toMillis());
        byte[] buf = new byte[64 * 1024];
        try {
            while (in.read(buf) >= 0) {
                // whatever was still in flight
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the connection was not closed", e);
        } catch (IOException reset) {
            // reset: closed as well
        }
    }

    private void flush() throws IOException {
        for (Frame f : connection.takeOutput()) {
            out.write(f.unsafeArray(), f.offset(), f.size());
        }
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
