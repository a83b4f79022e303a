package io.rzmq.protocol.connection;

import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.security.ZapRequest;

import java.util.ArrayList;
import java.util.List;

/** Test handler that records every event; {@link #accept} decides what onMessage/onSubscription return. */
class RecordingHandler implements ZmtpConnection.Handler {
    final List<Msg> messages = new ArrayList<>();
    final List<String> subscriptions = new ArrayList<>();
    final List<Integer> pings = new ArrayList<>();
    final List<ZapRequest> zapRequests = new ArrayList<>();
    PeerInfo peer;
    boolean accept = true;

    @Override
    public void onHandshakeComplete(PeerInfo peer) {
        this.peer = peer;
    }

    @Override
    public boolean onMessage(Msg msg) {
        messages.add(msg);
        return accept;
    }

    @Override
    public boolean onSubscription(Frame topic, boolean subscribe) {
        subscriptions.add((subscribe ? "+" : "-") + topic.asString());
        return accept;
    }

    @Override
    public void onZapRequest(ZapRequest request) {
        zapRequests.add(request);
    }

    @Override
    public void onPing(int ttlDeciseconds) {
        pings.add(ttlDeciseconds);
    }
}
