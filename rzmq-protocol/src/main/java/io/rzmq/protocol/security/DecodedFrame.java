package io.rzmq.protocol.security;

import io.rzmq.protocol.Frame;

/** A frame after a mechanism has unwrapped it: its payload and its MORE / COMMAND flags. */
public record DecodedFrame(Frame payload, boolean more, boolean command) {
}
