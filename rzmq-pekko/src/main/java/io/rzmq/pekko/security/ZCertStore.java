package io.rzmq.pekko.security;

import io.rzmq.protocol.security.Z85;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The public certificates of a directory, by public key (CZMQ's zcertstore): what an authenticator
 * consults to admit CURVE clients. An immutable snapshot; {@link #load(Path)} again to see changes.
 *
 * <p>Every regular file of the directory (not its subdirectories) is read, except hidden files and
 * {@code *_secret} files; each must be a certificate ({@link ZCert#parse}). A file that is not is
 * skipped and listed in {@link #skipped()} with the reason, so one stray file does not lock every
 * client out. Secret keys found in the directory are not kept.
 */
public final class ZCertStore {
    private final Path directory;
    private final Map<String, ZCert> byKey;
    private final Map<Path, String> skipped;

    private ZCertStore(Path directory, Map<String, ZCert> byKey, Map<Path, String> skipped) {
        this.directory = directory;
        this.byKey = Collections.unmodifiableMap(byKey);
        this.skipped = Collections.unmodifiableMap(skipped);
    }

    /** An empty store. */
    public static ZCertStore empty() {
        return new ZCertStore(null, Map.of(), Map.of());
    }

    /** A store of {@code certs} (their public parts). */
    public static ZCertStore of(Collection<ZCert> certs) {
        Map<String, ZCert> m = new LinkedHashMap<>();
        for (ZCert c : certs) {
            m.put(c.publicKeyZ85(), c.publicOnly());
        }
        return new ZCertStore(null, m, Map.of());
    }

    /**
     * Loads the public certificates in {@code directory} (blocking file I/O: call it off actor threads).
     *
     * @throws IOException when the directory cannot be listed
     */
    public static ZCertStore load(Path directory) throws IOException {
        Map<String, ZCert> m = new LinkedHashMap<>();
        Map<Path, String> bad = new TreeMap<>();
        List<Path> files;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(directory)) {
            files = new java.util.ArrayList<>();
            ds.forEach(files::add);
        }
        Collections.sort(files);
        for (Path f : files) {
            String name = f.getFileName().toString();
            if (name.startsWith(".") || name.endsWith(ZCert.SECRET_SUFFIX) || !Files.isRegularFile(f)) {
                continue;
            }
            try {
                ZCert c = ZCert.load(f).publicOnly();
                m.put(c.publicKeyZ85(), c);
            } catch (IOException | IllegalArgumentException e) {
                bad.put(f, e.getMessage());
            }
        }
        return new ZCertStore(directory, m, bad);
    }

    /** The certificate whose public key is {@code publicKeyZ85}. */
    public Optional<ZCert> lookup(String publicKeyZ85) {
        return Optional.ofNullable(byKey.get(publicKeyZ85));
    }

    /** The certificate whose public key is the 32 bytes {@code publicKey}. */
    public Optional<ZCert> lookup(byte[] publicKey) {
        return publicKey.length % 4 == 0 ? lookup(Z85.encode(publicKey)) : Optional.empty();
    }

    public int size() {
        return byKey.size();
    }

    /** The certificates, in file-name order. */
    public Collection<ZCert> certificates() {
        return byKey.values();
    }

    /** The directory this store was loaded from, if any. */
    public Optional<Path> directory() {
        return Optional.ofNullable(directory);
    }

    /** Files of the directory that were not certificates, with the reason. */
    public Map<Path, String> skipped() {
        return skipped;
    }

    @Override
    public String toString() {
        return "ZCertStore{" + (directory == null ? "" : directory + ", ") + byKey.size() + " certificates"
            + (skipped.isEmpty() ? "" : ", " + skipped.size() + " skipped") + "}";
    }
}
