package io.rzmq.samples.cli;

import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.protocol.security.CurveKeyPair;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code zmq} tool's security options, turned into {@link SocketOptions}: CURVE (client or server) or
 * PLAIN (client or server). Keys are 40 Z85 characters (which may start with '@'), or {@code @FILE}: a file holding that text, or a
 * zcert certificate (CZMQ's format, {@code public-key = "..."} / {@code secret-key = "..."}), from which the
 * key the option asks for is taken. Messages never repeat a secret key or a password.
 */
final class Security {
    private static final Pattern ZCERT_KEY = Pattern.compile("(?m)^\\s*(public-key|secret-key)\\s*=\\s*\"([^\"]{40})\"");

    private Security() {
    }

    /**
     * {@code options} with the security the command line asks for; a CURVE server's public key is printed to
     * {@code err} for its clients.
     *
     * @throws IllegalArgumentException for an inconsistent or malformed set (shown as a usage error)
     * @throws IOException when a key file cannot be read
     */
    static SocketOptions apply(ZmqCli cli, SocketOptions options, PrintWriter err) throws IOException {
        boolean curve = cli.curveServer || cli.curveServerKey != null || cli.curveSecretKey != null
            || cli.curvePublicKey != null;
        boolean plain = cli.plainServer || cli.plainUsername != null || cli.plainPassword != null;
        if (curve && plain) {
            throw new IllegalArgumentException("choose CURVE or PLAIN, not both");
        }
        if (curve) {
            return curve(cli, options, err);
        }
        if (plain) {
            return plain(cli, options);
        }
        return options;
    }

    private static SocketOptions curve(ZmqCli cli, SocketOptions options, PrintWriter err) throws IOException {
        if (cli.curveSecretKey == null) {
            throw new IllegalArgumentException("CURVE needs --curve-secretkey (this socket's secret key)");
        }
        SocketOptions o = options.withCurveSecretKey(key(cli.curveSecretKey, "secret-key", "--curve-secretkey"));
        if (cli.curvePublicKey != null) {
            o = o.withCurvePublicKey(key(cli.curvePublicKey, "public-key", "--curve-publickey"));
        }
        if (cli.curveServer) {
            if (cli.curveServerKey != null) {
                throw new IllegalArgumentException("--curve-server and --curve-serverkey do not go together "
                    + "(the server key is for clients)");
            }
            o = o.withCurveServer(true);
        } else {
            if (cli.curveServerKey == null) {
                throw new IllegalArgumentException("a CURVE client needs --curve-serverkey (the server's public key)");
            }
            o = o.withCurveServerKey(key(cli.curveServerKey, "public-key", "--curve-serverkey"));
            if (cli.curvePublicKey == null) {
                // libzmq needs CURVE_PUBLICKEY on a client; the secret key determines it.
                o = o.withCurvePublicKey(o.curveKeyPair().publicKeyZ85());
            }
        }
        o.checkSecurity();
        if (cli.curveServer) {
            err.println("curve server public key " + o.curveKeyPair().publicKeyZ85());
        }
        return o;
    }

    private static SocketOptions plain(ZmqCli cli, SocketOptions options) throws IOException {
        if (cli.plainServer) {
            if (cli.plainUsername != null || cli.plainPassword != null) {
                throw new IllegalArgumentException("--plain-server takes no --plain-username/--plain-password "
                    + "(those are the client's)");
            }
            return options.withPlainServer(true);
        }
        SocketOptions o = options;
        if (cli.plainUsername != null) {
            o = o.withPlainUsername(cli.plainUsername);
        }
        if (cli.plainPassword != null) {
            o = o.withPlainPassword(cli.plainPassword.startsWith("@")
                ? firstLine(Path.of(cli.plainPassword.substring(1))) : cli.plainPassword);
        }
        return o;
    }

    /** A Z85 key from the text, or from {@code @FILE} (plain text or a zcert, whose {@code field} is taken). */
    static String key(String value, String field, String option) throws IOException {
        // '@' is a Z85 character too: a value that is a whole Z85 key is the key, even when it starts with '@'.
        if (!value.startsWith("@") || isZ85Key(value)) {
            return value;
        }
        Path file = Path.of(value.substring(1));
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException("cannot read " + option + " file " + file + ": " + e.getMessage(), e);
        }
        Matcher m = ZCERT_KEY.matcher(text);
        boolean certificate = false;
        while (m.find()) {
            certificate = true;
            if (m.group(1).equals(field)) {
                return m.group(2);
            }
        }
        if (certificate) {
            throw new IllegalArgumentException(option + ": certificate " + file + " has no " + field);
        }
        String trimmed = text.strip();
        if (trimmed.length() != CurveKeyPair.Z85_KEY_CHARS) {
            throw new IllegalArgumentException(option + ": " + file + " holds neither a zcert certificate nor "
                + CurveKeyPair.Z85_KEY_CHARS + " Z85 characters");
        }
        return trimmed;
    }

    private static boolean isZ85Key(String value) {
        if (value.length() != CurveKeyPair.Z85_KEY_CHARS) {
            return false;
        }
        try {
            io.rzmq.protocol.security.Z85.decode(value);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String firstLine(Path file) throws IOException {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int nl = text.indexOf('\n');
            return (nl < 0 ? text : text.substring(0, nl)).replace("\r", "");
        } catch (IOException e) {
            throw new IOException("cannot read the password file " + file + ": " + e.getMessage(), e);
        }
    }
}
