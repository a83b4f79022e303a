package io.rzmq.pekko;

import io.rzmq.pekko.model.SocketOptions;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The liveness and queueing options: libzmq's defaults, limits and units, readable back. */
class LivenessOptionsTest {

    @Test
    void defaultsAreLibzmqs() {
        SocketOptions o = SocketOptions.defaults();
        assertThat(o.heartbeatIvl()).isZero();
        assertThat(o.heartbeatTtl()).isZero();
        assertThat(o.heartbeatTimeout()).isZero();
        assertThat(o.tcpKeepalive()).isEqualTo(-1);
        assertThat(o.tcpKeepaliveIdle()).isEqualTo(-1);
        assertThat(o.tcpKeepaliveCnt()).isEqualTo(-1);
        assertThat(o.tcpKeepaliveIntvl()).isEqualTo(-1);
        assertThat(o.immediate()).isFalse();
        assertThat(o.conflate()).isFalse();
    }

    @Test
    void heartbeatTimeoutDefaultsToTheIntervalAndTtlTravelsInDeciseconds() {
        SocketOptions o = SocketOptions.defaults().withHeartbeatIvl(Duration.ofMillis(250));
        assertThat(o.effectiveHeartbeatTimeout()).isEqualTo(Duration.ofMillis(250));
        o = o.withHeartbeatTimeout(Duration.ofSeconds(2)).withHeartbeatTtl(Duration.ofMillis(1299));
        assertThat(o.heartbeatTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(o.effectiveHeartbeatTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(o.heartbeatTtlDeciseconds()).isEqualTo(12);
        assertThat(o.withHeartbeatTtl(SocketOptions.MAX_HEARTBEAT_TTL).heartbeatTtlDeciseconds()).isEqualTo(65535);
    }

    @Test
    void outOfRangeValuesAreRefusedNamingTheOption() {
        SocketOptions o = SocketOptions.defaults();
        assertThatThrownBy(() -> o.withHeartbeatIvl(Duration.ofMillis(-1))).hasMessageContaining("HEARTBEAT_IVL");
        assertThatThrownBy(() -> o.withHeartbeatTimeout(Duration.ofMillis(-1))).hasMessageContaining("HEARTBEAT_TIMEOUT");
        assertThatThrownBy(() -> o.withHeartbeatTtl(Duration.ofMillis(6_553_600))).hasMessageContaining("HEARTBEAT_TTL");
        assertThatThrownBy(() -> o.withTcpKeepalive(2)).hasMessageContaining("TCP_KEEPALIVE");
        assertThatThrownBy(() -> o.withTcpKeepaliveIdle(0)).hasMessageContaining("TCP_KEEPALIVE_IDLE");
        assertThatThrownBy(() -> o.withTcpKeepaliveCnt(-2)).hasMessageContaining("TCP_KEEPALIVE_CNT");
        assertThatThrownBy(() -> o.withTcpKeepaliveIntvl(0)).hasMessageContaining("TCP_KEEPALIVE_INTVL");
    }

    @Test
    void everyWithKeepsTheOtherOptions() {
        SocketOptions o = SocketOptions.defaults().withHeartbeatIvl(Duration.ofSeconds(1)).withImmediate(true)
            .withConflate(true).withTcpKeepalive(1).withTcpKeepaliveIdle(30).withTcpKeepaliveCnt(4)
            .withTcpKeepaliveIntvl(5).withSndHwm(7).withLinger(Duration.ZERO);
        assertThat(o.heartbeatIvl()).isEqualTo(Duration.ofSeconds(1));
        assertThat(o.immediate()).isTrue();
        assertThat(o.conflate()).isTrue();
        assertThat(o.tcpKeepalive()).isEqualTo(1);
        assertThat(o.tcpKeepaliveIdle()).isEqualTo(30);
        assertThat(o.tcpKeepaliveCnt()).isEqualTo(4);
        assertThat(o.tcpKeepaliveIntvl()).isEqualTo(5);
        assertThat(o.sndHwm()).isEqualTo(7);
        assertThat(SocketOptions.defaults().immediate()).isFalse();
    }

    @Test
    void referenceConfDefaultsMatchAndOverridesAreRead() {
        RzmqSettings defaults = RzmqSettings.create(ConfigFactory.load());
        assertThat(defaults.socketDefaults().heartbeatIvl()).isZero();
        assertThat(defaults.socketDefaults().immediate()).isFalse();
        RzmqSettings custom = RzmqSettings.create(ConfigFactory.parseString(
            "rzmq.socket-defaults { heartbeat-ivl = 2s, heartbeat-ttl = 10s, immediate = on, tcp-keepalive = 1 }")
            .withFallback(ConfigFactory.load()));
        assertThat(custom.socketDefaults().heartbeatIvl()).isEqualTo(Duration.ofSeconds(2));
        assertThat(custom.socketDefaults().heartbeatTtlDeciseconds()).isEqualTo(100);
        assertThat(custom.socketDefaults().immediate()).isTrue();
        assertThat(custom.socketDefaults().tcpKeepalive()).isEqualTo(1);
    }
}
