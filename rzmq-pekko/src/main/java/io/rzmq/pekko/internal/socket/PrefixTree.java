package io.rzmq.pekko.internal.socket;

import io.rzmq.protocol.Frame;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The structure shared by {@link SubscriptionSet} and {@link PipeTrie}: a path-compressed prefix tree
 * (a radix tree) of topics. A node exists for every topic with a non-zero count and for every point
 * where two topics part; a run of bytes without either is one edge label, so memory follows the number
 * of topics and their bytes, not (topics x length) as one node per byte would. Walking a message's
 * path costs at most the length of its longest subscribed prefix. The owners keep {@code count} and
 * call {@link #release} when a node's count falls to zero. Not thread-safe.
 */
final class PrefixTree {
    private TrieNode root = new TrieNode();
    private int nodes;

    TrieNode root() {
        return root;
    }

    /** Nodes besides the root (what the tree costs). */
    int nodeCount() {
        return nodes;
    }

    void clear() {
        root = new TrieNode();
        nodes = 0;
    }

    /** The node spelling exactly {@code key}, or null. */
    TrieNode find(Frame key) {
        byte[] a = key.unsafeArray();
        int off = key.offset();
        int len = key.size();
        TrieNode n = root;
        int pos = 0;
        while (pos < len) {
            TrieNode c = n.child(a[off + pos] & 0xff);
            if (c == null) {
                return null;
            }
            byte[] l = c.label;
            if (l.length > len - pos
                || !Arrays.equals(l, 1, l.length, a, off + pos + 1, off + pos + l.length)) {
                return null;
            }
            pos += l.length;
            n = c;
        }
        return n;
    }

    /** The node spelling exactly {@code key}, created (with count 0) when missing. Copies the bytes it keeps. */
    TrieNode insert(Frame key) {
        byte[] a = key.unsafeArray();
        int off = key.offset();
        int len = key.size();
        TrieNode n = root;
        int pos = 0;
        while (pos < len) {
            TrieNode c = n.child(a[off + pos] & 0xff);
            if (c == null) {
                TrieNode leaf = new TrieNode();
                leaf.label = Arrays.copyOfRange(a, off + pos, off + len);
                leaf.parent = n;
                n.putChild(leaf);
                nodes++;
                return leaf;
            }
            byte[] l = c.label;
            int max = Math.min(l.length, len - pos);
            int i = 1;
            while (i < max && l[i] == a[off + pos + i]) {
                i++;
            }
            if (i < l.length) {
                // The key leaves (or ends inside) c's label: split it; c keeps its identity (owners point at it).
                TrieNode mid = new TrieNode();
                mid.label = Arrays.copyOf(l, i);
                mid.parent = n;
                c.label = Arrays.copyOfRange(l, i, l.length);
                c.parent = mid;
                mid.putChild(c);
                n.putChild(mid);
                nodes++;
                c = mid;
            }
            pos += i;
            n = c;
        }
        return n;
    }

    /**
     * Drops what {@code n} no longer needs after its count fell to zero: the node itself when it has no
     * children (then perhaps its parent), or its edge merged into its only child. The child absorbs the
     * parent's label, never the other way round, so a node with a count keeps its identity.
     */
    void release(TrieNode n) {
        while (n != root && n.count == 0) {
            if (n.kidCount > 1) {
                return;
            }
            TrieNode p = n.parent;
            if (n.kidCount == 1) {
                TrieNode c = n.onlyChild();
                byte[] l = new byte[n.label.length + c.label.length];
                System.arraycopy(n.label, 0, l, 0, n.label.length);
                System.arraycopy(c.label, 0, l, n.label.length, c.label.length);
                c.label = l;
                c.parent = p;
                p.putChild(c);
                n.parent = null;
                nodes--;
                return;
            }
            p.removeChild(n.label[0] & 0xff);
            n.parent = null;
            nodes--;
            n = p; // the parent may now have no reason to exist either
        }
    }

    /** The topic {@code n} spells. */
    Frame topicOf(TrieNode n) {
        int len = 0;
        for (TrieNode x = n; x != null; x = x.parent) {
            len += x.label.length;
        }
        byte[] b = new byte[len];
        for (TrieNode x = n; x != null; x = x.parent) {
            len -= x.label.length;
            System.arraycopy(x.label, 0, b, len, x.label.length);
        }
        return Frame.wrap(b);
    }

    /** Every node with a count, in topic byte order (an explicit stack: a tree may be deep). */
    List<TrieNode> counted() {
        List<TrieNode> out = new ArrayList<>();
        ArrayDeque<TrieNode> stack = new ArrayDeque<>();
        stack.push(root);
        while (!stack.isEmpty()) {
            TrieNode n = stack.pop();
            if (n.count > 0) {
                out.add(n);
            }
            TrieNode[] kids = n.children();
            for (int i = kids.length - 1; i >= 0; i--) {
                stack.push(kids[i]);
            }
        }
        return out;
    }

    /** Checks the shape (for tests): parents, labels, no useless node, node count. Returns a problem or null. */
    String check() {
        int seen = 0;
        ArrayDeque<TrieNode> stack = new ArrayDeque<>();
        stack.push(root);
        while (!stack.isEmpty()) {
            TrieNode n = stack.pop();
            if (n != root) {
                seen++;
                if (n.label.length == 0) {
                    return "empty label below the root";
                }
                if (n.count == 0 && n.kidCount < 2) {
                    return "node with no count and " + n.kidCount + " children";
                }
                if (n.parent.child(n.label[0] & 0xff) != n) {
                    return "parent does not lead to its child";
                }
            }
            if (n.count < 0) {
                return "negative count";
            }
            TrieNode[] kids = n.children();
            if (kids.length != n.kidCount) {
                return "child count " + n.kidCount + " but " + kids.length + " children";
            }
            if (n.isDense() ? n.kidCount <= TrieNode.SPARSE_AT : n.kidCount > TrieNode.DENSE_AT) {
                return "dense=" + n.isDense() + " with " + n.kidCount + " children";
            }
            for (TrieNode c : kids) {
                if (c.parent != n) {
                    return "child's parent is another node";
                }
                stack.push(c);
            }
        }
        return seen == nodes ? null : "node count " + nodes + " but " + seen + " nodes";
    }
}
