package io.rzmq.pekko.internal.transport.loop;

import io.rzmq.pekko.internal.transport.ConnectHandler;
import io.rzmq.pekko.internal.transport.Loop;
import io.rzmq.pekko.internal.transport.PeerAddress;
import io.rzmq.pekko.internal.transport.PendingConnect;
import io.rzmq.pekko.internal.transport.StreamListener;
import io.rzmq.pekko.internal.transport.StreamListenerHandler;
import io.rzmq.pekko.internal.transport.StreamOptions;
import io.rzmq.pekko.internal.transport.StreamTransport;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

import java.io.IOException;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * The seam on rzmq's selector loops: tcp ({@link InetSocketAddress}) and ipc paths
 * ({@link UnixDomainSocketAddress}, JDK 16+ channels) on the same {@link IoLoops}, so ipc needs no second
 * selector. Listeners live on loop 0; connections on the loop the caller (connect) or {@link IoLoops#pick()}
 * (accept) chose. Linux abstract names ({@code ipc://@name}) cannot be expressed as a JDK address: they are
 * not served here.
 */
public final class LoopTransport implements StreamTransport {
    private final IoLoops loops;

    public LoopTransport(IoLoops loops) {
        this.loops = loops;
    }

    /** A fresh socket path under the temporary directory, for libzmq's {@code ipc://*}. */
    public static UnixDomainSocketAddress freshIpcAddress() {
        return IpcFiles.fresh();
    }

    @Override
    public boolean serves(SocketAddress address) {
        return address instanceof InetSocketAddress || address instanceof UnixDomainSocketAddress;
    }

    @Override
    public StreamListener bind(SocketAddress local, StreamOptions options, StreamListenerHandler handler)
        throws IOException {
        boolean tcp = isTcp(local);
        Path file = null;
        if (!tcp) {
            file = ((UnixDomainSocketAddress) local).getPath();
            IpcFiles.prepare(file);
        }
        ServerSocketChannel ch = tcp ? ServerSocketChannel.open() : ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            Tuning.beforeBind(ch, options, tcp);
            try {
                ch.bind(local, options.backlog());
            } catch (BindException e) {
                throw new BindException(e.getMessage() + ": " + describe(local));
            }
            ch.configureBlocking(false);
            SocketAddress bound = ch.getLocalAddress();
            LoopListener listener = new LoopListener(loops, ch, tcp, options, handler, bound, endpointOf(bound), file);
            listener.start();
            return listener;
        } catch (IOException | RuntimeException e) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // failing anyway
            }
            throw e;
        }
    }

    @Override
    public PendingConnect connect(SocketAddress remote, StreamOptions options, Loop loop, ConnectHandler handler) {
        isTcp(remote);
        if (!(loop instanceof LoopHandle h) || h != loops.get(h.index())) {
            throw new IllegalArgumentException("not a loop of this transport: " + loop);
        }
        LoopConnect c = new LoopConnect(h, remote, options, handler);
        h.execute(c);
        return c;
    }

    private static boolean isTcp(SocketAddress a) {
        if (a instanceof InetSocketAddress) {
            return true;
        }
        if (a instanceof UnixDomainSocketAddress) {
            return false;
        }
        throw new IllegalArgumentException("not a tcp or ipc path address: " + a);
    }

    /** {@code tcp://host:port} or {@code ipc://path}, as libzmq reports a bound endpoint. */
    static String endpointOf(SocketAddress a) {
        if (a instanceof InetSocketAddress i) {
            String host = i.getAddress().getHostAddress();
            if (i.getAddress() instanceof Inet6Address) {
                host = "[" + host + "]";
            }
            return "tcp://" + host + ":" + i.getPort();
        }
        return "ipc://" + ((UnixDomainSocketAddress) a).getPath();
    }

    private static String describe(SocketAddress a) {
        return a instanceof UnixDomainSocketAddress u ? u.getPath().toString() : String.valueOf(a);
    }

    static PeerAddress peerOf(SocketChannel ch, boolean tcp) {
        try {
            if (tcp) {
                return PeerAddress.tcp((InetSocketAddress) ch.getRemoteAddress(), (InetSocketAddress) ch.getLocalAddress());
            }
            SocketAddress local = ch.getLocalAddress();
            SocketAddress remote = ch.getRemoteAddress();
            // The accepting side's remote is unnamed; both ends report the listener's path.
            UnixDomainSocketAddress path = named(local) ? (UnixDomainSocketAddress) local
                : (UnixDomainSocketAddress) remote;
            String user = null;
            String group = null;
            if (ch.supportedOptions().contains(ExtendedSocketOptions.SO_PEERCRED)) {
                UnixDomainPrincipal p = ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
                user = p.user().getName();
                group = p.group().getName();
            }
            return PeerAddress.ipc(path, user, group);
        } catch (IOException | RuntimeException e) {
            return new PeerAddress(null, null, null, null);
        }
    }

    private static boolean named(SocketAddress a) {
        return a instanceof UnixDomainSocketAddress u && !u.getPath().toString().isEmpty();
    }
}
