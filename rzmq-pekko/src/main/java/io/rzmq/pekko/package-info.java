/**
 * The rzmq Pekko extension ({@link io.rzmq.pekko.Rzmq}, {@link io.rzmq.pekko.RzmqSettings}). The APIs are in
 * {@code api}, {@code stream} and {@code typed}, the shared values in {@code model}; {@code internal} is the
 * runtime (contexts, sockets, sessions, engines and transports as actors), not an API.
 */
package io.rzmq.pekko;
