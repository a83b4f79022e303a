package io.rzmq.pekko.security;

import io.rzmq.protocol.security.CurveKeyPair;
import io.rzmq.protocol.security.Z85;
import io.rzmq.protocol.zpl.Zpl;
import io.rzmq.protocol.zpl.ZplException;
import io.rzmq.protocol.zpl.ZplNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A CURVE certificate as CZMQ's zcert keeps it: a public key, optionally its secret key, and metadata
 * (name/value strings). Saved as two ZPL text files that CZMQ, pyzmq and JeroMQ read:
 * {@code name} holds the public key and metadata, {@code name_secret} both keys (written with
 * permissions 0600 where the file system has POSIX permissions).
 *
 * <pre>
 * #   ****  Generated on 2024-05-01 10:00:00 by rzmq  ****
 * #   ZeroMQ CURVE Public Certificate
 * ...
 *
 * metadata
 *     name = "server"
 * curve
 *     public-key = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"
 * </pre>
 *
 * Immutable and safe to share. {@link #toString()} never shows the secret key.
 */
public final class ZCert {
    /** Suffix of the secret file next to a public one ({@code server} / {@code server_secret}). */
    public static final String SECRET_SUFFIX = "_secret";
    /** Certificates are small; a larger file is refused rather than read into memory. */
    static final long MAX_FILE_BYTES = 1 << 20;

    private static final String ZERO_KEY = "0".repeat(CurveKeyPair.Z85_KEY_CHARS);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final Set<PosixFilePermission> SECRET_MODE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> PUBLIC_MODE = PosixFilePermissions.fromString("rw-r--r--");

    private final byte[] publicKey;
    private final CurveKeyPair keyPair;
    private final Map<String, String> metadata;

    private ZCert(byte[] publicKey, CurveKeyPair keyPair, Map<String, String> metadata) {
        this.publicKey = publicKey;
        this.keyPair = keyPair;
        this.metadata = Collections.unmodifiableMap(metadata);
    }

    /** A certificate with a fresh key pair and no metadata. */
    public static ZCert generate() {
        return of(CurveKeyPair.generate());
    }

    /** A certificate holding {@code pair} (both keys). */
    public static ZCert of(CurveKeyPair pair) {
        return new ZCert(pair.publicKey(), pair, new LinkedHashMap<>());
    }

    /** A public certificate: the 32-byte public key only. */
    public static ZCert ofPublicKey(byte[] publicKey) {
        if (publicKey == null || publicKey.length != CurveKeyPair.KEY_BYTES) {
            throw new IllegalArgumentException("a CURVE public key is " + CurveKeyPair.KEY_BYTES + " bytes");
        }
        return new ZCert(publicKey.clone(), null, new LinkedHashMap<>());
    }

    /** A public certificate from a 40-character Z85 public key. */
    public static ZCert ofPublicKey(String publicKeyZ85) {
        return ofPublicKey(CurveKeyPair.decodePublicKey(publicKeyZ85));
    }

    /**
     * This certificate with metadata {@code name = value} added or replaced.
     *
     * @throws IllegalArgumentException when {@code name} is not a ZPL name, or {@code value} holds a line
     *         break or both kinds of quote (the file format cannot carry those)
     */
    public ZCert withMeta(String name, String value) {
        Zpl.checkName(Objects.requireNonNull(name, "name"));
        Objects.requireNonNull(value, "value");
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("metadata '" + name + "' holds a line break");
        }
        if (value.indexOf('"') >= 0 && value.indexOf('\'') >= 0) {
            throw new IllegalArgumentException("metadata '" + name + "' holds both kinds of quote");
        }
        Map<String, String> md = new LinkedHashMap<>(metadata);
        md.put(name, value);
        return new ZCert(publicKey, keyPair, md);
    }

    /** This certificate with every entry of {@code entries} added (see {@link #withMeta}). */
    public ZCert withMetadata(Map<String, String> entries) {
        ZCert c = this;
        for (Map.Entry<String, String> e : entries.entrySet()) {
            c = c.withMeta(e.getKey(), e.getValue());
        }
        return c;
    }

    /** The same public key and metadata without the secret key (what to hand to peers). */
    public ZCert publicOnly() {
        return keyPair == null ? this : new ZCert(publicKey, null, new LinkedHashMap<>(metadata));
    }

    /** A copy of the 32-byte public key. */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    public String publicKeyZ85() {
        return Z85.encode(publicKey);
    }

    public boolean hasSecretKey() {
        return keyPair != null;
    }

    /** Both keys, when this certificate has the secret key (to configure a CURVE socket). */
    public Optional<CurveKeyPair> keyPair() {
        return Optional.ofNullable(keyPair);
    }

    /** The metadata, in insertion (file) order; unmodifiable. */
    public Map<String, String> metadata() {
        return metadata;
    }

    public Optional<String> meta(String name) {
        return Optional.ofNullable(metadata.get(name));
    }

    // ------------------------------------------------------------------ text form

    /** The public file's text: header comments, metadata and the public key. */
    public String publicText() {
        List<String> header = header();
        header.add("   ZeroMQ CURVE Public Certificate");
        header.add("   Exchange securely, or use a secure mechanism to verify the contents");
        header.add("   of this file after exchange. Store public certificates in your home");
        header.add("   directory, in the .curve subdirectory.");
        return Zpl.write(tree(false), header);
    }

    /**
     * The secret file's text: both keys and the metadata.
     *
     * @throws IllegalStateException when this certificate has no secret key
     */
    public String secretText() {
        if (keyPair == null) {
            throw new IllegalStateException("this certificate has no secret key");
        }
        List<String> header = header();
        header.add("   ZeroMQ CURVE **Secret** Certificate");
        header.add("   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its permissions.");
        return Zpl.write(tree(true), header);
    }

    private static List<String> header() {
        List<String> h = new ArrayList<>();
        h.add("   ****  Generated on " + LocalDateTime.now().format(STAMP) + " by rzmq  ****");
        return h;
    }

    private ZplNode tree(boolean withSecret) {
        List<ZplNode> md = new ArrayList<>(metadata.size());
        metadata.forEach((k, v) -> md.add(ZplNode.property(k, v)));
        List<ZplNode> curve = new ArrayList<>(2);
        curve.add(ZplNode.property("public-key", publicKeyZ85()));
        if (withSecret) {
            curve.add(ZplNode.property("secret-key", keyPair.secretKeyZ85()));
        }
        return ZplNode.root(List.of(ZplNode.section("metadata", md), ZplNode.section("curve", curve)));
    }

    /**
     * Reads a certificate from ZPL text (a public or a secret file). The {@code curve/public-key} must be
     * 40 Z85 characters; a {@code curve/secret-key}, when present and not CZMQ's all-zero placeholder, must
     * be the secret key of that public key. Metadata are the properties under {@code metadata}.
     *
     * @throws IllegalArgumentException (a {@link ZplException} for a syntax error) naming what is wrong
     */
    public static ZCert parse(String text) {
        ZplNode root = Zpl.parse(text);
        String pub = root.valueAt("curve/public-key")
            .orElseThrow(() -> new IllegalArgumentException("no curve/public-key in the certificate"));
        byte[] publicKey = decodeKey(pub, "public");
        CurveKeyPair pair = null;
        Optional<String> secret = root.valueAt("curve/secret-key");
        if (secret.isPresent() && !secret.get().isEmpty() && !secret.get().equals(ZERO_KEY)) {
            byte[] secretKey = decodeKey(secret.get(), "secret");
            pair = CurveKeyPair.fromSecretKey(secretKey);
            Arrays.fill(secretKey, (byte) 0);
            if (!MessageDigest.isEqual(pair.publicKey(), publicKey)) {
                throw new IllegalArgumentException("the certificate's secret key does not belong to its public key");
            }
        }
        Map<String, String> md = new LinkedHashMap<>();
        root.at("metadata").ifPresent(section -> {
            for (ZplNode item : section.children()) {
                md.put(item.name(), item.value() == null ? "" : item.value());
            }
        });
        return new ZCert(publicKey, pair, md);
    }

    private static byte[] decodeKey(String z85, String which) {
        if (z85.length() != CurveKeyPair.Z85_KEY_CHARS) {
            throw new IllegalArgumentException("the certificate's " + which + " key is " + z85.length()
                + " characters; a Z85 CURVE key is " + CurveKeyPair.Z85_KEY_CHARS);
        }
        try {
            return Z85.decode(z85);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the certificate's " + which + " key is not valid Z85: " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ files

    /** Where the secret file of {@code publicFile} lives: the same name with {@value #SECRET_SUFFIX}. */
    public static Path secretPathOf(Path publicFile) {
        return publicFile.resolveSibling(publicFile.getFileName().toString() + SECRET_SUFFIX);
    }

    /**
     * Saves the public file at {@code publicFile} and, when this certificate has its secret key, the secret
     * file next to it ({@link #secretPathOf}), as CZMQ's zcert_save does.
     */
    public void save(Path publicFile) throws IOException {
        savePublic(publicFile);
        if (keyPair != null) {
            saveSecret(secretPathOf(publicFile));
        }
    }

    /** Writes the public file (replacing it atomically where the file system can). */
    public void savePublic(Path file) throws IOException {
        write(file, publicText(), PUBLIC_MODE);
    }

    /**
     * Writes the secret file with permissions 0600 (owner read/write only) where the file system has
     * POSIX permissions; the file never exists with wider permissions, even briefly.
     *
     * @throws IllegalStateException when this certificate has no secret key
     */
    public void saveSecret(Path file) throws IOException {
        write(file, secretText(), SECRET_MODE);
    }

    private static void write(Path file, String text, Set<PosixFilePermission> mode) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
        // Write a temporary file (created owner-only) in the same directory, then move it into place.
        Path tmp = posix
            ? Files.createTempFile(dir, ".zcert", ".tmp", PosixFilePermissions.asFileAttribute(SECRET_MODE))
            : Files.createTempFile(dir, ".zcert", ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            if (posix) {
                Files.setPosixFilePermissions(tmp, mode);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Reads the certificate in {@code file} (exactly that file: a public file gives a public certificate,
     * a secret file one with both keys). Unlike CZMQ's zcert_load it does not look for a {@code _secret}
     * companion; use {@link #loadWithSecret(Path)} for that.
     *
     * @throws IOException when the file cannot be read or is larger than 1 MiB
     * @throws IllegalArgumentException when it is not a valid certificate
     */
    public static ZCert load(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw new IOException(file + " is " + size + " bytes; a certificate is far smaller");
        }
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** CZMQ's zcert_load: the secret file next to {@code publicFile} if there is one, else the public file. */
    public static ZCert loadWithSecret(Path publicFile) throws IOException {
        Path secret = secretPathOf(publicFile);
        return load(Files.isRegularFile(secret) ? secret : publicFile);
    }

    // ------------------------------------------------------------------ identity

    /** Equal when the public key, the presence and value of the secret key, and the metadata are. */
    @Override
    public boolean equals(Object o) {
        return o instanceof ZCert other && Arrays.equals(publicKey, other.publicKey)
            && Objects.equals(keyPair, other.keyPair) && metadata.equals(other.metadata);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(publicKey) * 31 + metadata.hashCode();
    }

    /** The public key and metadata names; never the secret key. */
    @Override
    public String toString() {
        return "ZCert{public=" + publicKeyZ85() + (keyPair != null ? ", secret=<hidden>" : "")
            + ", metadata=" + metadata.keySet() + "}";
    }
}
