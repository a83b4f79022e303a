package io.rzmq.pekko.internal.transport;

import io.rzmq.pekko.model.SocketOptions;
import jdk.net.ExtendedSocketOptions;
import org.apache.pekko.io.Inet;
import org.apache.pekko.io.TcpSO;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketOption;
import java.util.ArrayList;
import java.util.List;

/**
 * libzmq's TCP keepalive options as Pekko IO socket options, applied to every connection we make and
 * every connection a listener accepts (Pekko IO passes a Bind's options to accepted sockets).
 *
 * <ul>
 *   <li>TCP_KEEPALIVE 0/1 sets SO_KEEPALIVE; -1 leaves the OS default (off on Linux).</li>
 *   <li>TCP_KEEPALIVE_IDLE / _INTVL / _CNT set TCP_KEEPIDLE / TCP_KEEPINTERVAL / TCP_KEEPCOUNT through
 *   {@code jdk.net.ExtendedSocketOptions} where the platform supports them (Linux, macOS); elsewhere they
 *   are ignored, as libzmq ignores what the OS cannot do. As in libzmq they are applied only when
 *   TCP_KEEPALIVE is 1.</li>
 * </ul>
 */
public final class TcpKeepAlive {
    private TcpKeepAlive() {
    }

    /** The Pekko IO options for a connect or a bind with {@code options}; empty when nothing is to be set. */
    public static List<Inet.SocketOption> socketOptions(SocketOptions options) {
        List<Inet.SocketOption> list = new ArrayList<>(2);
        if (options.tcpKeepalive() == 0) {
            list.add(TcpSO.keepAlive(false));
        } else if (options.tcpKeepalive() == 1) {
            list.add(TcpSO.keepAlive(true));
            if (options.tcpKeepaliveIdle() > 0 || options.tcpKeepaliveIntvl() > 0 || options.tcpKeepaliveCnt() > 0) {
                list.add(new Tuning(options.tcpKeepaliveIdle(), options.tcpKeepaliveIntvl(), options.tcpKeepaliveCnt()));
            }
        }
        return list;
    }

    /** Sets the keepalive timing on a connected socket (-1: leave that one alone). */
    private static final class Tuning extends Inet.AbstractSocketOptionV2 {
        private final int idle;
        private final int interval;
        private final int count;

        Tuning(int idle, int interval, int count) {
            this.idle = idle;
            this.interval = interval;
            this.count = count;
        }

        @Override
        public void afterConnect(Socket s) {
            set(s, ExtendedSocketOptions.TCP_KEEPIDLE, idle);
            set(s, ExtendedSocketOptions.TCP_KEEPINTERVAL, interval);
            set(s, ExtendedSocketOptions.TCP_KEEPCOUNT, count);
        }

        private static void set(Socket s, SocketOption<Integer> option, int value) {
            if (value <= 0 || !s.supportedOptions().contains(option)) {
                return;
            }
            try {
                s.setOption(option, value);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot set " + option.name() + " to " + value, e);
            }
        }
    }
}
