package io.rzmq.pekko.transport.tcp;

import io.rzmq.pekko.transport.Endpoint;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** Turns tcp endpoints into socket addresses and back, as libzmq writes them. */
final class TcpAddresses {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private TcpAddresses() {
    }

    /**
     * The address to connect to. IP literals are parsed here; host names stay unresolved so that Pekko IO
     * resolves them asynchronously (its DNS extension) instead of blocking an actor thread.
     */
    static InetSocketAddress connectAddress(Endpoint endpoint) {
        String host = endpoint.host();
        if (endpoint.anyHost()) {
            throw new IllegalArgumentException("cannot connect to a wildcard host: " + endpoint);
        }
        if (endpoint.port() == Endpoint.ANY_PORT) {
            throw new IllegalArgumentException("cannot connect to a wildcard port: " + endpoint);
        }
        if (isIpLiteral(host)) {
            return new InetSocketAddress(host, endpoint.port());
        }
        return InetSocketAddress.createUnresolved(host, endpoint.port());
    }

    /** The address to bind: {@code *} is every IPv4 interface (as libzmq without IPV6), port 0 any free port. */
    static InetSocketAddress bindAddress(Endpoint endpoint) throws UnknownHostException {
        InetAddress address = endpoint.anyHost() ? InetAddress.getByName("0.0.0.0") : InetAddress.getByName(endpoint.host());
        return new InetSocketAddress(address, endpoint.port());
    }

    /** {@code tcp://a.b.c.d:port} or {@code tcp://[v6]:port}. */
    static String endpointOf(InetSocketAddress address) {
        return "tcp://" + hostPort(address);
    }

    static String hostPort(InetSocketAddress address) {
        String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + address.getPort() : host + ":" + address.getPort();
    }

    private static boolean isIpLiteral(String host) {
        return IPV4.matcher(host).matches() || host.indexOf(':') >= 0;
    }
}
