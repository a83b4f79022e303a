package io.rzmq.pekko.model;


import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One lifecycle event of a socket, as libzmq's {@code zmq_socket_monitor} reports them; see
 * {@code ZSocket.monitor} and {@code ZmqStreams.monitor}.
 *
 * @param kind        what happened (libzmq's event names)
 * @param endpoint    the endpoint of the bind or connect it concerns (resolved for binds once known);
 *                    empty for {@link MonitorEventKind#MONITOR_STOPPED}
 * @param peerAddress the remote address ({@code host:port}, or the ipc path) where one is known, else null:
 *                    set for CONNECT_DELAYED, CONNECT_RETRIED, CONNECTED, ACCEPTED, DISCONNECTED and the
 *                    HANDSHAKE_* events
 * @param detail      a human-readable reason or description (the handshake failure, why a connection ended)
 * @param value       libzmq's event value where it means something here: CONNECT_RETRIED carries the wait
 *                    before the next attempt in milliseconds; HANDSHAKE_FAILED_PROTOCOL 0x11000001 (libzmq's ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC) for a CURVE box that does not open; HANDSHAKE_FAILED_AUTH the ZAP status code
 *                    (300, 400 or 500) when a ZAP handler refused the peer (ours, or the peer's as its ERROR
 *                    command said); 0 otherwise
 * @param timestamp   when the socket received the event
 */
public record MonitorEvent(MonitorEventKind kind, String endpoint, String peerAddress, String detail, long value,
                           Instant timestamp) {

    public MonitorEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(timestamp, "timestamp");
        endpoint = endpoint == null ? "" : endpoint;
        detail = detail == null ? "" : detail;
    }

    /** The peer address, if known. */
    public Optional<String> peer() {
        return Optional.ofNullable(peerAddress);
    }

    @Override
    public String toString() {
        return kind + " " + endpoint + (peerAddress != null ? " peer=" + peerAddress : "")
            + (detail.isEmpty() ? "" : " (" + detail + ")") + (value != 0 ? " value=" + value : "");
    }
}
