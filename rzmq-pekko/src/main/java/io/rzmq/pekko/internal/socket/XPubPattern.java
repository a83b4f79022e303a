package io.rzmq.pekko.internal.socket;

import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.pekko.internal.pipe.PipeCommand;
import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * XPUB (RFC 29): a PUB that shows its subscribers' subscriptions to the application as one-frame
 * messages: byte 1 + topic for a subscribe, byte 0 + topic for a cancel. As libzmq does, a subscribe is
 * shown only when no subscriber had the topic yet (every one with XPUB_VERBOSE), and a cancel when the
 * last subscriber of the topic drops it, including when a subscriber goes away (every one with
 * XPUB_VERBOSER, and then a departing subscriber shows a cancel for each of its topics); a cancel of a
 * topic the subscriber never had is shown too. Other messages from subscribers (an XSUB's upstream
 * traffic) are shown as they are.
 *
 * <p>XPUB_MANUAL: subscriptions are not applied. Every (un)subscription message is shown, registered
 * with its sender in the {@link SocketGuard.XPubManual} guard; the application's subscribe/unsubscribe
 * then change the filter of the subscriber whose message it received last. A departing subscriber shows a
 * cancel for each topic it had asked for (with no sender: a subscribe after it changes nothing).
 *
 * <p>Sending is PUB's: every matching subscriber, a full one loses the message; with XPUB_NODROP the
 * send waits instead until every matching subscriber has room. XPUB_WELCOME_MSG goes to each new
 * subscriber first. A subscriber's set survives its reconnections (its repeated subscribes are
 * duplicates), as in libzmq.
 */
final class XPubPattern implements SocketPattern {
    private static final Logger log = LoggerFactory.getLogger(XPubPattern.class);
    private final Host host;
    private final Distributor dist;
    // Per-peer bounds on what a subscriber asks for under XPUB_MANUAL (the trie's limits otherwise).
    private final int maxTopics;
    private final long maxBytes;
    private final ArrayDeque<Msg> notifications = new ArrayDeque<>();
    // The notifications waiting for the application are bounded by RCVHWM. Past it, what the application
    // must see (upstream data, and every subscription under XPUB_MANUAL, which only the application
    // applies) stays in the subscriber's pipe, so the subscriber is held back; an automatic mode's
    // subscription notice is dropped instead, because its filter change is already applied and an
    // application that never reads an XPUB must not stop its subscribers' subscriptions taking effect.
    private final int notificationLimit;
    private final Set<PipeEntry> held = Collections.newSetFromMap(new IdentityHashMap<>());
    private long noticesDropped;
    private final boolean verbose;
    private final boolean verboser;
    private final boolean nodrop;
    // XPUB_MANUAL: the guard that learns which message the application received; null otherwise. What each
    // subscriber asked for (a set per subscriber) is kept apart from the filter the application sets.
    private final SocketGuard.XPubManual manual;
    private final Map<PipeEntry, SubscriptionSet> requested = new IdentityHashMap<>();
    private final byte[] welcome;
    // XPUB_NODROP: the matching pipes a waiting message already went to (a refused offer may race with
    // room appearing), so that the retry does not send it twice.
    private Msg partial;
    private final Set<PipeEntry> partialDone = Collections.newSetFromMap(new IdentityHashMap<>());
    private final List<PipeEntry> scratch = new ArrayList<>();
    private final java.util.function.Consumer<PipeEntry> toScratch = scratch::add;

    XPubPattern(Host host, SocketOptions options) {
        this(host, options, SocketGuard.NONE);
    }

    XPubPattern(Host host, SocketOptions options, SocketGuard guard) {
        this.host = host;
        this.manual = guard instanceof SocketGuard.XPubManual m ? m : null;
        if (options.xpubManual() && manual == null) {
            throw new IllegalArgumentException("XPUB_MANUAL needs the XPUB_MANUAL guard");
        }
        this.verbose = options.xpubVerbose();
        this.verboser = options.xpubVerboser();
        this.nodrop = options.xpubNodrop();
        this.welcome = options.xpubWelcomeMsg();
        this.maxTopics = options.maxSubscriptions();
        this.maxBytes = options.maxSubscriptionBytes();
        this.dist = new Distributor(maxTopics, maxBytes);
        // RCVHWM 0 means "no limit" in libzmq; we still keep one.
        this.notificationLimit = options.rcvHwm() > 0 ? options.rcvHwm() : UNLIMITED_HWM_NOTICES;
    }

    /** The notice limit when RCVHWM is 0 ("no limit"): large, but still a bound. */
    static final int UNLIMITED_HWM_NOTICES = 1 << 20;

    @Override
    public SocketType type() {
        return SocketType.XPUB;
    }



    @Override
    public void attached(PipeEntry p) {
        dist.attach(p);
        if (welcome.length > 0) {
            p.out().offer(Msg.of(Frame.copyOf(welcome)));
        }
        readable(p);
    }

    @Override
    public void detached(PipeEntry p) {
        int before = notifications.size();
        if (manual != null) {
            SubscriptionSet asked = requested.remove(p);
            if (asked != null) {
                for (Frame topic : asked.topics()) {
                    notify((byte) 0, topic, null);
                }
            }
        } else {
            // The trie knows which topics lost their last subscriber with this one.
            dist.remove(p, (topic, last) -> {
                if (last || verboser) {
                    notify((byte) 0, topic, null);
                }
            });
        }
        if (notifications.size() > before) {
            host.receivable();
        }
        dist.remove(p);
        held.remove(p);
        partialDone.remove(p);
        if (nodrop) {
            host.sendable(); // a send waiting for this subscriber's room can go on without it
        }
    }

    @Override
    public void writable(PipeEntry p) {
        // XPUB_NODROP: the core retries the waiting send
    }

    @Override
    public void readable(PipeEntry p) {
        while (true) {
            if (notifications.size() >= notificationLimit) {
                Object next = p.in().peek();
                if (next != null && mustBeShown(next)) {
                    held.add(p); // read on once the application takes notifications (receive)
                    return;
                }
            }
            // Polling until null also arms the pipe's wake-up for the next item.
            Object item = p.in().poll();
            if (item == null) {
                break;
            }
            if (item instanceof PipeCommand.Subscribe s) {
                subscribe(p, s.topic());
            } else if (item instanceof PipeCommand.Cancel c) {
                cancel(p, c.topic());
            } else if (item instanceof Msg m) {
                Frame f = m.first();
                if (m.frameCount() == 1 && f.size() > 0 && f.get(0) == 1) {
                    subscribe(p, f.slice(1, f.size() - 1));
                } else if (m.frameCount() == 1 && f.size() > 0 && f.get(0) == 0) {
                    cancel(p, f.slice(1, f.size() - 1));
                } else {
                    notifications.addLast(m);
                }
            }
            // Resync: the subscriber resends its set; repeats are duplicates here, nothing to forget
        }
        if (p.in().isFinished()) {
            host.pipeFinished(p);
        }
    }

    private void subscribe(PipeEntry p, Frame topic) {
        if (manual != null) {
            SubscriptionSet asked = requested.computeIfAbsent(p, k -> new SubscriptionSet());
            if (!asked.contains(topic)) {
                if (Distributor.limited(p) && ((maxTopics >= 0 && asked.size() >= maxTopics)
                    || (maxBytes >= 0 && asked.bytes() + topic.size() > maxBytes))) {
                    refuse(p, Distributor.refusalReason(maxTopics, maxBytes, asked.size(), asked.bytes(),
                        topic.size()));
                    return;
                }
                asked.add(topic);
            }
            notify((byte) 1, topic, p);
            return;
        }
        int change = dist.subscribe(p, topic);
        if (change == PipeTrie.REFUSED) {
            refuse(p, dist.refusalReason(p, topic));
        } else if (change == PipeTrie.TOPIC_CHANGED || verbose) {
            // shown when no subscriber had the topic yet (every one with XPUB_VERBOSE)
            notify((byte) 1, topic, p);
        }
    }

    /** Past the per-peer limit: nothing is applied or shown, and the engine drops the connection. */
    private static void refuse(PipeEntry p, String reason) {
        if (p.in().refusal() == null) {
            p.in().refuse(reason);
        }
    }

    private void cancel(PipeEntry p, Frame topic) {
        if (manual != null) {
            SubscriptionSet asked = requested.get(p);
            if (asked != null) {
                asked.removeAll(topic);
            }
            notify((byte) 0, topic, p);
        } else {
            int change = dist.cancel(p, topic);
            // Shown when the last subscriber dropped it (every one with XPUB_VERBOSER); libzmq passes a
            // cancel of a topic the subscriber never had on as well.
            if (change != PipeTrie.PIPE_CHANGED || verboser) {
                notify((byte) 0, topic, p);
            }
        }
    }

    /** Whether the application must see this item from a subscriber (so it may not be dropped). */
    private boolean mustBeShown(Object item) {
        if (manual != null) {
            return true;
        }
        if (item instanceof Msg m) {
            Frame f = m.first();
            return !(m.frameCount() == 1 && f.size() > 0 && (f.get(0) == 1 || f.get(0) == 0));
        }
        return false; // a SUBSCRIBE/CANCEL command: applied now, its notice may be dropped
    }

    private void notify(byte kind, Frame topic, PipeEntry from) {
        if (manual == null && notifications.size() >= notificationLimit) {
            if (noticesDropped++ == 0) {
                log.warn(
                    "XPUB: {} subscription notices wait unread (RCVHWM); further ones are dropped until the "
                        + "application receives (the subscriptions themselves still apply)", notificationLimit);
            }
            return;
        }
        byte[] b = new byte[topic.size() + 1];
        b[0] = kind;
        topic.copyTo(b, 1);
        Msg m = Msg.of(Frame.wrap(b));
        if (manual != null) {
            manual.queued(m, from);
        }
        notifications.addLast(m);
    }

    /** XPUB_MANUAL: the application adds {@code topic} to {@code subscriber}'s filter (gone or null: ignored). */
    @Override
    public void subscribe(Frame topic, PipeEntry subscriber) {
        if (manual == null) {
            SocketPattern.super.subscribe(topic, subscriber);
            return;
        }
        if (subscriber != null && !subscriber.isDetached()) {
            dist.subscribeUnlimited(subscriber, topic); // the application's choice, bounded by what was asked
        }
    }

    /** XPUB_MANUAL: the application removes {@code topic} from {@code subscriber}'s filter. */
    @Override
    public void unsubscribe(Frame topic, PipeEntry subscriber) {
        if (manual == null) {
            SocketPattern.super.unsubscribe(topic, subscriber);
            return;
        }
        if (subscriber != null && !subscriber.isDetached()) {
            dist.cancel(subscriber, topic);
        }
    }

    @Override
    public boolean send(Msg msg) {
        if (!nodrop) {
            dist.send(msg);
            return true;
        }
        if (partial != msg) {
            partial = msg;
            partialDone.clear();
        }
        scratch.clear();
        dist.matching(msg.first(), toScratch);
        boolean waiting = false;
        for (PipeEntry p : scratch) {
            if (!partialDone.contains(p) && p.out().isFull()) {
                // Offer anyway: a refused offer arms the pipe's writable wake-up that resumes us.
                if (p.out().offer(msg)) {
                    partialDone.add(p);
                } else if (!p.out().isReaderClosed()) {
                    waiting = true;
                }
            }
        }
        if (waiting) {
            return false;
        }
        for (PipeEntry p : scratch) {
            if (!partialDone.contains(p)) {
                p.out().offer(msg);
            }
        }
        partial = null;
        partialDone.clear();
        scratch.clear();
        return true;
    }

    @Override
    public Msg receive() {
        Msg m = notifications.pollFirst();
        if (m != null && !held.isEmpty() && notifications.size() < notificationLimit) {
            for (PipeEntry p : new ArrayList<>(held)) {
                held.remove(p);
                readable(p);
            }
        }
        if (notifications.isEmpty()) {
            noticesDropped = 0;
        }
        return m;
    }
}
