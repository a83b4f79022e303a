/**
 * Connection lifecycles: the connect-side session ({@code TcpSession}), the listener and its accept bridge,
 * and the per-scheme {@code Transport} factories that spawn them. Internal to the runtime.
 */
package io.rzmq.pekko.internal.session;
