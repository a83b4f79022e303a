package io.rzmq.pekko.internal.transport;

import io.rzmq.pekko.internal.transport.ByteStream;
import io.rzmq.pekko.internal.transport.ByteStreamHandler;
import io.rzmq.pekko.internal.transport.PeerAddress;
import io.rzmq.pekko.internal.transport.StreamListenerHandler;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Accepts connections and echoes what each sends, with back-pressure: copies of received chunks queue up
 * and go out as one gather write; reading is suspended while more than {@link #HIGH} bytes wait.
 */
public class EchoServer implements StreamListenerHandler {
    static final int HIGH = 1 << 20;

    public final LinkedBlockingQueue<ByteStream> accepted = new LinkedBlockingQueue<>();
    public final List<String> problems = new CopyOnWriteArrayList<>();

    @Override
    public void onAccepted(ByteStream stream) {
        accepted.add(stream);
        stream.start(new Echo(stream));
    }

    @Override
    public void onAcceptFailed(IOException cause) {
        problems.add("accept failed: " + cause);
    }

    @Override
    public void onSetupFailed(PeerAddress peer, IOException cause) {
        problems.add("setup failed: " + cause);
    }

    private final class Echo implements ByteStreamHandler {
        private final ByteStream stream;
        private final ArrayDeque<ByteBuffer> queued = new ArrayDeque<>();
        private ByteBuffer[] inFlight;
        private long queuedBytes;
        private boolean peerClosed;

        Echo(ByteStream stream) {
            this.stream = stream;
        }

        @Override
        public void onReceived(ByteBuffer data) {
            if (!stream.loop().inLoop()) {
                problems.add("onReceived off the loop");
            }
            ByteBuffer copy = ByteBuffer.allocate(data.remaining());
            copy.put(data).flip();
            queued.add(copy);
            queuedBytes += copy.remaining();
            if (queuedBytes > HIGH) {
                stream.suspendReading();
            }
            pump();
        }

        private void pump() {
            while (inFlight == null && !queued.isEmpty()) {
                ByteBuffer[] batch = queued.toArray(new ByteBuffer[0]);
                queued.clear();
                if (stream.write(batch, batch.length)) {
                    continue;
                }
                inFlight = batch;
            }
            if (inFlight == null) {
                queuedBytes = 0;
                if (peerClosed) {
                    stream.closeGracefully();
                } else {
                    stream.resumeReading();
                }
            }
        }

        @Override
        public void onFlushed() {
            inFlight = null;
            pump();
        }

        @Override
        public void onPeerClosed() {
            peerClosed = true;
            if (inFlight == null && queued.isEmpty()) {
                stream.closeGracefully();
            }
        }

        @Override
        public void onFailed(IOException cause) {
            problems.add("echo stream failed: " + cause);
        }

        @Override
        public void onClosed() {
        }
    }
}
