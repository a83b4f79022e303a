package io.rzmq.pekko.internal.socket;

import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;

/**
 * SUB (RFC 29): fair-queues messages from its publishers and keeps only those matching its
 * subscriptions (the publisher filters too, but not before our subscriptions reach it). Subscriptions
 * travel to the publishers as {@link SubscriberPattern} describes.
 */
final class SubPattern extends SubscriberPattern {

    SubPattern(Host host) {
        super(host);
    }

    @Override
    public SocketType type() {
        return SocketType.SUB;
    }


    @Override
    public boolean send(Msg msg) {
        return false;
    }

    @Override
    public Msg receive() {
        Object item;
        while ((item = fq.poll()) != null) {
            if (item instanceof Msg m && subscriptions.matches(m.first())) {
                return m;
            }
        }
        return null;
    }

    @Override
    public void subscribe(Frame topic) {
        addSubscription(topic);
    }

    @Override
    public void unsubscribe(Frame topic) {
        removeSubscription(topic);
    }
}
