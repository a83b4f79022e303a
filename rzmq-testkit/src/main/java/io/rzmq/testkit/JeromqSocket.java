package io.rzmq.testkit;

import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.zeromq.ZMQ;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A JeroMQ socket in a JeroMQ context of its own; tcp only (JeroMQ has no Unix-domain ipc). Needs
 * org.zeromq:jeromq on the test classpath (an optional dependency of the testkit).
 */
public final class JeromqSocket implements PeerSocket {
    private static final AtomicLong MONITORS = new AtomicLong();
    /** How long a connecting JeroMQ socket may take to send its greeting before it is replaced. */
    private static final Duration GREETING_WAIT = Duration.ofSeconds(3);
    private static final int CONNECT_ATTEMPTS = 5;

    private final org.zeromq.ZContext jctx;
    private final ZMQ.Socket socket;
    private final String endpoint;
    private final org.zeromq.ZAuth auth;
    private final Path passwords;

    private JeromqSocket(org.zeromq.ZContext jctx, ZMQ.Socket socket, String endpoint, org.zeromq.ZAuth auth,
                         Path passwords) {
        this.jctx = jctx;
        this.socket = socket;
        this.endpoint = endpoint;
        this.auth = auth;
        this.passwords = passwords;
    }

    /** Binds {@code where} ("tcp://127.0.0.1:*" picks a free port). */
    public static JeromqSocket bind(SocketType type, String where) {
        return open(type, s -> { }, null, true, where);
    }

    /** Connects to {@code endpoint}. */
    public static JeromqSocket connect(SocketType type, String endpoint) {
        return open(type, s -> { }, null, false, endpoint);
    }

    /**
     * {@code configure} sets options (security, ...) before bind/connect; {@code plainUsers}, when not null,
     * makes JeroMQ's own ZAP handler admit exactly these "user=password" lines (a PLAIN server).
     */
    public static JeromqSocket open(SocketType type, Consumer<ZMQ.Socket> configure, List<String> plainUsers,
                                    boolean bind, String where) {
        org.zeromq.ZContext jctx = new org.zeromq.ZContext();
        Path passwords = null;
        org.zeromq.ZAuth auth = null;
        try {
            if (plainUsers != null) {
                passwords = Files.createTempFile("jeromq-passwords", ".txt");
                Files.write(passwords, plainUsers);
                auth = new org.zeromq.ZAuth(jctx);
                auth.configurePlain("*", passwords.toString());
            }
            if (bind) {
                ZMQ.Socket s = create(jctx, type, configure);
                String prefix = where.substring(0, where.lastIndexOf(':'));
                int port = s.bindToRandomPort(prefix);
                return new JeromqSocket(jctx, s, prefix + ":" + port, auth, passwords);
            }
            return new JeromqSocket(jctx, connectRetrying(jctx, type, configure, where), where, auth, passwords);
        } catch (IOException e) {
            jctx.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            if (auth != null) {
                auth.close();
            }
            jctx.close();
            throw e;
        }
    }

    private static ZMQ.Socket create(org.zeromq.ZContext jctx, SocketType type, Consumer<ZMQ.Socket> configure) {
        ZMQ.Socket s = jctx.createSocket(org.zeromq.SocketType.valueOf(type.name()));
        s.setLinger(0);
        configure.accept(s);
        if (type == SocketType.SUB) {
            s.subscribe(new byte[0]);
        }
        return s;
    }

    /**
     * JeroMQ 0.6.0 connecting sometimes never starts its engine (no greeting): a socket whose greeting
     * does not go out within {@link #GREETING_WAIT} is replaced by a new one.
     */
    private static ZMQ.Socket connectRetrying(org.zeromq.ZContext jctx, SocketType type,
                                              Consumer<ZMQ.Socket> configure, String where) {
        for (int attempt = 1; attempt <= CONNECT_ATTEMPTS; attempt++) {
            ZMQ.Socket s = create(jctx, type, configure);
            String monitorAt = "inproc://testkit-jeromq-monitor-" + MONITORS.incrementAndGet();
            s.monitor(monitorAt, ZMQ.EVENT_HANDSHAKE_PROTOCOL);
            ZMQ.Socket events = jctx.createSocket(org.zeromq.SocketType.PAIR);
            events.setReceiveTimeOut((int) GREETING_WAIT.toMillis());
            events.connect(monitorAt);
            s.connect(where);
            ZMQ.Event greeted = ZMQ.Event.recv(events);
            s.monitor(null, 0);
            jctx.destroySocket(events);
            if (greeted != null) {
                return s;
            }
            jctx.destroySocket(s);
        }
        throw new AssertionError("JeroMQ never sent its greeting in " + CONNECT_ATTEMPTS + " connects");
    }

    @Override
    public String endpoint() {
        return endpoint;
    }

    @Override
    public void send(Msg msg) {
        List<Frame> frames = msg.frames();
        for (int i = 0; i < frames.size(); i++) {
            boolean more = i < frames.size() - 1;
            if (!socket.send(frames.get(i).toByteArray(), more ? ZMQ.SNDMORE : 0)) {
                throw new AssertionError("JeroMQ refused to send: errno " + socket.errno());
            }
        }
    }

    @Override
    public Msg receive(Duration timeout) {
        socket.setReceiveTimeOut((int) Math.max(1, timeout.toMillis()));
        byte[] first = socket.recv();
        if (first == null) {
            return null;
        }
        List<Frame> frames = new ArrayList<>(List.of(Frame.wrap(first)));
        while (socket.hasReceiveMore()) {
            frames.add(Frame.wrap(socket.recv()));
        }
        return Msg.ofFrames(frames.toArray(Frame[]::new));
    }

    @Override
    public void close() {
        if (auth != null) {
            auth.close();
        }
        jctx.close();
        if (passwords != null) {
            try {
                Files.deleteIfExists(passwords);
            } catch (IOException ignored) {
                // a temp file
            }
        }
    }

    @Override
    public String toString() {
        return "JeroMQ " + socket.getSocketType();
    }
}
