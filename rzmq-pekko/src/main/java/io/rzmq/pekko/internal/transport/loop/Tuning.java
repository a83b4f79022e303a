package io.rzmq.pekko.internal.transport.loop;

import io.rzmq.pekko.internal.transport.StreamOptions;
import jdk.net.ExtendedSocketOptions;

import java.io.IOException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.NetworkChannel;

/**
 * Applies {@link StreamOptions} to channels at the moments the options need (see there). Public for the Pekko IO
 * transport, which applies the same options through Pekko's socket-option hooks.
 */
public final class Tuning {
    private Tuning() {
    }

    public static void beforeBind(NetworkChannel listener, StreamOptions o, boolean tcp) throws IOException {
        if (tcp) {
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true); // as libzmq: rebind at once after close
        }
        if (o.rcvBuf() > 0) {
            listener.setOption(StandardSocketOptions.SO_RCVBUF, o.rcvBuf()); // inherited by accepted sockets
        }
    }

    public static void beforeConnect(NetworkChannel ch, StreamOptions o, boolean tcp) throws IOException {
        if (o.rcvBuf() > 0) {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, o.rcvBuf()); // tcp: before the window scale is fixed
        }
        if (!tcp && o.sndBuf() > 0) {
            ch.setOption(StandardSocketOptions.SO_SNDBUF, o.sndBuf());
        }
    }

    public static void afterConnect(NetworkChannel ch, StreamOptions o, boolean tcp) throws IOException {
        if (tcp) {
            connected(ch, o);
        }
    }

    public static void afterAccept(NetworkChannel ch, StreamOptions o, boolean tcp) throws IOException {
        if (tcp) {
            connected(ch, o);
        } else {
            if (o.sndBuf() > 0) {
                ch.setOption(StandardSocketOptions.SO_SNDBUF, o.sndBuf());
            }
            if (o.rcvBuf() > 0) {
                ch.setOption(StandardSocketOptions.SO_RCVBUF, o.rcvBuf());
            }
        }
    }

    private static void connected(NetworkChannel ch, StreamOptions o) throws IOException {
        ch.setOption(StandardSocketOptions.TCP_NODELAY, o.tcpNoDelay());
        if (o.sndBuf() > 0) {
            ch.setOption(StandardSocketOptions.SO_SNDBUF, o.sndBuf());
        }
        if (o.keepAlive() == 0) {
            ch.setOption(StandardSocketOptions.SO_KEEPALIVE, false);
        } else if (o.keepAlive() == 1) {
            ch.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            set(ch, ExtendedSocketOptions.TCP_KEEPIDLE, o.keepAliveIdle());
            set(ch, ExtendedSocketOptions.TCP_KEEPINTERVAL, o.keepAliveInterval());
            set(ch, ExtendedSocketOptions.TCP_KEEPCOUNT, o.keepAliveCount());
        }
    }

    private static void set(NetworkChannel ch, SocketOption<Integer> option, int value) throws IOException {
        if (value > 0 && ch.supportedOptions().contains(option)) {
            try {
                ch.setOption(option, value);
            } catch (IOException e) {
                throw new IOException("cannot set " + option.name() + " to " + value + ": " + e.getMessage(), e);
            }
        }
    }
}
