package io.rzmq.pekko.model;

import java.util.Locale;

/**
 * A parsed ZeroMQ endpoint: {@code tcp://host:port} (host may be {@code *}, port may be {@code *} or 0),
 * {@code ipc://path} ({@code ipc://@name} for a Linux abstract name, {@code ipc://*} for a generated
 * path), or {@code inproc://name}.
 */
public record Endpoint(Scheme scheme, String address, String host, int port) {
    public enum Scheme { TCP, IPC, INPROC }

    /** Port value meaning "any free port" ({@code *} or 0). */
    public static final int ANY_PORT = 0;

    /**
     * Parses an endpoint string.
     *
     * @throws IllegalArgumentException with a clear message when the endpoint is malformed or unsupported
     */
    public static Endpoint parse(String endpoint) {
        int sep = endpoint.indexOf("://");
        if (sep <= 0) {
            throw new IllegalArgumentException("endpoint must look like scheme://address: '" + endpoint + "'");
        }
        String scheme = endpoint.substring(0, sep).toLowerCase(Locale.ROOT);
        String address = endpoint.substring(sep + 3);
        if (address.isEmpty()) {
            throw new IllegalArgumentException("endpoint has an empty address: '" + endpoint + "'");
        }
        switch (scheme) {
            case "tcp": {
                int colon = address.lastIndexOf(':');
                if (colon <= 0 || colon == address.length() - 1) {
                    throw new IllegalArgumentException("tcp endpoint needs host:port: '" + endpoint + "'");
                }
                String host = address.substring(0, colon);
                if (host.startsWith("[") && host.endsWith("]")) {
                    host = host.substring(1, host.length() - 1);
                }
                String p = address.substring(colon + 1);
                int port;
                if (p.equals("*")) {
                    port = ANY_PORT;
                } else {
                    try {
                        port = Integer.parseInt(p);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("tcp endpoint has a bad port: '" + endpoint + "'");
                    }
                    if (port < 0 || port > 65535) {
                        throw new IllegalArgumentException("tcp port out of range: '" + endpoint + "'");
                    }
                }
                return new Endpoint(Scheme.TCP, address, host, port);
            }
            case "ipc":
                return new Endpoint(Scheme.IPC, address, address, -1);
            case "inproc":
                return new Endpoint(Scheme.INPROC, address, address, -1);
            default:
                throw new UnsupportedTransportException("unsupported transport '" + scheme + "' in '" + endpoint
                    + "' (rzmq speaks tcp://, ipc:// and inproc://)");
        }
    }

    /** A well-formed endpoint whose transport rzmq does not speak (udp://, pgm://...): libzmq's EPROTONOSUPPORT. */
    public static final class UnsupportedTransportException extends IllegalArgumentException {
        public UnsupportedTransportException(String message) {
            super(message);
        }
    }

    /** True for a bind to any interface ({@code *}). */
    public boolean anyHost() {
        return "*".equals(host);
    }

    @Override
    public String toString() {
        return scheme.name().toLowerCase(Locale.ROOT) + "://" + address;
    }
}
