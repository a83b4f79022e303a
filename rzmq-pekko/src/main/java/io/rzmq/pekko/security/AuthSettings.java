package io.rzmq.pekko.security;

import com.typesafe.config.Config;
import io.rzmq.protocol.security.CurveKeyPair;
import io.rzmq.protocol.security.Z85;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The policy of an {@link Authenticator} (CZMQ zauth's): immutable, {@code withX} returns a changed copy.
 * Defaults come from {@code rzmq.authenticator} in reference.conf ({@link #create(Config)}), or
 * {@link #defaults()}: no address lists, no PLAIN users, no CURVE keys, so NULL clients are admitted
 * and PLAIN and CURVE clients refused until configured.
 *
 * <ul>
 *   <li>Addresses: a non-empty allow list admits only its addresses (to continue with their mechanism);
 *       otherwise the deny list refuses its addresses. Exact string match of the ZAP address (the peer's
 *       IP as the server reports it, e.g. {@code 127.0.0.1}).</li>
 *   <li>NULL: admitted when the address passes.</li>
 *   <li>PLAIN: the password of the user in {@link #plainUsers()} or, for names not there, in the
 *       {@link #passwordFile()} ({@link PasswordFile} format).</li>
 *   <li>CURVE: any client when {@link #curveAllowAny()}, else a public key in {@link #curveKeys()} or in a
 *       certificate of the {@link #curveCertificates()} directory ({@link ZCertStore}).</li>
 * </ul>
 *
 * {@link #toString()} lists user names, never passwords.
 */
public final class AuthSettings {
    private static final AuthSettings DEFAULTS = new AuthSettings(false, Set.of(), Set.of(), Map.of(), null,
        false, Set.of(), null);

    private final boolean verbose;
    private final Set<String> allow;
    private final Set<String> deny;
    private final Map<String, String> plainUsers;
    private final Path passwordFile;
    private final boolean curveAllowAny;
    private final Set<String> curveKeys;
    private final Path curveCertificates;

    private AuthSettings(boolean verbose, Set<String> allow, Set<String> deny, Map<String, String> plainUsers,
                         Path passwordFile, boolean curveAllowAny, Set<String> curveKeys, Path curveCertificates) {
        this.verbose = verbose;
        this.allow = allow;
        this.deny = deny;
        this.plainUsers = plainUsers;
        this.passwordFile = passwordFile;
        this.curveAllowAny = curveAllowAny;
        this.curveKeys = curveKeys;
        this.curveCertificates = curveCertificates;
    }

    /** Everything off and empty (NULL admitted, PLAIN and CURVE refused). */
    public static AuthSettings defaults() {
        return DEFAULTS;
    }

    /** Reads {@code rzmq.authenticator} from a full configuration (e.g. {@code system.settings().config()}). */
    public static AuthSettings create(Config config) {
        Config c = config.getConfig("rzmq.authenticator");
        String pw = c.getString("password-file").trim();
        String certs = c.getString("curve-certificates").trim();
        return defaults()
            .withVerbose(c.getBoolean("verbose"))
            .withAllow(c.getStringList("allow"))
            .withDeny(c.getStringList("deny"))
            .withPasswordFile(pw.isEmpty() ? null : Path.of(pw))
            .withCurveAllowAny(c.getBoolean("curve-allow-any"))
            .withCurveKeys(c.getStringList("curve-keys"))
            .withCurveCertificates(certs.isEmpty() ? null : Path.of(certs));
    }

    public boolean verbose() {
        return verbose;
    }

    /** Allowed peer addresses; when not empty, every other address is refused. */
    public Set<String> allow() {
        return allow;
    }

    /** Refused peer addresses (ignored while the allow list is not empty). */
    public Set<String> deny() {
        return deny;
    }

    /** PLAIN users and their passwords (these win over the password file's). */
    public Map<String, String> plainUsers() {
        return plainUsers;
    }

    public Optional<Path> passwordFile() {
        return Optional.ofNullable(passwordFile);
    }

    public boolean curveAllowAny() {
        return curveAllowAny;
    }

    /** Admitted CURVE client public keys, in Z85. */
    public Set<String> curveKeys() {
        return curveKeys;
    }

    /** A directory of public certificates whose keys are admitted. */
    public Optional<Path> curveCertificates() {
        return Optional.ofNullable(curveCertificates);
    }

    /** Log every decision at INFO (otherwise DEBUG). Passwords and secret keys are never logged. */
    public AuthSettings withVerbose(boolean v) {
        return new AuthSettings(v, allow, deny, plainUsers, passwordFile, curveAllowAny, curveKeys, curveCertificates);
    }

    /** Replaces the allow list. */
    public AuthSettings withAllow(Collection<String> addresses) {
        return new AuthSettings(verbose, addresses(addresses), deny, plainUsers, passwordFile, curveAllowAny,
            curveKeys, curveCertificates);
    }

    /** Adds to the allow list. */
    public AuthSettings plusAllow(String... addresses) {
        return withAllow(union(allow, List.of(addresses)));
    }

    /** Replaces the deny list. */
    public AuthSettings withDeny(Collection<String> addresses) {
        return new AuthSettings(verbose, allow, addresses(addresses), plainUsers, passwordFile, curveAllowAny,
            curveKeys, curveCertificates);
    }

    /** Adds to the deny list. */
    public AuthSettings plusDeny(String... addresses) {
        return withDeny(union(deny, List.of(addresses)));
    }

    /** Replaces the PLAIN users (name to password). */
    public AuthSettings withPlainUsers(Map<String, String> users) {
        Map<String, String> m = new LinkedHashMap<>();
        users.forEach((k, v) -> m.put(Objects.requireNonNull(k, "user name"), Objects.requireNonNull(v, "password")));
        return new AuthSettings(verbose, allow, deny, Collections.unmodifiableMap(m), passwordFile, curveAllowAny,
            curveKeys, curveCertificates);
    }

    /** Adds or replaces one PLAIN user. */
    public AuthSettings withPlainUser(String name, String password) {
        Map<String, String> m = new LinkedHashMap<>(plainUsers);
        m.put(Objects.requireNonNull(name, "user name"), Objects.requireNonNull(password, "password"));
        return withPlainUsers(m);
    }

    /** A password file ({@link PasswordFile} format) read at start and on reload; null for none. */
    public AuthSettings withPasswordFile(Path file) {
        return new AuthSettings(verbose, allow, deny, plainUsers, file, curveAllowAny, curveKeys, curveCertificates);
    }

    /** Admit every CURVE client that completes the handshake (CZMQ's CURVE_ALLOW_ANY). */
    public AuthSettings withCurveAllowAny(boolean v) {
        return new AuthSettings(verbose, allow, deny, plainUsers, passwordFile, v, curveKeys, curveCertificates);
    }

    /**
     * Replaces the admitted CURVE public keys (40-character Z85 each).
     *
     * @throws IllegalArgumentException on a key that is not 40 valid Z85 characters
     */
    public AuthSettings withCurveKeys(Collection<String> keysZ85) {
        Set<String> s = new LinkedHashSet<>();
        for (String k : keysZ85) {
            CurveKeyPair.decodePublicKey(k);
            s.add(k);
        }
        return new AuthSettings(verbose, allow, deny, plainUsers, passwordFile, curveAllowAny,
            Collections.unmodifiableSet(s), curveCertificates);
    }

    /** Adds admitted CURVE public keys (Z85). */
    public AuthSettings plusCurveKeys(String... keysZ85) {
        return withCurveKeys(union(curveKeys, List.of(keysZ85)));
    }

    /** Adds an admitted CURVE public key (32 bytes). */
    public AuthSettings plusCurveKey(byte[] publicKey) {
        if (publicKey.length != CurveKeyPair.KEY_BYTES) {
            throw new IllegalArgumentException("a CURVE public key is 32 bytes");
        }
        return plusCurveKeys(Z85.encode(publicKey));
    }

    /** A directory of public certificates ({@link ZCertStore}) read at start and on reload; null for none. */
    public AuthSettings withCurveCertificates(Path directory) {
        return new AuthSettings(verbose, allow, deny, plainUsers, passwordFile, curveAllowAny, curveKeys, directory);
    }

    private static Set<String> addresses(Collection<String> in) {
        Set<String> s = new LinkedHashSet<>();
        for (String a : in) {
            s.add(Objects.requireNonNull(a, "address").trim());
        }
        return Collections.unmodifiableSet(s);
    }

    private static Set<String> union(Set<String> a, Collection<String> b) {
        Set<String> s = new LinkedHashSet<>(a);
        s.addAll(b);
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuthSettings s && verbose == s.verbose && curveAllowAny == s.curveAllowAny
            && allow.equals(s.allow) && deny.equals(s.deny) && plainUsers.equals(s.plainUsers)
            && Objects.equals(passwordFile, s.passwordFile) && curveKeys.equals(s.curveKeys)
            && Objects.equals(curveCertificates, s.curveCertificates);
    }

    @Override
    public int hashCode() {
        return Objects.hash(verbose, allow, deny, plainUsers, passwordFile, curveAllowAny, curveKeys, curveCertificates);
    }

    /** User names only; passwords never appear. */
    @Override
    public String toString() {
        return "AuthSettings{verbose=" + verbose + ", allow=" + allow + ", deny=" + deny
            + ", plainUsers=" + plainUsers.keySet() + ", passwordFile=" + passwordFile
            + ", curveAllowAny=" + curveAllowAny + ", curveKeys=" + curveKeys.size()
            + ", curveCertificates=" + curveCertificates + "}";
    }
}
