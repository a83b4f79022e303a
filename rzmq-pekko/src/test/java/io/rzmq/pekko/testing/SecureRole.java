package io.rzmq.pekko.testing;

import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.protocol.security.CurveKeyPair;
import org.zeromq.ZMQ;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The security role of one side of an interop test (PLAIN or CURVE, server or client, with its
 * credentials), applied alike to an rzmq socket's options, the pyzmq peer's environment and a JeroMQ
 * socket. A PLAIN server's handler admits {@link #USER}/{@link #PASSWORD} (the pyzmq peer's own does).
 */
public record SecureRole(Mechanism mechanism, boolean server, String username, String password, CurveKeyPair keys,
                         String serverKey) {
    public enum Mechanism { PLAIN, CURVE }

    /** The PLAIN login every test handler admits (zmq_peer.py's PLAIN server knows only this one). */
    public static final String USER = "admin";
    public static final String PASSWORD = "secret";

    public SecureRole {
        Objects.requireNonNull(mechanism, "mechanism");
    }

    public static SecureRole plainServer() {
        return new SecureRole(Mechanism.PLAIN, true, null, null, null, null);
    }

    public static SecureRole plainClient(String username, String password) {
        return new SecureRole(Mechanism.PLAIN, false, username, password, null, null);
    }

    public static SecureRole curveServer(CurveKeyPair keys) {
        return new SecureRole(Mechanism.CURVE, true, null, null, keys, null);
    }

    public static SecureRole curveClient(CurveKeyPair keys, String serverPublicZ85) {
        return new SecureRole(Mechanism.CURVE, false, null, null, keys, serverPublicZ85);
    }

    /** The server role of {@code mechanism} (CURVE with {@code serverKeys}). */
    public static SecureRole server(Mechanism mechanism, CurveKeyPair serverKeys) {
        return mechanism == Mechanism.PLAIN ? plainServer() : curveServer(serverKeys);
    }

    /** The client role of {@code mechanism} that the server above admits ({@code clientKeys} for CURVE). */
    public static SecureRole client(Mechanism mechanism, CurveKeyPair serverKeys, CurveKeyPair clientKeys) {
        return mechanism == Mechanism.PLAIN ? plainClient(USER, PASSWORD)
            : curveClient(clientKeys, serverKeys.publicKeyZ85());
    }

    /** The User-Id an rzmq server with the test's authenticator gives this client's messages. */
    public String expectedUserId() {
        return mechanism == Mechanism.PLAIN ? username : keys.publicKeyZ85();
    }

    public SocketOptions applyTo(SocketOptions o) {
        if (mechanism == Mechanism.PLAIN) {
            return server ? o.withPlainServer(true) : o.withPlainUsername(username).withPlainPassword(password);
        }
        return server ? o.withCurveServer(true).withCurveSecretKey(keys.secretKeyZ85())
            : o.withCurveServerKey(serverKey).withCurvePublicKey(keys.publicKeyZ85())
                .withCurveSecretKey(keys.secretKeyZ85());
    }

    /** zmq_peer.py's environment for this role. */
    public Map<String, String> pyEnv() {
        Map<String, String> env = new HashMap<>();
        if (mechanism == Mechanism.PLAIN) {
            if (server) {
                env.put("PLAIN_SERVER", "1");
            } else {
                env.put("PLAIN_USERNAME", username);
                env.put("PLAIN_PASSWORD", password);
            }
        } else if (server) {
            env.put("CURVE_SERVER_SECRET", keys.secretKeyZ85());
        } else {
            env.put("CURVE_CLIENT_PUBLIC", keys.publicKeyZ85());
            env.put("CURVE_CLIENT_SECRET", keys.secretKeyZ85());
            env.put("CURVE_SERVER_PUBLIC", serverKey);
        }
        return env;
    }

    /** Sets this role on a JeroMQ socket (a PLAIN server there also needs a handler: see InteropSocket). */
    public void applyTo(ZMQ.Socket s) {
        if (mechanism == Mechanism.PLAIN) {
            if (server) {
                s.setPlainServer(true);
            } else {
                s.setPlainUsername(username);
                s.setPlainPassword(password);
            }
        } else if (server) {
            s.setCurveServer(true);
            s.setCurveSecretKey(keys.secretKey());
        } else {
            s.setCurveServerKey(CurveKeyPair.decodePublicKey(serverKey));
            s.setCurvePublicKey(keys.publicKey());
            s.setCurveSecretKey(keys.secretKey());
        }
    }

    @Override
    public String toString() {
        return mechanism + (server ? " server" : " client");
    }
}
