package io.rzmq.samples.soak;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sequence bookkeeping for one receiving end. Each message carries (sender, incarnation, seq); a stream is
 * one sender incarnation (one process run or one socket's life), numbered from 0.
 *
 * <p>{@link Mode#STRICT}: each stream must arrive as 0, 1, 2, ... with nothing skipped, repeated or out of
 * order (PUSH/PULL and REQ/REP between live peers: the only loss allowed is the tail of a stream whose
 * sender was killed, which shows as a stream that simply stops). {@link Mode#MONOTONIC}: seqs must
 * strictly increase; gaps are allowed and counted as drops (PUB to a slow or reconnecting SUB).
 */
final class Ledger {
    enum Mode { STRICT, MONOTONIC }

    private final String name;
    private final Mode mode;
    private final Violations violations;
    private final Map<String, long[]> streams = new LinkedHashMap<>(); // key -> {last seq, count}
    private final Map<String, Long> perSender = new LinkedHashMap<>();
    private long received;
    private long dropped;

    Ledger(String name, Mode mode, Violations violations) {
        this.name = name;
        this.mode = mode;
        this.violations = violations;
    }

    synchronized void record(String sender, String incarnation, long seq) {
        received++;
        perSender.merge(sender, 1L, Long::sum);
        String key = sender + "#" + incarnation;
        long[] s = streams.get(key);
        if (s == null) {
            if (mode == Mode.STRICT && seq != 0) {
                violations.add(name + ": stream " + key + " began at seq " + seq + ", not 0 (lost head)");
            }
            streams.put(key, new long[] {seq, 1});
            return;
        }
        long last = s[0];
        if (seq <= last) {
            violations.add(name + ": stream " + key + " seq " + seq + " after " + last + " (duplicate or reordered)");
        } else if (seq != last + 1) {
            if (mode == Mode.STRICT) {
                violations.add(name + ": stream " + key + " jumped from " + last + " to " + seq
                    + " (lost " + (seq - last - 1) + " between live peers)");
            } else {
                dropped += seq - last - 1;
            }
        }
        s[0] = Math.max(last, seq);
        s[1]++;
    }

    /** Messages of {@code sender#incarnation} received so far (0 when none). */
    synchronized long count(String sender, String incarnation) {
        long[] s = streams.get(sender + "#" + incarnation);
        return s == null ? 0 : s[1];
    }

    /** The highest seq of the stream, -1 when none arrived. */
    synchronized long last(String sender, String incarnation) {
        long[] s = streams.get(sender + "#" + incarnation);
        return s == null ? -1 : s[0];
    }

    synchronized long received() {
        return received;
    }

    synchronized long dropped() {
        return dropped;
    }

    synchronized int streamCount() {
        return streams.size();
    }

    synchronized boolean hasSenderPrefix(String prefix) {
        return streams.keySet().stream().anyMatch(k -> k.startsWith(prefix));
    }

    /** Messages per sender (all incarnations), in order of first arrival. */
    synchronized Map<String, Long> perSender() {
        return new LinkedHashMap<>(perSender);
    }

    String name() {
        return name;
    }
}
