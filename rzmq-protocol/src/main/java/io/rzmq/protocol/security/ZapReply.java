package io.rzmq.protocol.security;

import io.rzmq.protocol.Metadata;

/** A ZAP reply (RFC 27): status "200" admits the peer, anything else refuses it. */
public record ZapReply(byte[] requestId, String statusCode, String statusText, String userId, Metadata metadata) {
    public boolean accepted() {
        return "200".equals(statusCode);
    }
}
