package io.rzmq.pekko.internal.transport;

import io.rzmq.pekko.model.SocketOptions;
import org.apache.pekko.io.Inet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.channels.NetworkChannel;
import java.util.Optional;

/**
 * SNDBUF and RCVBUF (the kernel's SO_SNDBUF / SO_RCVBUF) as one Pekko IO socket option, put in the Bind
 * and Connect commands of tcp:// (Pekko IO calls the hooks) and of ipc:// (the ipc manager calls
 * {@link #applyTo} on each channel). -1 leaves the OS default.
 *
 * <p>TCP: the receive buffer is set on the listening socket before it binds, and on a connecting socket
 * before it connects, because the window scale is fixed by the handshake; accepted sockets inherit it.
 * The send buffer is set once connected. The kernel may round or cap both (Linux doubles the value and
 * caps it at net.core.wmem_max / rmem_max).
 */
public final class BufferSizes extends Inet.AbstractSocketOptionV2 {
    private final int sndBuf;
    private final int rcvBuf;

    private BufferSizes(int sndBuf, int rcvBuf) {
        this.sndBuf = sndBuf;
        this.rcvBuf = rcvBuf;
    }

    /** The option for {@code options}, or empty when both sizes are left to the OS. */
    public static Optional<BufferSizes> of(SocketOptions options) {
        if (options.sndBuf() < 0 && options.rcvBuf() < 0) {
            return Optional.empty();
        }
        return Optional.of(new BufferSizes(options.sndBuf(), options.rcvBuf()));
    }

    /** The first BufferSizes among a command's options (also inside an {@link AcceptTuning}), if any. */
    public static Optional<BufferSizes> among(Iterable<? extends Inet.SocketOption> options) {
        for (Inet.SocketOption o : options) {
            if (o instanceof BufferSizes b) {
                return Optional.of(b);
            }
            if (o instanceof AcceptTuning t) {
                Optional<BufferSizes> inner = among(t.options());
                if (inner.isPresent()) {
                    return inner;
                }
            }
        }
        return Optional.empty();
    }

    public int sndBuf() {
        return sndBuf;
    }

    public int rcvBuf() {
        return rcvBuf;
    }

    @Override
    public void beforeServerSocketBind(ServerSocket s) {
        if (rcvBuf > 0) {
            try {
                s.setReceiveBufferSize(rcvBuf);
            } catch (SocketException e) {
                throw new UncheckedIOException("cannot set RCVBUF to " + rcvBuf, e);
            }
        }
    }

    @Override
    public void beforeConnect(Socket s) {
        if (rcvBuf > 0) {
            try {
                s.setReceiveBufferSize(rcvBuf);
            } catch (SocketException e) {
                throw new UncheckedIOException("cannot set RCVBUF to " + rcvBuf, e);
            }
        }
    }

    @Override
    public void afterConnect(Socket s) {
        if (sndBuf > 0) {
            try {
                s.setSendBufferSize(sndBuf);
            } catch (SocketException e) {
                throw new UncheckedIOException("cannot set SNDBUF to " + sndBuf, e);
            }
        }
    }

    /** Sets both sizes on a channel (ipc://, before connect or right after accept). */
    public void applyTo(NetworkChannel channel) throws IOException {
        if (sndBuf > 0) {
            channel.setOption(StandardSocketOptions.SO_SNDBUF, sndBuf);
        }
        if (rcvBuf > 0) {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, rcvBuf);
        }
    }

    @Override
    public String toString() {
        return "BufferSizes(sndbuf=" + sndBuf + ", rcvbuf=" + rcvBuf + ")";
    }
}
