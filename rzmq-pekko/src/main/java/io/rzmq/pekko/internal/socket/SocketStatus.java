package io.rzmq.pekko.internal.socket;

import io.rzmq.protocol.SocketType;

/**
 * A snapshot of one socket, as its actor saw it.
 *
 * @param pipes      attached pipe pairs (one per inproc peer or tcp connection, including connect-side
 *                   pipes still waiting for their peer)
 * @param readyPeers pipes with a live peer behind them
 * @param outbox     messages the application queued that the socket has not routed yet
 * @param inbox      received messages waiting for the application
 * @param closing    true once close has started
 */
public record SocketStatus(SocketType type, int pipes, int readyPeers, int outbox, int inbox, boolean closing) {
}
