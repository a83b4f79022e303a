package io.rzmq.pekko.internal.socket;

import io.rzmq.protocol.Frame;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The publisher side's subscriptions (the idea of libzmq's mtrie): topic prefix to the set of pipes
 * subscribed to it, in one {@link PrefixTree}. A pipe holds a topic once (a repeated subscribe from the
 * same peer is a duplicate, as in libzmq's publisher); each topic knows how many pipes hold it, which is
 * what XPUB's first-subscribe / last-cancel notices need. Matching a message visits the nodes on its
 * path (at most its longest subscribed prefix) and reports each matching pipe once, marking pipes with
 * a per-match epoch instead of collecting them, so a fan-out allocates nothing. Each pipe also keeps
 * the nodes it holds, so removing a pipe costs its own subscriptions, not the whole tree.
 *
 * @param <P> the pipe type, compared by identity
 */
public final class PipeTrie<P> {
    /** What an add or remove changed: nothing (a duplicate subscribe, a cancel of a topic the pipe lacked). */
    public static final int UNCHANGED = 0;
    /** The pipe's subscriptions changed; other pipes still hold the topic (or held it already). */
    public static final int PIPE_CHANGED = 1;
    /** The first pipe subscribed to the topic, or the last one cancelled it. */
    public static final int TOPIC_CHANGED = 2;
    /** The subscription was not added: it is new for the pipe and would take it past its limits. */
    public static final int REFUSED = -1;

    /** Told of each subscription a removed pipe held: its topic, and whether no pipe holds it now. */
    @FunctionalInterface
    public interface Removal {
        void removed(Frame topic, boolean last);
    }

    private final PrefixTree tree = new PrefixTree();
    private final Map<P, Member<P>> members = new IdentityHashMap<>();
    private int topics;
    private long epoch;

    private static final class Member<P> {
        final P pipe;
        // The match in which this pipe was last reported (see match).
        long mark;
        // The bytes of the topics this pipe holds (what a per-peer limit counts, with nodes.size()).
        long bytes;
        // The nodes this pipe holds, each with the pipe's index in the node's holders (insertion order:
        // a departing pipe's cancels come out in the order of its subscribes).
        final LinkedHashMap<TrieNode, Slot> nodes = new LinkedHashMap<>();

        Member(P pipe) {
            this.pipe = pipe;
        }
    }

    private static final class Slot {
        int index;

        Slot(int index) {
            this.index = index;
        }
    }

    /** Subscribes {@code pipe} to {@code topic}; see the constants for the answer. */
    public int add(Frame topic, P pipe) {
        Member<P> m = members.computeIfAbsent(pipe, Member::new);
        TrieNode n = tree.insert(topic);
        if (m.nodes.containsKey(n)) {
            return UNCHANGED;
        }
        if (n.holders == null) {
            n.holders = new Object[2];
        } else if (n.count == n.holders.length) {
            n.holders = Arrays.copyOf(n.holders, n.count * 2);
        }
        n.holders[n.count] = m;
        m.nodes.put(n, new Slot(n.count));
        m.bytes += topic.size();
        if (n.count++ == 0) {
            topics++;
            return TOPIC_CHANGED;
        }
        return PIPE_CHANGED;
    }

    /**
     * As {@link #add(Frame, Object)}, unless {@code topic} is new for {@code pipe} and would take it past
     * {@code maxTopics} topics or {@code maxBytes} bytes of topics (each -1: no limit): then nothing
     * changes and the answer is {@link #REFUSED}. A duplicate is never refused (it costs nothing).
     */
    public int add(Frame topic, P pipe, int maxTopics, long maxBytes) {
        Member<P> m = members.get(pipe);
        int held = m == null ? 0 : m.nodes.size();
        long bytes = m == null ? 0 : m.bytes;
        if ((maxTopics >= 0 && held >= maxTopics) || (maxBytes >= 0 && bytes + topic.size() > maxBytes)) {
            return m != null && contains(topic, pipe) ? UNCHANGED : REFUSED;
        }
        return add(topic, pipe);
    }

    /** Cancels {@code pipe}'s subscription to {@code topic}; see the constants for the answer. */
    public int remove(Frame topic, P pipe) {
        Member<P> m = members.get(pipe);
        if (m == null) {
            return UNCHANGED;
        }
        TrieNode n = tree.find(topic);
        if (n == null) {
            return UNCHANGED;
        }
        Slot s = m.nodes.remove(n);
        if (s == null) {
            return UNCHANGED;
        }
        boolean last = drop(n, s.index);
        m.bytes -= topic.size();
        if (m.nodes.isEmpty()) {
            members.remove(pipe);
        }
        return last ? TOPIC_CHANGED : PIPE_CHANGED;
    }

    /** Removes every subscription of {@code pipe}, telling {@code removal} (may be null) of each. */
    public void removePipe(P pipe, Removal removal) {
        Member<P> m = members.remove(pipe);
        if (m == null) {
            return;
        }
        for (Map.Entry<TrieNode, Slot> e : m.nodes.entrySet()) {
            TrieNode n = e.getKey();
            // The topic must be read before drop: releasing the node may merge its edge away.
            Frame topic = removal == null ? null : tree.topicOf(n);
            boolean last = drop(n, e.getValue().index);
            if (removal != null) {
                removal.removed(topic, last);
            }
        }
    }

    // Takes the holder at index out of n (the last holder moves into its place); true when n lost its last.
    private boolean drop(TrieNode n, int index) {
        int lastIndex = --n.count;
        if (index != lastIndex) {
            @SuppressWarnings("unchecked")
            Member<P> moved = (Member<P>) n.holders[lastIndex];
            n.holders[index] = moved;
            moved.nodes.get(n).index = index;
        }
        n.holders[lastIndex] = null;
        if (lastIndex > 0) {
            if (lastIndex * 4 <= n.holders.length && n.holders.length > 8) {
                n.holders = Arrays.copyOf(n.holders, lastIndex * 2);
            }
            return false;
        }
        n.holders = null;
        topics--;
        tree.release(n);
        return true;
    }

    /**
     * Gives {@code sink} each pipe with a subscription that is a prefix of {@code data}, once each (in no
     * particular order); returns how many. {@code sink} must not change this trie.
     */
    @SuppressWarnings("unchecked")
    public int match(Frame data, Consumer<? super P> sink) {
        long e = ++epoch;
        int found = 0;
        TrieNode n = tree.root();
        byte[] a = data.unsafeArray();
        int off = data.offset();
        int len = data.size();
        int pos = 0;
        while (true) {
            Object[] hs = n.holders;
            for (int i = 0, c = n.count; i < c; i++) {
                Member<P> m = (Member<P>) hs[i];
                if (m.mark != e) {
                    m.mark = e;
                    found++;
                    sink.accept(m.pipe);
                }
            }
            if (pos >= len) {
                return found;
            }
            TrieNode c = n.child(a[off + pos] & 0xff);
            if (c == null) {
                return found;
            }
            byte[] l = c.label;
            if (l.length > len - pos
                || (l.length > 1 && !Arrays.equals(l, 1, l.length, a, off + pos + 1, off + pos + l.length))) {
                return found;
            }
            pos += l.length;
            n = c;
        }
    }

    /** Whether {@code pipe} holds {@code topic}. */
    public boolean contains(Frame topic, P pipe) {
        Member<P> m = members.get(pipe);
        TrieNode n = m == null ? null : tree.find(topic);
        return n != null && m.nodes.containsKey(n);
    }

    /** How many topics {@code pipe} holds. */
    public int topicCount(P pipe) {
        Member<P> m = members.get(pipe);
        return m == null ? 0 : m.nodes.size();
    }

    /** The bytes of the topics {@code pipe} holds. */
    public long topicBytes(P pipe) {
        Member<P> m = members.get(pipe);
        return m == null ? 0 : m.bytes;
    }

    /** How many pipes hold {@code topic}. */
    public int pipeCount(Frame topic) {
        TrieNode n = tree.find(topic);
        return n == null ? 0 : n.count;
    }

    /** The topics {@code pipe} holds, in the order it subscribed (a snapshot). */
    public List<Frame> topicsOf(P pipe) {
        Member<P> m = members.get(pipe);
        if (m == null) {
            return List.of();
        }
        List<Frame> out = new ArrayList<>(m.nodes.size());
        for (TrieNode n : m.nodes.keySet()) {
            out.add(tree.topicOf(n));
        }
        return out;
    }

    /** Distinct topics held by at least one pipe. */
    public int topicCount() {
        return topics;
    }

    /** Pipes holding at least one topic. */
    public int pipeCount() {
        return members.size();
    }

    /** Tree nodes besides the root. */
    int nodeCount() {
        return tree.nodeCount();
    }

    /** A shape problem of the tree or of the pipe bookkeeping, or null (for tests). */
    String checkShape() {
        String problem = tree.check();
        if (problem != null) {
            return problem;
        }
        int held = 0;
        for (Member<P> m : members.values()) {
            if (m.nodes.isEmpty()) {
                return "a member without subscriptions";
            }
            long bytes = 0;
            for (TrieNode n : m.nodes.keySet()) {
                bytes += tree.topicOf(n).size();
            }
            if (bytes != m.bytes) {
                return "member bytes " + m.bytes + " but its topics hold " + bytes;
            }
            for (Map.Entry<TrieNode, Slot> e : m.nodes.entrySet()) {
                TrieNode n = e.getKey();
                int i = e.getValue().index;
                if (i >= n.count || n.holders[i] != m) {
                    return "slot index out of step";
                }
                held++;
            }
        }
        int counted = 0;
        for (TrieNode n : tree.counted()) {
            counted += n.count;
        }
        return held == counted ? null : "holders " + counted + " but members hold " + held;
    }
}
