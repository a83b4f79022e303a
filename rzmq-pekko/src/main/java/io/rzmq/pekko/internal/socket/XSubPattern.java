package io.rzmq.pekko.internal.socket;

import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;

/**
 * XSUB (RFC 29): a SUB whose subscriptions are messages the application sends: a one-frame message
 * starting with byte 1 subscribes to the rest of the frame, byte 0 cancels. Subscriptions travel to the
 * publishers as {@link SubscriberPattern} describes. Other messages the application sends go upstream
 * to every publisher as they are (dropped for a full one). Everything received is delivered,
 * unfiltered (the publishers filter).
 */
final class XSubPattern extends SubscriberPattern {

    XSubPattern(Host host) {
        super(host);
    }

    @Override
    public SocketType type() {
        return SocketType.XSUB;
    }


    @Override
    public boolean send(Msg msg) {
        Frame f = msg.first();
        if (msg.frameCount() == 1 && f.size() > 0 && (f.get(0) == 1 || f.get(0) == 0)) {
            Frame topic = f.slice(1, f.size() - 1);
            if (f.get(0) == 1) {
                // The message's buffer may be reused by the sender; the set keeps its own copy.
                addSubscription(Frame.copyOf(topic.toByteArray()));
            } else {
                removeSubscription(topic);
            }
            return true;
        }
        toReadyPublishersIfRoom(msg);
        return true;
    }

    @Override
    public Msg receive() {
        return DealerPattern.nextMessage(fq);
    }
}
