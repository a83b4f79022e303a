package io.rzmq.pekko.internal.engine;

/** The names of {@link io.rzmq.pekko.internal.transport.TransportEvent.Monitor} events, as libzmq spells them. */
public final class MonitorEvents {
    public static final String CONNECTED = "CONNECTED";
    public static final String CONNECT_DELAYED = "CONNECT_DELAYED";
    public static final String CONNECT_RETRIED = "CONNECT_RETRIED";
    public static final String LISTENING = "LISTENING";
    public static final String BIND_FAILED = "BIND_FAILED";
    public static final String ACCEPTED = "ACCEPTED";
    public static final String ACCEPT_FAILED = "ACCEPT_FAILED";
    public static final String CLOSED = "CLOSED";
    public static final String DISCONNECTED = "DISCONNECTED";
    public static final String HANDSHAKE_SUCCEEDED = "HANDSHAKE_SUCCEEDED";
    public static final String HANDSHAKE_FAILED_NO_DETAIL = "HANDSHAKE_FAILED_NO_DETAIL";
    public static final String HANDSHAKE_FAILED_PROTOCOL = "HANDSHAKE_FAILED_PROTOCOL";
    public static final String HANDSHAKE_FAILED_AUTH = "HANDSHAKE_FAILED_AUTH";
    /** libzmq's ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC: the value of HANDSHAKE_FAILED_PROTOCOL for a CURVE box that does not open. */
    public static final int PROTOCOL_ERROR_CRYPTOGRAPHIC = 0x11000001;

    private MonitorEvents() {
    }
}
