package io.rzmq.pekko.internal.socket;

import io.rzmq.protocol.Frame;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A set of topic prefixes with a count per prefix (subscribing twice needs two cancels, as libzmq's SUB
 * does), matched against a message's first frame. Kept in a {@link PrefixTree}: matching walks the
 * message's bytes once and stops at the first subscribed prefix or where no subscription continues, so
 * it costs at most the longest matching prefix whatever the number of topics (the hash-per-length set
 * it replaces cost distinct lengths x message size). The set keeps its own copy of each topic's bytes.
 */
public final class SubscriptionSet {
    private final PrefixTree tree = new PrefixTree();
    private int topics;
    private long bytes;

    /** Adds one reference to {@code topic}; true when the topic was not present before. */
    public boolean add(Frame topic) {
        TrieNode n = tree.insert(topic);
        if (n.count == Integer.MAX_VALUE) {
            return false; // saturated: further references are not counted
        }
        if (n.count++ == 0) {
            topics++;
            bytes += topic.size();
            return true;
        }
        return false;
    }

    /** Removes one reference to {@code topic}; true when its last reference went (the topic is gone). */
    public boolean remove(Frame topic) {
        TrieNode n = tree.find(topic);
        if (n == null || n.count == 0) {
            return false;
        }
        if (--n.count > 0) {
            return false;
        }
        topics--;
        bytes -= topic.size();
        tree.release(n);
        return true;
    }

    /** Drops the topic whatever its count; true when it was there. */
    public boolean removeAll(Frame topic) {
        TrieNode n = tree.find(topic);
        if (n == null || n.count == 0) {
            return false;
        }
        n.count = 1;
        return remove(topic);
    }

    public boolean contains(Frame topic) {
        TrieNode n = tree.find(topic);
        return n != null && n.count > 0;
    }

    /** How many references {@code topic} has (0: not subscribed). */
    public int count(Frame topic) {
        TrieNode n = tree.find(topic);
        return n == null ? 0 : n.count;
    }

    /** True when some topic is a prefix of {@code data} (the empty topic matches everything). */
    public boolean matches(Frame data) {
        TrieNode n = tree.root();
        if (n.count > 0) {
            return true;
        }
        byte[] a = data.unsafeArray();
        int off = data.offset();
        int len = data.size();
        int pos = 0;
        while (pos < len) {
            TrieNode c = n.child(a[off + pos] & 0xff);
            if (c == null) {
                return false;
            }
            byte[] l = c.label;
            if (l.length > len - pos
                || (l.length > 1 && !Arrays.equals(l, 1, l.length, a, off + pos + 1, off + pos + l.length))) {
                return false;
            }
            if (c.count > 0) {
                return true;
            }
            pos += l.length;
            n = c;
        }
        return false;
    }

    public boolean isEmpty() {
        return topics == 0;
    }

    /** The bytes of the distinct topics (what a per-peer limit counts). */
    public long bytes() {
        return bytes;
    }

    /** Number of distinct topics. */
    public int size() {
        return topics;
    }

    /** The distinct topics, in byte order (a snapshot: the set may change while it is iterated). */
    public List<Frame> topics() {
        List<TrieNode> nodes = tree.counted();
        List<Frame> out = new ArrayList<>(nodes.size());
        for (TrieNode n : nodes) {
            out.add(tree.topicOf(n));
        }
        return out;
    }

    public void clear() {
        tree.clear();
        topics = 0;
        bytes = 0;
    }

    /** Tree nodes besides the root (for tests and benchmarks). */
    int nodeCount() {
        return tree.nodeCount();
    }

    PrefixTree tree() {
        return tree;
    }

    /** A shape problem of the underlying tree, or null (for tests). */
    String checkShape() {
        return tree.check();
    }
}
