package io.rzmq.pekko.internal.transport;

import io.rzmq.pekko.model.Endpoint;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** Turns tcp endpoints into socket addresses and back, as libzmq writes them. */
public final class TcpAddresses {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private TcpAddresses() {
    }

    /**
     * The address to connect to. IP literals are parsed here; host names stay unresolved so that Pekko IO
     * resolves them asynchronously (its DNS extension) instead of blocking an actor thread.
     */
    public static InetSocketAddress connectAddress(Endpoint endpoint) {
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
    public static InetSocketAddress bindAddress(Endpoint endpoint) throws UnknownHostException {
        InetAddress address = endpoint.anyHost() ? InetAddress.getByName("0.0.0.0") : InetAddress.getByName(endpoint.host());
        return new InetSocketAddress(address, endpoint.port());
    }

    /** {@code tcp://a.b.c.d:port} or {@code tcp://[v6]:port}. */
    public static String endpointOf(InetSocketAddress address) {
        return "tcp://" + hostPort(address);
    }

    public static String hostPort(InetSocketAddress address) {
        String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + address.getPort() : host + ":" + address.getPort();
    }

    /**
     * An IP address as getnameinfo(NI_NUMERICHOST) writes it, which is what libzmq puts in a ZAP request:
     * dotted IPv4; IPv6 in the RFC 5952 short form (lower case, the longest run of two or more zero
     * groups as "::") with its scope after '%'.
     */
    public static String ipText(InetAddress address) {
        if (!(address instanceof Inet6Address v6)) {
            return address.getHostAddress();
        }
        byte[] b = v6.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xFF) << 8) | (b[2 * i + 1] & 0xFF);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        String scope = v6.getScopedInterface() != null ? v6.getScopedInterface().getName()
            : v6.getScopeId() != 0 ? Integer.toString(v6.getScopeId()) : null;
        return scope == null ? sb.toString() : sb + "%" + scope;
    }

    private static boolean isIpLiteral(String host) {
        return IPV4.matcher(host).matches() || host.indexOf(':') >= 0;
    }
}
