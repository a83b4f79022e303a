/**
 * Runtime v2's transport seam (docs/runtime-v2-plan.md, "The transport seam"): a byte-stream connection
 * ({@link io.rzmq.pekko.internal.transport.ByteStream}) and a listener
 * ({@link io.rzmq.pekko.internal.transport.StreamListener}) with plain callbacks on the connection's I/O loop,
 * instead of an emulation of Pekko IO's {@code Tcp.*} messages. Implemented for rzmq's selector loop in
 * {@code loop} (tcp:// and ipc:// paths on the same loop). Internal: not an API.
 */
package io.rzmq.pekko.internal.transport;
