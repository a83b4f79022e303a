/**
 * The transport seam ({@link io.rzmq.pekko.internal.transport.StreamTransport}) on Pekko IO's TCP, for
 * {@code rzmq.tcp-io = "pekko"}: tcp only (Pekko IO has no Unix-domain sockets). Each connection has one
 * small classic actor, pinned to the connection's loop dispatcher, that is the Pekko IO connection's handler;
 * reads are pulled (one chunk per {@code ResumeReading}), writes acked (one in flight). Internal: not an API.
 */
package io.rzmq.pekko.internal.transport.pekkoio;
