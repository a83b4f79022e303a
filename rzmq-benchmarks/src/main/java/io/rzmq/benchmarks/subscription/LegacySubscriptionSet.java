package io.rzmq.benchmarks.subscription;

import io.rzmq.protocol.Frame;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * rzmq's SubscriptionSet as it was before issue 12 (main at 9502057), kept here only as the baseline of
 * {@link SubscriptionMatchBenchmark}: matching costs one hash lookup (hashing a slice of that length)
 * per distinct subscription length, i.e. distinct lengths x message size. Not used by rzmq itself.
 */
public final class LegacySubscriptionSet {
    private final Map<Frame, Integer> counts = new HashMap<>();
    // Distinct prefix lengths in ascending order, with how many topics have each length.
    private int[] lengths = new int[0];
    private final Map<Integer, Integer> topicsPerLength = new HashMap<>();

    /** Adds one reference to {@code topic}; true when the topic was not present before. */
    public boolean add(Frame topic) {
        Integer n = counts.get(topic);
        if (n != null) {
            counts.put(topic, n + 1);
            return false;
        }
        counts.put(topic, 1);
        if (topicsPerLength.merge(topic.size(), 1, Integer::sum) == 1) {
            rebuildLengths();
        }
        return true;
    }

    /** Removes one reference to {@code topic}; true when its last reference went (the topic is gone). */
    public boolean remove(Frame topic) {
        Integer n = counts.get(topic);
        if (n == null) {
            return false;
        }
        if (n > 1) {
            counts.put(topic, n - 1);
            return false;
        }
        counts.remove(topic);
        int left = topicsPerLength.merge(topic.size(), -1, Integer::sum);
        if (left == 0) {
            topicsPerLength.remove(topic.size());
            rebuildLengths();
        }
        return true;
    }

    /** Drops the topic whatever its count (a per-pipe set on the publisher side); true when it was there. */
    public boolean removeAll(Frame topic) {
        Integer n = counts.get(topic);
        if (n == null) {
            return false;
        }
        counts.put(topic, 1);
        return remove(topic);
    }

    public boolean contains(Frame topic) {
        return counts.containsKey(topic);
    }

    /** True when some topic is a prefix of {@code data} (the empty topic matches everything). */
    public boolean matches(Frame data) {
        int size = data.size();
        for (int len : lengths) {
            if (len > size) {
                return false;
            }
            if (counts.containsKey(len == size ? data : data.slice(0, len))) {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return counts.isEmpty();
    }

    /** Number of distinct topics. */
    public int size() {
        return counts.size();
    }

    /** The distinct topics (a live view; do not modify the set while iterating it). */
    public Set<Frame> topics() {
        return counts.keySet();
    }

    public void clear() {
        counts.clear();
        topicsPerLength.clear();
        lengths = new int[0];
    }

    private void rebuildLengths() {
        int[] ls = new int[topicsPerLength.size()];
        int i = 0;
        for (int len : topicsPerLength.keySet()) {
            ls[i++] = len;
        }
        Arrays.sort(ls);
        lengths = ls;
    }
}
