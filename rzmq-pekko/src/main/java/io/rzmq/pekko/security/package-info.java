/**
 * Authentication (ZAP, RFC 27) and CURVE certificates: {@link io.rzmq.pekko.security.ZAuth} /
 * {@link io.rzmq.pekko.security.Authenticator}, the built-in ZAP handler with CZMQ zauth's policy, and
 * {@link io.rzmq.pekko.security.ZCert} / {@link io.rzmq.pekko.security.ZCertStore}, certificates in CZMQ's
 * zcert file format.
 */
package io.rzmq.pekko.security;
