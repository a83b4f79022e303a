package io.rzmq.pekko.internal.transport;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;

import static org.assertj.core.api.Assertions.assertThat;

/** The peer text of a ZAP request, as libzmq's getnameinfo(NI_NUMERICHOST) writes it. */
class TcpAddressesTest {
    private static String ip(String literal) throws UnknownHostException {
        return TcpAddresses.ipText(InetAddress.getByName(literal));
    }

    @Test
    void ipv4IsDotted() throws UnknownHostException {
        assertThat(ip("127.0.0.1")).isEqualTo("127.0.0.1");
        assertThat(ip("10.20.30.40")).isEqualTo("10.20.30.40");
    }

    @Test
    void ipv6IsTheRfc5952ShortForm() throws UnknownHostException {
        assertThat(ip("0:0:0:0:0:0:0:1")).isEqualTo("::1");
        assertThat(ip("0:0:0:0:0:0:0:0")).isEqualTo("::");
        assertThat(ip("2001:DB8:0:0:1:0:0:1")).isEqualTo("2001:db8::1:0:0:1");
        assertThat(ip("2001:db8:0:1:1:1:1:1")).as("a single zero group stays").isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(ip("fe80:0:0:0:0:0:0:0")).isEqualTo("fe80::");
        assertThat(ip("1:0:0:2:0:0:0:3")).as("the longest run is compressed").isEqualTo("1:0:0:2::3");
    }
}
