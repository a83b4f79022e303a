package io.rzmq.pekko.model;

/**
 * What a {@link MonitorEvent} reports: libzmq's monitor event names (ZMQ_EVENT_*), declared once for
 * every layer (engines, sessions and listeners raise them, sockets deliver them).
 */
public enum MonitorEventKind {
    CONNECTED, CONNECT_DELAYED, CONNECT_RETRIED, LISTENING, BIND_FAILED, ACCEPTED, ACCEPT_FAILED, CLOSED,
    CLOSE_FAILED, DISCONNECTED, MONITOR_STOPPED, HANDSHAKE_FAILED_NO_DETAIL, HANDSHAKE_FAILED_PROTOCOL,
    HANDSHAKE_FAILED_AUTH, HANDSHAKE_SUCCEEDED;

    /**
     * libzmq's ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC: the value of a HANDSHAKE_FAILED_PROTOCOL event for a
     * CURVE box that does not open.
     */
    public static final int PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC = 0x11000001;

    /** True for the HANDSHAKE_FAILED_* kinds. */
    public boolean isHandshakeFailure() {
        return this == HANDSHAKE_FAILED_NO_DETAIL || this == HANDSHAKE_FAILED_PROTOCOL || this == HANDSHAKE_FAILED_AUTH;
    }
}
