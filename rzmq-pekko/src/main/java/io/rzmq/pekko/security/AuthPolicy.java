package io.rzmq.pekko.security;

import io.rzmq.protocol.Metadata;
import io.rzmq.protocol.security.Z85;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An {@link AuthSettings} with its files read: what the authenticator decides with. Pure once built;
 * {@link #load} does the blocking file I/O and runs off the actor.
 */
final class AuthPolicy {
    /** ZMTP property names the connection sets itself; a certificate may not shadow them. */
    private static final Set<String> RESERVED = Set.of("socket-type", "identity", "routing-id", "resource",
        "user-id", "peer-address");

    final AuthSettings settings;
    final Map<String, String> fileUsers;
    final ZCertStore store;

    AuthPolicy(AuthSettings settings, Map<String, String> fileUsers, ZCertStore store) {
        this.settings = settings;
        this.fileUsers = fileUsers;
        this.store = store;
    }

    /** Reads the password file and the certificate directory of {@code settings} (blocking). */
    static AuthPolicy load(AuthSettings settings) throws IOException {
        Map<String, String> users = settings.passwordFile().isPresent()
            ? PasswordFile.load(settings.passwordFile().get()) : Map.of();
        ZCertStore store = settings.curveCertificates().isPresent()
            ? ZCertStore.load(settings.curveCertificates().get()) : ZCertStore.empty();
        return new AuthPolicy(settings, users, store);
    }

    /** The outcome for one request; {@code detail} is for the log and never holds a secret. */
    record Decision(String statusCode, String statusText, String userId, Metadata metadata, String detail) {
        static Decision allow(String userId, Metadata md, String detail) {
            return new Decision("200", "OK", userId, md, detail);
        }

        static Decision deny(String text, String detail) {
            return new Decision("400", text, "", Metadata.EMPTY, detail);
        }
    }

    Decision decide(String address, String mechanism, List<byte[]> credentials) {
        boolean passed = false;
        String addressNote;
        if (!settings.allow().isEmpty()) {
            if (!settings.allow().contains(address)) {
                return Decision.deny("Address not allowed", "address " + address + " is not in the allow list");
            }
            passed = true;
            addressNote = "address " + address + " allowed";
        } else if (settings.deny().contains(address)) {
            return Decision.deny("Address denied", "address " + address + " is in the deny list");
        } else {
            addressNote = settings.deny().isEmpty() ? "no address lists" : "address " + address + " not denied";
        }
        return switch (mechanism) {
            case "NULL" -> Decision.allow("", Metadata.EMPTY, addressNote + (passed ? "" : "; NULL admitted"));
            case "PLAIN" -> plain(credentials, addressNote);
            case "CURVE" -> curve(credentials.get(0), addressNote);
            default -> Decision.deny("Unsupported mechanism", "mechanism " + printable(mechanism) + " is not supported");
        };
    }

    private Decision plain(List<byte[]> credentials, String addressNote) {
        String user = new String(credentials.get(0), StandardCharsets.UTF_8);
        String expected = settings.plainUsers().get(user);
        if (expected == null) {
            expected = fileUsers.get(user);
        }
        if (expected == null) {
            return Decision.deny("Invalid username or password", addressNote + "; PLAIN user "
                + printable(user) + " is unknown" + (settings.plainUsers().isEmpty() && fileUsers.isEmpty()
                ? " (no PLAIN users configured)" : ""));
        }
        // Constant-time comparison: the time taken does not tell how much of the password matched.
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), credentials.get(1))) {
            return Decision.deny("Invalid username or password", addressNote + "; wrong password for PLAIN user "
                + printable(user));
        }
        return Decision.allow(user, Metadata.EMPTY, addressNote + "; PLAIN user " + printable(user) + " admitted");
    }

    private Decision curve(byte[] clientKey, String addressNote) {
        String key = Z85.encode(clientKey);
        if (settings.curveAllowAny()) {
            return Decision.allow(key, Metadata.EMPTY, addressNote + "; CURVE key " + key + " admitted (allow any)");
        }
        if (settings.curveKeys().contains(key)) {
            return Decision.allow(key, Metadata.EMPTY, addressNote + "; CURVE key " + key + " admitted (configured key)");
        }
        Optional<ZCert> cert = store.lookup(key);
        if (cert.isPresent()) {
            return Decision.allow(key, metadataOf(cert.get()), addressNote + "; CURVE key " + key
                + " admitted (certificate in " + store.directory().map(Object::toString).orElse("store") + ")");
        }
        return Decision.deny("Unknown CURVE key", addressNote + "; CURVE key " + key + " is not known");
    }

    /** The certificate's metadata that can travel as ZMTP properties (names: 1-255 of A-Z a-z 0-9 - _ . +). */
    static Metadata metadataOf(ZCert cert) {
        Metadata.Builder b = Metadata.builder();
        cert.metadata().forEach((name, value) -> {
            if (isPropertyName(name) && !RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
                b.put(name, value);
            }
        });
        return b.build();
    }

    private static boolean isPropertyName(String name) {
        if (name.isEmpty() || name.length() > 255) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '_' || c == '.' || c == '+';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** A peer-supplied string made safe for one log line (control characters escaped, length capped). */
    static String printable(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 64) + 2).append('\'');
        for (int i = 0; i < s.length() && i < 64; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        if (s.length() > 64) {
            b.append("...");
        }
        return b.append('\'').toString();
    }
}
