package io.rzmq.protocol.security;

import io.rzmq.protocol.Frame;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Test-only ZMTP/3.1 greeting and frame layer over a blocking socket, just enough to drive a mechanism
 * against libzmq before the real connection code exists. Not the production codec.
 */
final class TestWire implements AutoCloseable {
    static final int MORE = 1;
    static final int LONG = 2;
    static final int COMMAND = 4;

    record WireFrame(int flags, Frame body) {
        boolean isCommand() {
            return (flags & COMMAND) != 0;
        }

        boolean more() {
            return (flags & MORE) != 0;
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    TestWire(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Sends our whole greeting at once and reads the peer's; returns the peer's 64 bytes. */
    byte[] greet(String mechanism, boolean asServer) throws IOException {
        byte[] g = new byte[64];
        g[0] = (byte) 0xFF;
        g[9] = 0x7F;
        g[10] = 3;
        g[11] = 1;
        byte[] m = mechanism.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(m, 0, g, 12, m.length);
        g[32] = (byte) (asServer ? 1 : 0);
        out.write(g);
        out.flush();
        byte[] peer = new byte[64];
        in.readFully(peer);
        if ((peer[0] & 0xFF) != 0xFF || peer[9] != 0x7F || peer[10] != 3) {
            throw new IOException("peer greeting is not ZMTP 3");
        }
        String peerMechanism = new String(peer, 12, 20, StandardCharsets.US_ASCII).trim();
        if (!peerMechanism.equals(mechanism)) {
            throw new IOException("peer mechanism " + peerMechanism);
        }
        return peer;
    }

    void write(int flags, Frame body) throws IOException {
        int size = body.size();
        if (size > 255) {
            out.write(flags | LONG);
            for (int i = 7; i >= 0; i--) {
                out.write((int) ((long) size >>> (8 * i)));
            }
        } else {
            out.write(flags);
            out.write(size);
        }
        out.write(body.unsafeArray(), body.offset(), size);
        out.flush();
    }

    void writeCommand(Frame body) throws IOException {
        write(COMMAND, body);
    }

    WireFrame read() throws IOException {
        int flags = in.readUnsignedByte();
        long size = (flags & LONG) != 0 ? in.readLong() : in.readUnsignedByte();
        if (size < 0 || size > 16 * 1024 * 1024) {
            throw new IOException("frame size " + size);
        }
        byte[] body = new byte[(int) size];
        in.readFully(body);
        return new WireFrame(flags, Frame.wrap(body));
    }

    /** Runs a mechanism's handshake to READY (or throws what the mechanism throws). */
    void handshake(Mechanism mechanism) throws IOException {
        while (true) {
            for (Frame cmd = mechanism.nextHandshakeCommand(); cmd != null; cmd = mechanism.nextHandshakeCommand()) {
                writeCommand(cmd);
            }
            if (mechanism.status() == Mechanism.Status.READY) {
                return;
            }
            if (mechanism.status() != Mechanism.Status.HANDSHAKING) {
                throw new IOException("mechanism stopped in " + mechanism.status());
            }
            WireFrame f = read();
            if (!f.isCommand()) {
                throw new IOException("data frame during the handshake");
            }
            mechanism.processHandshakeCommand(f.body());
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
