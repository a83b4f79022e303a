package io.rzmq.samples.guide;

import io.rzmq.pekko.api.ZContext;
import io.rzmq.pekko.api.ZProxy;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.apache.pekko.Done;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.rzmq.samples.guide.GuideSupport.await;

/**
 * The guide's pub-sub forwarder (zmq_proxy with XSUB/XPUB): a publisher binds a PUB socket; the forwarder
 * connects an XSUB to it and binds an XPUB for the subscribers, and {@link ZProxy#proxy} moves messages
 * downstream and subscriptions upstream. Each SUB subscribes to its own topic through the forwarder and,
 * since the publisher filters, receives only that topic. The publisher keeps publishing rounds of all topics
 * until every subscriber has its messages: PUB drops what it sends before a subscription has arrived.
 */
public final class Forwarder {
    private Forwarder() {
    }

    public static void main(String[] args) {
        int perTopic = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        GuideSupport.runMain("forwarder", (system, ctx, out) ->
            run(ctx, List.of("weather", "sports", "news"), perTopic, out));
    }

    /**
     * Runs a publisher, the XSUB/XPUB forwarder and one SUB per topic in {@code topics}, over loopback TCP;
     * returns, per topic, the first {@code perTopic} messages its subscriber received. The publisher also
     * publishes a topic nobody subscribed to ("noise"), which the forwarder never carries.
     */
    public static Map<String, List<String>> run(ZContext ctx, List<String> topics, int perTopic, PrintStream out)
        throws Exception {
        ZSocket pub = ZSocket.create(ctx, SocketType.PUB);
        ZSocket xsub = ZSocket.create(ctx, SocketType.XSUB);
        ZSocket xpub = ZSocket.create(ctx, SocketType.XPUB);
        List<ZSocket> subs = new ArrayList<>();
        AtomicBoolean publishing = new AtomicBoolean(true);
        CompletableFuture<Void> publisher = null;
        try {
            String pubAt = await(pub.bind("tcp://127.0.0.1:*"));
            String xpubAt = await(xpub.bind("tcp://127.0.0.1:*"));
            await(xsub.connect(pubAt));
            CompletionStage<Done> proxy = ZProxy.proxy(xsub, xpub);
            out.println("publisher PUB on " + pubAt + "; forwarder XSUB connected to it, XPUB on " + xpubAt);

            Map<String, CompletableFuture<List<String>>> received = new LinkedHashMap<>();
            for (String topic : topics) {
                ZSocket sub = ZSocket.create(ctx, SocketType.SUB);
                subs.add(sub);
                await(sub.connect(xpubAt));
                await(sub.subscribe(topic + " "));
                received.put(topic, take(sub, perTopic, new ArrayList<>()).toCompletableFuture());
            }
            out.println(topics.size() + " subscribers connected to the XPUB, subscribed to " + topics);

            publisher = CompletableFuture.runAsync(() -> publish(pub, topics, publishing));
            Map<String, List<String>> result = new LinkedHashMap<>();
            for (Map.Entry<String, CompletableFuture<List<String>>> e : received.entrySet()) {
                result.put(e.getKey(), await(e.getValue()));
                out.println("  subscriber to '" + e.getKey() + "' got " + result.get(e.getKey()));
            }
            publishing.set(false);
            await(publisher);
            for (ZSocket s : List.of(pub, xsub, xpub)) {
                await(s.close());
            }
            await(proxy);
            out.println("publisher stopped, forwarder sockets closed, proxy ended");
            return result;
        } finally {
            publishing.set(false);
            if (publisher != null) {
                publisher.handle((v, e) -> null).join();
            }
            for (ZSocket s : subs) {
                await(s.close());
            }
            for (ZSocket s : List.of(pub, xsub, xpub)) {
                await(s.close());
            }
        }
    }

    /** Publishes rounds of "topic N" for every topic, plus unwanted "noise N", until told to stop. */
    private static void publish(ZSocket pub, List<String> topics, AtomicBoolean publishing) {
        long round = 0;
        while (publishing.get()) {
            round++;
            for (String topic : topics) {
                pub.send(Msg.of(topic + " " + round)).toCompletableFuture().join();
            }
            pub.send(Msg.of("noise " + round)).toCompletableFuture().join();
            // PUB never waits; yield so the forwarder's and subscribers' threads get their share.
            Thread.yield();
        }
    }

    private static CompletionStage<List<String>> take(ZSocket sub, int n, List<String> got) {
        if (got.size() == n) {
            return CompletableFuture.completedFuture(got);
        }
        return sub.receive().thenCompose(m -> {
            got.add(m.firstString());
            return take(sub, n, got);
        });
    }
}
