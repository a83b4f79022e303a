package io.rzmq.pekko.internal.transport;

/**
 * Sent by a connection manager to a bind handler, next to Pekko IO's own events, when a connection could
 * not be accepted or set up (accept() failed, or tuning the accepted socket failed): {@code peer} is the
 * peer address when one is known ("" otherwise). The listener reports it as ACCEPT_FAILED and goes on
 * listening. Pekko IO's TCP manager never sends it (it logs a failed accept() only); rzmq's tcp listener
 * sends it to itself when tuning fails; rzmq's own tcp manager and the ipc manager send it for both cases.
 */
public record AcceptFailed(String peer, String reason) {
}
