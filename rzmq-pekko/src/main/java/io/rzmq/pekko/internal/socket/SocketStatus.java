package io.rzmq.pekko.internal.socket;

import io.rzmq.protocol.SocketType;

/**
 * A snapshot of one socket, as its data plane saw it after everything its actor was told before.
 *
 * @param pipes      attached pipe pairs (one per inproc peer or tcp connection, including connect-side
 *                   pipes still waiting for their peer)
 * @param readyPeers pipes with a live peer behind them
 * @param outbox     sends waiting for room (no eligible pipe had any; CONFLATE: the newest held for a pipe)
 * @param inbox      received messages waiting in the socket's incoming pipes
 * @param closing    true once close has started
 */
public record SocketStatus(SocketType type, int pipes, int readyPeers, int outbox, int inbox, boolean closing) {
}
