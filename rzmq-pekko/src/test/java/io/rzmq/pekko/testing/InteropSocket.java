package io.rzmq.pekko.testing;

import io.rzmq.testkit.JeromqSocket;
import io.rzmq.testkit.LibzmqSocket;
import io.rzmq.testkit.PeerSocket;
import io.rzmq.testkit.PyPeer;
import io.rzmq.pekko.model.RzmqException;
import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.pekko.api.Await;
import io.rzmq.pekko.api.ZContext;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.rzmq.pekko.api.Await.result;

/**
 * One socket of an interop test, whatever implements it: rzmq, libzmq (the pyzmq peer in its "drive"
 * mode) or JeroMQ, driven from the test thread. A SUB subscribes to everything. Each binds (to a
 * wildcard endpoint of the transport given) or connects, and then sends and receives whole messages. The
 * libzmq and JeroMQ ones are the testkit's sockets; this adds rzmq's.
 */
public interface InteropSocket extends PeerSocket {

    /** The implementations. */
    enum Impl { RZMQ, LIBZMQ, JEROMQ }

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
        return new Libzmq(LibzmqSocket.open(env, type, bind, where));
    }

    /** A JeroMQ socket with {@code role} (null: NULL); tcp only (JeroMQ has no Unix-domain ipc). */
    static InteropSocket jeromq(SocketType type, SecureRole role, boolean bind, String where) {
        boolean plainServer = role != null && role.server() && role.mechanism() == SecureRole.Mechanism.PLAIN;
        return new Jeromq(JeromqSocket.open(type, s -> {
            if (role != null) {
                role.applyTo(s);
            }
        }, plainServer ? List.of(SecureRole.USER + "=" + SecureRole.PASSWORD) : null, bind, where));
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

    /** The testkit's libzmq socket (the pyzmq peer in its "drive" mode). */
    record Libzmq(LibzmqSocket socket) implements InteropSocket {
        /** The peer process, for its other lines. */
        public PyPeer peer() {
            return socket.peer();
        }

        @Override
        public String endpoint() {
            return socket.endpoint();
        }

        @Override
        public void send(Msg msg) {
            socket.send(msg);
        }

        @Override
        public Msg receive(Duration timeout) {
            return socket.receive(timeout);
        }

        @Override
        public void close() {
            socket.close();
        }

        @Override
        public String toString() {
            return socket.toString();
        }
    }

    /** The testkit's JeroMQ socket. */
    record Jeromq(JeromqSocket socket) implements InteropSocket {
        @Override
        public String endpoint() {
            return socket.endpoint();
        }

        @Override
        public void send(Msg msg) {
            socket.send(msg);
        }

        @Override
        public Msg receive(Duration timeout) {
            return socket.receive(timeout);
        }

        @Override
        public void close() {
            socket.close();
        }

        @Override
        public String toString() {
            return socket.toString();
        }
    }
}
