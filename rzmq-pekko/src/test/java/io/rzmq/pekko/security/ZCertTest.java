package io.rzmq.pekko.security;

import io.rzmq.protocol.security.CurveKeyPair;
import io.rzmq.protocol.zpl.ZplException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Certificates: key pair and metadata round trips, CZMQ's and pyzmq's file shapes, secret-file care. */
class ZCertTest {
    // The key pair of libzmq's zmq_curve documentation example (a public test vector, not a secret).
    static final String PUBLIC = "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID";
    static final String SECRET = "D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%wOTJ%JR%cs";

    /** A public certificate laid out as CZMQ's zcert_save_public writes it (built from the format, by hand). */
    static final String CZMQ_PUBLIC = """
        #   ****  Generated on 2016-04-01 09:30:00 by CZMQ  ****
        #   ZeroMQ CURVE Public Certificate
        #   Exchange securely, or use a secure mechanism to verify the contents
        #   of this file after exchange. Store public certificates in your home
        #   directory, in the .curve subdirectory.

        metadata
            email = "ops@example.com"
            name = "Build Server #7"
            quote = 'say "hi"'
        curve
            public-key = "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID"
        """;

    /** The matching secret file. */
    static final String CZMQ_SECRET = """
        #   ****  Generated on 2016-04-01 09:30:00 by CZMQ  ****
        #   ZeroMQ CURVE **Secret** Certificate
        #   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its permissions.

        metadata
            email = "ops@example.com"
            name = "Build Server #7"
            quote = 'say "hi"'
        curve
            public-key = "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID"
            secret-key = "D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%wOTJ%JR%cs"
        """;

    @TempDir
    Path dir;

    @Test
    void readsCzmqFiles() {
        ZCert pub = ZCert.parse(CZMQ_PUBLIC);
        assertThat(pub.publicKeyZ85()).isEqualTo(PUBLIC);
        assertThat(pub.hasSecretKey()).isFalse();
        assertThat(pub.metadata()).containsExactly(Map.entry("email", "ops@example.com"),
            Map.entry("name", "Build Server #7"), Map.entry("quote", "say \"hi\""));

        ZCert sec = ZCert.parse(CZMQ_SECRET);
        assertThat(sec.keyPair()).contains(CurveKeyPair.of(PUBLIC, SECRET));
        assertThat(sec.publicOnly()).isEqualTo(pub);
    }

    @Test
    void readsPyzmqStyleAndHandEditedFiles() {
        // pyzmq writes metadata values unquoted; people add comments, CRLF and blank lines.
        String text = "#   ****  Generated on 2024-01-01 00:00:00.000000 by pyzmq  ****\r\n"
            + "#   ZeroMQ CURVE **Secret** Certificate\r\n\r\n"
            + "metadata\r\n"
            + "    owner = alice   # who runs it\r\n"
            + "    # an indented comment\r\n"
            + "curve\r\n"
            + "    public-key = \"" + PUBLIC + "\"\r\n"
            + "    secret-key = '" + SECRET + "'    # single quotes are fine too\r\n";
        ZCert c = ZCert.parse(text);
        assertThat(c.meta("owner")).contains("alice");
        assertThat(c.keyPair()).contains(CurveKeyPair.of(PUBLIC, SECRET));
    }

    @Test
    void czmqPlaceholderSecretMeansPublicOnly() {
        // CZMQ writes a public-only certificate's missing secret key as forty '0's.
        ZCert c = ZCert.parse(CZMQ_PUBLIC + "    secret-key = \"" + "0".repeat(40) + "\"\n");
        assertThat(c.hasSecretKey()).isFalse();
    }

    @Test
    void refusesBrokenCertificates() {
        assertThatThrownBy(() -> ZCert.parse("metadata\ncurve\n")).hasMessageContaining("public-key");
        assertThatThrownBy(() -> ZCert.parse("curve\n    public-key = \"short\"\n"))
            .hasMessageContaining("40");
        assertThatThrownBy(() -> ZCert.parse("curve\n    public-key = \"" + "~".repeat(40) + "\"\n"))
            .hasMessageContaining("Z85");
        String other = CurveKeyPair.generate().secretKeyZ85();
        assertThatThrownBy(() -> ZCert.parse("curve\n    public-key = \"" + PUBLIC + "\"\n    secret-key = \""
            + other + "\"\n")).hasMessageContaining("does not belong");
        assertThatThrownBy(() -> ZCert.parse("curve\n  public-key = \"" + PUBLIC + "\"\n"))
            .isInstanceOf(ZplException.class);
    }

    @Test
    void saveAndLoadRoundTrip() throws IOException {
        ZCert cert = ZCert.generate().withMeta("name", "edge = \"quoted\" # not a comment").withMeta("role", "  padded ");
        Path pubFile = dir.resolve("server");
        cert.save(pubFile);
        Path secFile = dir.resolve("server_secret");
        assertThat(ZCert.secretPathOf(pubFile)).isEqualTo(secFile);

        ZCert pub = ZCert.load(pubFile);
        assertThat(pub.hasSecretKey()).isFalse();
        assertThat(pub).isEqualTo(cert.publicOnly());
        assertThat(ZCert.load(secFile)).isEqualTo(cert);
        assertThat(ZCert.loadWithSecret(pubFile)).isEqualTo(cert);

        String pubText = Files.readString(pubFile);
        assertThat(pubText).startsWith("#   ****  Generated on ").contains("ZeroMQ CURVE Public Certificate")
            .contains("\nmetadata\n    name = 'edge = \"quoted\" # not a comment'\n")
            .contains("\ncurve\n    public-key = \"" + cert.publicKeyZ85() + "\"\n")
            .doesNotContain("secret-key");
        assertThat(Files.readString(secFile)).contains("**Secret**")
            .contains("    secret-key = \"" + cert.keyPair().orElseThrow().secretKeyZ85() + "\"\n");
        // No temporary files are left behind.
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("server", "server_secret");
        }
    }

    @Test
    void secretFileIsOwnerOnly() throws IOException {
        if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return; // nothing to check where the file system has no POSIX permissions
        }
        Path pubFile = dir.resolve("client");
        // An existing, world-readable secret file is replaced by an owner-only one.
        Files.writeString(pubFile.resolveSibling("client_secret"), "old");
        Files.setPosixFilePermissions(pubFile.resolveSibling("client_secret"), PosixFilePermissions.fromString("rw-rw-rw-"));
        ZCert.generate().save(pubFile);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pubFile.resolveSibling("client_secret"))))
            .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pubFile))).isEqualTo("rw-r--r--");
    }

    @Test
    void publicOnlyCertificatesCannotWriteSecretFiles() throws IOException {
        ZCert pub = ZCert.ofPublicKey(PUBLIC).withMeta("name", "peer");
        pub.save(dir.resolve("peer"));
        assertThat(Files.exists(dir.resolve("peer_secret"))).isFalse();
        assertThatThrownBy(() -> pub.saveSecret(dir.resolve("x"))).isInstanceOf(IllegalStateException.class);
        assertThat(ZCert.load(dir.resolve("peer"))).isEqualTo(pub);
    }

    @Test
    void metadataMustFitTheFormat() {
        ZCert c = ZCert.generate();
        assertThatThrownBy(() -> c.withMeta("two words", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.withMeta("n", "line\nbreak")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.withMeta("n", "both ' and \"")).isInstanceOf(IllegalArgumentException.class);
        assertThat(c.withMeta("n", "1").withMeta("n", "2").meta("n")).contains("2");
    }

    @Test
    void neverShowsTheSecretKey() {
        ZCert c = ZCert.parse(CZMQ_SECRET);
        assertThat(c.toString()).contains(PUBLIC).doesNotContain(SECRET).contains("hidden");
        assertThat(c.keyPair().orElseThrow().toString()).doesNotContain(SECRET);
    }

    @Test
    void storeLoadsTheDirectoryPublicCertificates() throws IOException {
        ZCert a = ZCert.generate().withMeta("name", "a");
        ZCert b = ZCert.generate().withMeta("name", "b");
        a.save(dir.resolve("a.key"));                                  // a.key + a.key_secret (pyzmq naming)
        b.savePublic(dir.resolve("b"));
        Files.writeString(dir.resolve("notes.txt"), "not a certificate\n");
        Files.writeString(dir.resolve(".hidden"), "ignored");
        Files.createDirectory(dir.resolve("sub"));
        ZCert.generate().save(dir.resolve("sub").resolve("c"));         // subdirectories are not read
        Files.writeString(dir.resolve("c"), CZMQ_PUBLIC, StandardCharsets.UTF_8);

        ZCertStore store = ZCertStore.load(dir);
        assertThat(store.size()).isEqualTo(3);
        assertThat(store.lookup(a.publicKeyZ85())).contains(a.publicOnly());
        assertThat(store.lookup(b.publicKey())).contains(b.publicOnly());
        assertThat(store.lookup(PUBLIC).orElseThrow().meta("name")).contains("Build Server #7");
        assertThat(store.certificates()).noneMatch(ZCert::hasSecretKey);
        assertThat(store.skipped()).containsOnlyKeys(dir.resolve("notes.txt"));
        assertThat(store.lookup(CurveKeyPair.generate().publicKeyZ85())).isEmpty();
    }

    @Test
    void passwordFileFollowsCzmq() {
        Map<String, String> users = PasswordFile.parse("# users\nadmin=Password\nbob=pa=ss word \n=nobody\nnoequals\n"
            + "carol = spaced\r\nadmin=second\n");
        assertThat(users).containsExactly(Map.entry("admin", "second"), Map.entry("bob", "pa=ss word "),
            Map.entry("carol ", " spaced"));
    }
}
