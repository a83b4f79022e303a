package io.rzmq.pekko.internal.transport;

import java.io.IOException;

/** What a {@link StreamListener} tells its user; called on the listener's loop thread. */
public interface StreamListenerHandler {
    /**
     * A connection was accepted and tuned, and placed on {@code stream.loop()} (least connections, then round
     * robin). Nothing is read until the user calls {@link ByteStream#start}; it must start or abort it.
     */
    void onAccepted(ByteStream stream);

    /**
     * accept() itself failed (out of file descriptors, say). The pending connection keeps the listening
     * socket ready, so accepting is paused (no spinning): call {@link StreamListener#resumeAccepting()}
     * after a pause of your choosing (today's binding waits 100 ms).
     */
    void onAcceptFailed(IOException cause);

    /**
     * A connection was accepted but could not be set up (a socket option the kernel refused): it was reset
     * and dropped; accepting goes on. libzmq reports both this and {@link #onAcceptFailed} as ACCEPT_FAILED.
     */
    void onSetupFailed(PeerAddress peer, IOException cause);
}
