package io.rzmq.pekko.internal.socket;

import java.util.Arrays;

/**
 * One node of a {@link PrefixTree}: the bytes on the edge from its parent ({@code label}), its children
 * keyed by the first byte of their label, and a count (references to the topic this node spells, or the
 * number of pipes that subscribed to it). Children live in a small sorted byte array; only a node with
 * many children pays for a 256-slot table. Owned by one socket actor; not thread-safe.
 */
final class TrieNode {
    static final byte[] NO_BYTES = new byte[0];
    // Past this many children a node switches to a 256-slot table; back to sorted arrays at SPARSE_AT
    // (the gap keeps a node that hovers around the limit from converting on every change).
    static final int DENSE_AT = 48;
    static final int SPARSE_AT = 24;

    byte[] label = NO_BYTES;
    TrieNode parent;
    // Sparse: keys[i] (sorted, unsigned) is the first label byte of kids[i]. Dense: keys == null and kids
    // has 256 slots indexed by that byte. No children: both null.
    private byte[] keys;
    private TrieNode[] kids;
    int kidCount;
    /** References (SubscriptionSet) or pipes (PipeTrie) on the topic this node spells; 0: a branch only. */
    int count;
    /** PipeTrie: the {@code count} pipes subscribed to exactly this topic (slots past count are null). */
    Object[] holders;

    TrieNode child(int b) {
        if (kidCount == 0) {
            return null;
        }
        if (keys == null) {
            return kids[b];
        }
        int i = indexOf(b);
        return i >= 0 ? kids[i] : null;
    }

    /** Adds {@code c} under its label's first byte, replacing the child that had that byte. */
    void putChild(TrieNode c) {
        int b = c.label[0] & 0xff;
        if (kids != null && keys == null) {
            if (kids[b] == null) {
                kidCount++;
            }
            kids[b] = c;
            return;
        }
        int i = indexOf(b);
        if (i >= 0) {
            kids[i] = c;
            return;
        }
        if (kidCount == DENSE_AT) {
            TrieNode[] table = new TrieNode[256];
            for (int k = 0; k < kidCount; k++) {
                table[keys[k] & 0xff] = kids[k];
            }
            keys = null;
            kids = table;
            kids[b] = c;
            kidCount++;
            return;
        }
        int at = -i - 1;
        if (kids == null) {
            keys = new byte[2];
            kids = new TrieNode[2];
        } else if (kidCount == keys.length) {
            int cap = Math.min(DENSE_AT, kidCount * 2);
            keys = Arrays.copyOf(keys, cap);
            kids = Arrays.copyOf(kids, cap);
        }
        System.arraycopy(keys, at, keys, at + 1, kidCount - at);
        System.arraycopy(kids, at, kids, at + 1, kidCount - at);
        keys[at] = (byte) b;
        kids[at] = c;
        kidCount++;
    }

    void removeChild(int b) {
        if (keys == null) {
            if (kids == null || kids[b] == null) {
                return;
            }
            kids[b] = null;
            kidCount--;
            if (kidCount <= SPARSE_AT) {
                byte[] k = new byte[Math.max(kidCount, 2)];
                TrieNode[] c = new TrieNode[k.length];
                int n = 0;
                for (int x = 0; x < 256; x++) {
                    if (kids[x] != null) {
                        k[n] = (byte) x;
                        c[n++] = kids[x];
                    }
                }
                keys = k;
                kids = c;
                if (kidCount == 0) {
                    keys = null;
                    kids = null;
                }
            }
            return;
        }
        int i = indexOf(b);
        if (i < 0) {
            return;
        }
        System.arraycopy(keys, i + 1, keys, i, kidCount - i - 1);
        System.arraycopy(kids, i + 1, kids, i, kidCount - i - 1);
        kidCount--;
        kids[kidCount] = null;
        if (kidCount == 0) {
            keys = null;
            kids = null;
        } else if (kidCount * 4 <= keys.length && keys.length > 4) {
            keys = Arrays.copyOf(keys, kidCount * 2);
            kids = Arrays.copyOf(kids, kidCount * 2);
        }
    }

    /** The children in byte order (a copy; for walks that may change the tree). */
    TrieNode[] children() {
        TrieNode[] out = new TrieNode[kidCount];
        if (kidCount == 0) {
            return out;
        }
        if (keys != null) {
            System.arraycopy(kids, 0, out, 0, kidCount);
        } else {
            int n = 0;
            for (TrieNode c : kids) {
                if (c != null) {
                    out[n++] = c;
                }
            }
        }
        return out;
    }

    TrieNode onlyChild() {
        if (keys != null) {
            return kids[0];
        }
        for (TrieNode c : kids) {
            if (c != null) {
                return c;
            }
        }
        return null;
    }

    boolean isDense() {
        return kids != null && keys == null;
    }

    private int indexOf(int b) {
        byte[] k = keys;
        int lo = 0;
        int hi = kidCount - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int v = k[mid] & 0xff;
            if (v < b) {
                lo = mid + 1;
            } else if (v > b) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }
}
