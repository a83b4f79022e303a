package io.rzmq.protocol.security;

import java.util.List;

/**
 * A ZAP request (RFC 27) as a mechanism asks for it. {@code credentials} are NULL: none; PLAIN:
 * username, password; CURVE: the 32-byte client long-term public key.
 */
public record ZapRequest(byte[] requestId, String domain, String address, byte[] identity, String mechanism,
                         List<byte[]> credentials) {
}
