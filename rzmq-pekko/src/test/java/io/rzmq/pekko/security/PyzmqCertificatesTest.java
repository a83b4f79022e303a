package io.rzmq.pekko.security;

import io.rzmq.testkit.PyPeer;
import io.rzmq.protocol.security.CurveKeyPair;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Certificates cross between rzmq and another implementation (pyzmq's zmq.auth), both directions. */
class PyzmqCertificatesTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void needPyzmq() {
        Assumptions.assumeTrue(PyPeer.available(), "pyzmq is not installed");
    }

    @Test
    void weLoadCertificatesPyzmqWrites() throws Exception {
        Map<String, String> out = python("""
            import sys, zmq, zmq.auth
            pub_file, sec_file = zmq.auth.create_certificates(sys.argv[1], "py", metadata={"name": "pyzmq", "team": "ops"})
            pub, sec = zmq.auth.load_certificate(sec_file)
            print("public=" + pub.decode())
            print("secret=" + sec.decode())
            """, dir.toString());
        ZCert pub = ZCert.load(dir.resolve("py.key"));
        assertThat(pub.publicKeyZ85()).isEqualTo(out.get("public"));
        assertThat(pub.hasSecretKey()).isFalse();
        ZCert sec = ZCert.loadWithSecret(dir.resolve("py.key"));
        assertThat(sec.keyPair()).contains(CurveKeyPair.of(out.get("public"), out.get("secret")));
        assertThat(sec.metadata()).containsEntry("name", "pyzmq").containsEntry("team", "ops");
        assertThat(ZCertStore.load(dir).lookup(out.get("public"))).isPresent();
    }

    @Test
    void pyzmqLoadsCertificatesWeWrite() throws Exception {
        ZCert ours = ZCert.generate().withMeta("name", "rzmq # java").withMeta("quote", "it's");
        ours.save(dir.resolve("java.key"));
        ZCert.generate().savePublic(dir.resolve("other.key"));
        Map<String, String> out = python("""
            import sys, os, zmq, zmq.auth
            pub, sec = zmq.auth.load_certificate(os.path.join(sys.argv[1], "java.key_secret"))
            print("public=" + pub.decode())
            print("secret=" + sec.decode())
            print("derived=" + zmq.curve_public(sec).decode())
            only_pub, none = zmq.auth.load_certificate(os.path.join(sys.argv[1], "java.key"))
            print("public-file=" + only_pub.decode() + " " + str(none))
            print("store=" + ",".join(sorted(k.decode() for k in zmq.auth.load_certificates(sys.argv[1]))))
            """, dir.toString());
        CurveKeyPair pair = ours.keyPair().orElseThrow();
        assertThat(out.get("public")).isEqualTo(pair.publicKeyZ85());
        assertThat(out.get("secret")).isEqualTo(pair.secretKeyZ85());
        assertThat(out.get("derived")).isEqualTo(pair.publicKeyZ85());
        assertThat(out.get("public-file")).isEqualTo(pair.publicKeyZ85() + " None");
        assertThat(out.get("store")).contains(pair.publicKeyZ85());
        assertThat(out.get("store").split(",")).hasSize(2);
    }

    /** Runs {@code script} under /usr/bin/python3; returns its {@code key=value} output lines. */
    private static Map<String, String> python(String script, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("/usr/bin/python3", "-c", script));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("python did not finish within 60 s");
        }
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("python output:\n" + text).isZero();
        Map<String, String> out = new HashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                out.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return out;
    }
}
