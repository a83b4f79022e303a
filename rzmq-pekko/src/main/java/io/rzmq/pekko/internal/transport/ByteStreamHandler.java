package io.rzmq.pekko.internal.transport;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * What a {@link ByteStream} tells its user, always on the stream's loop thread and never from inside a call
 * the user made on the stream (no re-entrancy: a callback that would arise inside such a call is queued on
 * the loop). Exactly one terminal callback ({@link #onClosed()} or {@link #onFailed}) per started stream.
 */
public interface ByteStreamHandler {
    /**
     * Bytes arrived. {@code data} is the loop's shared read buffer: valid only during the call; decode in
     * place and copy what must be kept. It may hold part of a frame or several frames.
     */
    void onReceived(ByteBuffer data);

    /** The write that {@link ByteStream#write} left pending is now entirely in the kernel: the buffers are free. */
    void onFlushed();

    /**
     * The peer closed its side (end of stream). Reading stops; the stream stays open for writing until the
     * user calls {@link ByteStream#closeGracefully()} or {@link ByteStream#abort()}, which it must.
     */
    void onPeerClosed();

    /** Terminal: the stream failed (reset, broken pipe...) and is closed; queued bytes are lost. */
    void onFailed(IOException cause);

    /** Terminal: {@link ByteStream#closeGracefully()} or {@link ByteStream#abort()} finished; the descriptor is closed. */
    void onClosed();
}
