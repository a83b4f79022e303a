/**
 * ZAP (RFC 27) in the runtime: each context's {@link io.rzmq.pekko.security.ZapClient} carries the
 * server-side mechanisms' questions to the handler socket bound at {@code inproc://zeromq.zap.01} and
 * their answers back. Internal to the runtime.
 */
package io.rzmq.pekko.security;
