package io.rzmq.pekko.internal.transport;

import java.io.IOException;

/** The outcome of {@link StreamTransport#connect}; called on the loop given to connect, exactly once unless cancelled. */
public interface ConnectHandler {
    /** Connected and tuned; nothing is read until {@link ByteStream#start}. */
    void onConnected(ByteStream stream);

    /** Refused, unreachable, or a socket option failed; nothing stays open. */
    void onConnectFailed(IOException cause);
}
