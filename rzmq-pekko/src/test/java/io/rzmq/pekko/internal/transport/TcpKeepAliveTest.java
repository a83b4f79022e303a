package io.rzmq.pekko.internal.transport;

import io.rzmq.pekko.model.SocketOptions;
import jdk.net.ExtendedSocketOptions;
import org.apache.pekko.io.Inet;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** TCP_KEEPALIVE* become the Pekko IO socket options that set them on a connected socket. */
class TcpKeepAliveTest {

    @Test
    void nothingIsSetByDefault() {
        assertThat(TcpKeepAlive.socketOptions(SocketOptions.defaults())).isEmpty();
    }

    @Test
    void keepaliveOnWithTimingIsAppliedToAConnectedSocket() throws IOException {
        SocketOptions o = SocketOptions.defaults().withTcpKeepalive(1).withTcpKeepaliveIdle(77)
            .withTcpKeepaliveIntvl(9).withTcpKeepaliveCnt(4);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket accepted = server.accept()) {
            for (Inet.SocketOption option : TcpKeepAlive.socketOptions(o)) {
                option.afterConnect(s);
            }
            assertThat(s.getKeepAlive()).isTrue();
            assumeTrue(s.supportedOptions().contains(ExtendedSocketOptions.TCP_KEEPIDLE), "no TCP_KEEPIDLE here");
            assertThat(s.getOption(ExtendedSocketOptions.TCP_KEEPIDLE)).isEqualTo(77);
            assertThat(s.getOption(ExtendedSocketOptions.TCP_KEEPINTERVAL)).isEqualTo(9);
            assertThat(s.getOption(ExtendedSocketOptions.TCP_KEEPCOUNT)).isEqualTo(4);
        }
    }

    @Test
    void keepaliveOffIsApplied() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket accepted = server.accept()) {
            s.setKeepAlive(true);
            for (Inet.SocketOption option : TcpKeepAlive.socketOptions(SocketOptions.defaults().withTcpKeepalive(0))) {
                option.afterConnect(s);
            }
            assertThat(s.getKeepAlive()).isFalse();
        }
    }
}
