/**
 * Authentication (ZAP, RFC 27) and CURVE certificates. In the runtime, each context's
 * {@link io.rzmq.pekko.internal.security.ZapClient} carries the server-side mechanisms' questions to the handler
 * socket bound at {@code inproc://zeromq.zap.01} and their answers back. For users:
 * {@link io.rzmq.pekko.security.ZAuth} / {@link io.rzmq.pekko.security.Authenticator}, the built-in ZAP
 * handler with CZMQ zauth's policy, and {@link io.rzmq.pekko.security.ZCert} /
 * {@link io.rzmq.pekko.security.ZCertStore}, certificates in CZMQ's zcert file format.
 */
package io.rzmq.pekko.security;
