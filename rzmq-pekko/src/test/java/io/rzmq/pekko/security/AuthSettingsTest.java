package io.rzmq.pekko.security;

import com.typesafe.config.ConfigFactory;
import io.rzmq.protocol.security.CurveKeyPair;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuthSettingsTest {

    @Test
    void referenceConfDefaultsAreTheEmptyPolicy() {
        assertThat(AuthSettings.create(ConfigFactory.load())).isEqualTo(AuthSettings.defaults());
    }

    @Test
    void readsEveryKey() {
        String key = CurveKeyPair.generate().publicKeyZ85();
        AuthSettings s = AuthSettings.create(ConfigFactory.parseString("""
            rzmq.authenticator {
              verbose = on
              allow = ["127.0.0.1", " 10.0.0.1 "]
              deny = ["192.0.2.1"]
              password-file = "/etc/zmq/passwords"
              curve-allow-any = on
              curve-keys = ["%s"]
              curve-certificates = "/etc/zmq/clients"
            }""".formatted(key)).withFallback(ConfigFactory.load()));
        assertThat(s.verbose()).isTrue();
        assertThat(s.allow()).containsExactly("127.0.0.1", "10.0.0.1");
        assertThat(s.deny()).containsExactly("192.0.2.1");
        assertThat(s.passwordFile()).contains(Path.of("/etc/zmq/passwords"));
        assertThat(s.curveAllowAny()).isTrue();
        assertThat(s.curveKeys()).containsExactly(key);
        assertThat(s.curveCertificates()).contains(Path.of("/etc/zmq/clients"));
    }

    @Test
    void immutableCopiesAndValidation() {
        AuthSettings base = AuthSettings.defaults();
        AuthSettings changed = base.plusAllow("a").plusDeny("b").withPlainUser("u", "p");
        assertThat(base.allow()).isEmpty();
        assertThat(changed.allow()).containsExactly("a");
        assertThatThrownBy(() -> changed.allow().add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> base.withCurveKeys(List.of("not-a-key"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toStringShowsUserNamesNotPasswords() {
        String text = AuthSettings.defaults().withPlainUser("admin", "s3cr3t-pw").toString();
        assertThat(text).contains("admin").doesNotContain("s3cr3t-pw");
    }
}
