package io.rzmq.pekko.testing;

import io.rzmq.pekko.model.RzmqException;
import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.pekko.api.Await;
import io.rzmq.pekko.api.ZContext;
import io.rzmq.pekko.api.ZSocket;
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
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static io.rzmq.pekko.api.Await.result;

/**
 * One socket of an interop test, whatever implements it: rzmq, libzmq (the pyzmq peer in its "drive"
 * mode) or JeroMQ, driven from the test thread. A SUB subscribes to everything. Each binds (to a
 * wildcard endpoint of the transport given) or connects, and then sends and receives whole messages.
 */
public interface InteropSocket extends AutoCloseable {

    /** The implementations. */
    enum Impl { RZMQ, LIBZMQ, JEROMQ }

    /** The endpoint it bound, or the one it connected to. */
    String endpoint();

    void send(Msg msg);

    /** The next message within {@code timeout}, or null. */
    Msg receive(Duration timeout);

    /** The next message within the test deadline. */
    default Msg receive() {
        Msg m = receive(Await.DEADLINE);
        if (m == null) {
            throw new AssertionError(this + " received nothing within " + Await.DEADLINE);
        }
        return m;
    }

    @Override
    void close();

    /** {@code where}: a wildcard endpoint to bind ("tcp://127.0.0.1:*", "ipc://*"), or one to connect to. */
    static Rzmq rzmq(ZContext ctx, SocketType type, SocketOptions options, boolean bind, String where) {
        ZSocket s = ZSocket.create(ctx, type, options);
        if (type == SocketType.SUB) {
            result(s.subscribe(""));
        }
        String endpoint = where;
        if (bind) {
            endpoint = result(s.bind(where));
        } else {
            result(s.connect(where));
        }
        return new Rzmq(s, endpoint);
    }

    static InteropSocket libzmq(Map<String, String> env, SocketType type, boolean bind, String where) {
        PyPeer py = PyPeer.start(env, "drive", bind ? "bind" : "connect", where, type.name().toLowerCase(Locale.ROOT));
        String endpoint = py.awaitReady();
        if (type == SocketType.SUB) {
            py.commandAndWait("SUBSCRIBE");
        }
        return new Libzmq(py, endpoint);
    }

    /** A JeroMQ socket with {@code role} (null: NULL); tcp only (JeroMQ has no Unix-domain ipc). */
    static InteropSocket jeromq(SocketType type, SecureRole role, boolean bind, String where) {
        return Jeromq.open(type, role, bind, where);
    }

    /** An rzmq socket; {@link #socket()} gives the handle for monitors and options. */
    record Rzmq(ZSocket socket, String endpoint) implements InteropSocket {
        @Override
        public void send(Msg msg) {
            result(socket.send(msg));
        }

        @Override
        public Msg receive(Duration timeout) {
            try {
                return result(socket.receive(timeout));
            } catch (RzmqException e) {
                if (e.code() == RzmqException.Code.EAGAIN) {
                    return null;
                }
                throw e;
            }
        }

        @Override
        public void close() {
            if (!socket.isClosed()) {
                result(socket.close());
            }
        }

        @Override
        public String toString() {
            return "rzmq " + socket.type();
        }
    }

    /** The pyzmq peer in its "drive" mode: SEND commands out, MSG lines in. */
    record Libzmq(PyPeer peer, String endpoint) implements InteropSocket {
        @Override
        public void send(Msg msg) {
            peer.command("SEND " + Msgs.line(msg).substring("MSG ".length()));
        }

        @Override
        public Msg receive(Duration timeout) {
            String line = peer.nextLine(l -> l.startsWith("MSG "), timeout);
            return line == null ? null : Msgs.parse(line);
        }

        @Override
        public void close() {
            peer.close();
        }

        @Override
        public String toString() {
            return "libzmq peer";
        }
    }

    /** A JeroMQ socket in a context of its own (with JeroMQ's own ZAP handler when it is a PLAIN server). */
    final class Jeromq implements InteropSocket {
        private static final AtomicLong MONITORS = new AtomicLong();
        /** How long a connecting JeroMQ socket may take to send its greeting before it is replaced. */
        private static final Duration GREETING_WAIT = Duration.ofSeconds(3);
        private static final int CONNECT_ATTEMPTS = 5;

        private final org.zeromq.ZContext jctx;
        private final ZMQ.Socket socket;
        private final String endpoint;
        private final org.zeromq.ZAuth auth;
        private final Path passwords;

        private Jeromq(org.zeromq.ZContext jctx, ZMQ.Socket socket, String endpoint, org.zeromq.ZAuth auth,
                       Path passwords) {
            this.jctx = jctx;
            this.socket = socket;
            this.endpoint = endpoint;
            this.auth = auth;
            this.passwords = passwords;
        }

        static Jeromq open(SocketType type, SecureRole role, boolean bind, String where) {
            org.zeromq.ZContext jctx = new org.zeromq.ZContext();
            Path passwords = null;
            org.zeromq.ZAuth auth = null;
            try {
                if (role != null && role.server() && role.mechanism() == SecureRole.Mechanism.PLAIN) {
                    passwords = Files.createTempFile("jeromq-passwords", ".txt");
                    Files.writeString(passwords, SecureRole.USER + "=" + SecureRole.PASSWORD + "\n");
                    auth = new org.zeromq.ZAuth(jctx);
                    auth.configurePlain("*", passwords.toString());
                }
                if (bind) {
                    ZMQ.Socket s = create(jctx, type, role);
                    int port = s.bindToRandomPort(where.substring(0, where.lastIndexOf(':')));
                    return new Jeromq(jctx, s, where.substring(0, where.lastIndexOf(':') + 1) + port, auth,
                        passwords);
                }
                return new Jeromq(jctx, connectRetrying(jctx, type, role, where), where, auth, passwords);
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

        private static ZMQ.Socket create(org.zeromq.ZContext jctx, SocketType type, SecureRole role) {
            ZMQ.Socket s = jctx.createSocket(org.zeromq.SocketType.valueOf(type.name()));
            s.setLinger(0);
            if (role != null) {
                role.applyTo(s);
            }
            if (type == SocketType.SUB) {
                s.subscribe(new byte[0]);
            }
            return s;
        }

        /**
         * JeroMQ 0.6.0 connecting sometimes never starts its engine (no greeting): a socket whose greeting
         * does not go out within {@link #GREETING_WAIT} is replaced by a new one.
         */
        private static ZMQ.Socket connectRetrying(org.zeromq.ZContext jctx, SocketType type, SecureRole role,
                                                  String where) {
            for (int attempt = 1; attempt <= CONNECT_ATTEMPTS; attempt++) {
                ZMQ.Socket s = create(jctx, type, role);
                String monitorAt = "inproc://interop-jeromq-monitor-" + MONITORS.incrementAndGet();
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
}
