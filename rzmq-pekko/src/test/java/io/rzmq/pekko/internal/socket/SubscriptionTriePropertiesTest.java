package io.rzmq.pekko.internal.socket;

import io.rzmq.protocol.Frame;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link SubscriptionSet} (subscriber side) and {@link PipeTrie} (publisher side) against a naive model
 * (a map of topics, matched by trying every one): random subscribe / cancel / detach / match sequences
 * over a narrow alphabet (many shared prefixes, duplicates, the empty topic) and over all 256 byte
 * values (nodes that turn dense and back). After every step the tree's shape is checked too: no node
 * without a reason to exist, parents and child tables in step.
 */
class SubscriptionTriePropertiesTest {
    private static final HexFormat HEX = HexFormat.of();

    enum Kind { ADD, REMOVE, REMOVE_ALL, DETACH, MATCH }

    /** One step: what, which pipe, a topic (or message), and whether to reuse a topic already present instead. */
    record Op(Kind kind, int pipe, byte[] bytes, int reuse) {
        @Override
        public String toString() {
            return kind + "(" + pipe + "," + HEX.formatHex(bytes) + (reuse >= 0 ? ",reuse " + reuse : "") + ")";
        }
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<byte[]> narrow = Arbitraries.of((byte) 0, (byte) 1, (byte) 'a', (byte) 0xff)
            .array(byte[].class).ofMaxSize(6);
        Arbitrary<byte[]> wide = Arbitraries.bytes().array(byte[].class).ofMaxSize(3);
        Arbitrary<byte[]> bytes = Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(3, narrow), net.jqwik.api.Tuple.of(2, wide));
        Arbitrary<Kind> kind = Arbitraries.frequency(
            net.jqwik.api.Tuple.of(8, Kind.ADD), net.jqwik.api.Tuple.of(4, Kind.REMOVE),
            net.jqwik.api.Tuple.of(1, Kind.REMOVE_ALL), net.jqwik.api.Tuple.of(1, Kind.DETACH),
            net.jqwik.api.Tuple.of(5, Kind.MATCH));
        Arbitrary<Integer> reuse = Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(2, Arbitraries.just(-1)), net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 1000)));
        Arbitrary<Op> op = Combinators.combine(kind, Arbitraries.integers().between(0, 4), bytes, reuse).as(Op::new);
        return op.list().ofMaxSize(250);
    }

    /** Short topics over all byte values, add-heavy and long: nodes past 48 children turn dense, then sparse again. */
    @Provide
    Arbitrary<List<Op>> wideOps() {
        // uniform: jqwik's default favours small and edge values, which would rarely fill a node
        Arbitrary<byte[]> bytes = Arbitraries.integers().between(0, 255)
            .withDistribution(net.jqwik.api.RandomDistribution.uniform())
            .map(i -> (byte) (int) i).array(byte[].class).ofMinSize(1).ofMaxSize(2);
        Arbitrary<Kind> kind = Arbitraries.frequency(
            net.jqwik.api.Tuple.of(10, Kind.ADD), net.jqwik.api.Tuple.of(6, Kind.REMOVE),
            net.jqwik.api.Tuple.of(1, Kind.DETACH), net.jqwik.api.Tuple.of(3, Kind.MATCH));
        Arbitrary<Integer> reuse = Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(1, Arbitraries.just(-1)), net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 1000)));
        Arbitrary<Op> op = Combinators.combine(kind, Arbitraries.integers().between(0, 2), bytes, reuse).as(Op::new);
        return op.list().ofMinSize(300).ofMaxSize(700);
    }

    /** A frame with the given bytes, sometimes a slice in the middle of a larger buffer. */
    private static Frame frame(byte[] b, int salt) {
        if (salt % 2 == 0) {
            return Frame.wrap(b.clone());
        }
        byte[] big = new byte[b.length + 5];
        java.util.Arrays.fill(big, (byte) 'a'); // padding that could fake a match if offsets were ignored
        System.arraycopy(b, 0, big, 2, b.length);
        return Frame.wrap(big, 2, b.length);
    }

    private static byte[] pick(byte[] own, int reuse, Set<String> present) {
        if (reuse < 0 || present.isEmpty()) {
            return own;
        }
        List<String> sorted = new ArrayList<>(new TreeSet<>(present));
        return HEX.parseHex(sorted.get(reuse % sorted.size()));
    }

    private static boolean modelMatches(Set<String> topics, byte[] msg) {
        String m = HEX.formatHex(msg);
        for (String t : topics) {
            if (m.startsWith(t) && t.length() % 2 == 0) {
                return true;
            }
        }
        return false;
    }

    @Property(tries = 300)
    void subscriptionSetAgreesWithACountingModel(@ForAll("ops") List<Op> ops) {
        checkSet(ops);
    }

    @Property(tries = 40)
    void subscriptionSetAgreesWithACountingModelThroughDenseNodes(@ForAll("wideOps") List<Op> ops) {
        checkSet(ops);
    }

    @Property(tries = 300)
    void pipeTrieAgreesWithAPerPipeModel(@ForAll("ops") List<Op> ops) {
        checkPipes(ops);
    }

    @Property(tries = 40)
    void pipeTrieAgreesWithAPerPipeModelThroughDenseNodes(@ForAll("wideOps") List<Op> ops) {
        checkPipes(ops);
    }

    private static void checkSet(List<Op> ops) {
        SubscriptionSet set = new SubscriptionSet();
        Map<String, Integer> model = new TreeMap<>();
        int step = 0;
        for (Op op : ops) {
            byte[] b = op.kind() == Kind.MATCH ? op.bytes() : pick(op.bytes(), op.reuse(), model.keySet());
            String key = HEX.formatHex(b);
            Frame f = frame(b, step++);
            switch (op.kind()) {
                case ADD -> {
                    boolean fresh = !model.containsKey(key);
                    model.merge(key, 1, Integer::sum);
                    assertThat(set.add(f)).as("add %s", op).isEqualTo(fresh);
                }
                case REMOVE -> {
                    Integer n = model.get(key);
                    boolean gone = n != null && n == 1;
                    if (n != null) {
                        if (n == 1) {
                            model.remove(key);
                        } else {
                            model.put(key, n - 1);
                        }
                    }
                    assertThat(set.remove(f)).as("remove %s", op).isEqualTo(gone);
                }
                case REMOVE_ALL -> assertThat(set.removeAll(f)).as("removeAll %s", op).isEqualTo(model.remove(key) != null);
                case DETACH -> {
                    if (op.pipe() == 0 && op.bytes().length == 0) { // rarely (never in wideOps): everything goes
                        set.clear();
                        model.clear();
                    }
                }
                case MATCH -> assertThat(set.matches(f)).as("match %s against %s", op, model)
                    .isEqualTo(modelMatches(model.keySet(), b));
            }
            assertThat(set.checkShape()).as("shape after %s", op).isNull();
            assertThat(set.size()).isEqualTo(model.size());
            assertThat(set.isEmpty()).isEqualTo(model.isEmpty());
            assertThat(set.count(f)).isEqualTo(model.getOrDefault(key, 0));
        }
        List<String> topics = new ArrayList<>();
        for (Frame t : set.topics()) {
            topics.add(HEX.formatHex(t.toByteArray()));
        }
        assertThat(topics).containsExactlyElementsOf(model.keySet()); // byte order is hex order
        if (model.isEmpty()) {
            assertThat(set.nodeCount()).isZero();
        }
    }

    private static void checkPipes(List<Op> ops) {
        PipeTrie<Integer> trie = new PipeTrie<>();
        Integer[] pipes = {0, 1, 2, 3, 4}; // boxed once: the trie compares pipes by identity
        Map<Integer, Set<String>> model = new HashMap<>();
        int step = 0;
        for (Op op : ops) {
            Set<String> all = new HashSet<>();
            model.values().forEach(all::addAll);
            Integer pipe = pipes[op.pipe()];
            Set<String> mine = model.computeIfAbsent(pipe, k -> new HashSet<>());
            byte[] b = op.kind() == Kind.MATCH ? op.bytes() : pick(op.bytes(), op.reuse(), all);
            String key = HEX.formatHex(b);
            Frame f = frame(b, step++);
            switch (op.kind()) {
                case ADD -> {
                    int expected = mine.contains(key) ? PipeTrie.UNCHANGED
                        : all.contains(key) ? PipeTrie.PIPE_CHANGED : PipeTrie.TOPIC_CHANGED;
                    mine.add(key);
                    assertThat(trie.add(f, pipe)).as("add %s", op).isEqualTo(expected);
                }
                case REMOVE, REMOVE_ALL -> {
                    int expected = !mine.remove(key) ? PipeTrie.UNCHANGED
                        : heldByOthers(model, pipe, key) ? PipeTrie.PIPE_CHANGED : PipeTrie.TOPIC_CHANGED;
                    assertThat(trie.remove(f, pipe)).as("remove %s", op).isEqualTo(expected);
                }
                case DETACH -> {
                    Map<String, Boolean> expected = new TreeMap<>();
                    for (String t : mine) {
                        expected.put(t, !heldByOthers(model, pipe, t));
                    }
                    Map<String, Boolean> told = new TreeMap<>();
                    trie.removePipe(pipe, (topic, last) ->
                        assertThat(told.put(HEX.formatHex(topic.toByteArray()), last)).as("told twice").isNull());
                    assertThat(told).as("detach %s", op).isEqualTo(expected);
                    model.remove(pipe);
                }
                case MATCH -> {
                    List<Integer> got = new ArrayList<>();
                    int n = trie.match(f, got::add);
                    Set<Integer> expected = new TreeSet<>();
                    model.forEach((p, ts) -> {
                        if (modelMatches(ts, b)) {
                            expected.add(p);
                        }
                    });
                    assertThat(got).as("match %s", op).containsExactlyInAnyOrderElementsOf(expected);
                    assertThat(n).isEqualTo(expected.size());
                }
            }
            assertThat(trie.checkShape()).as("shape after %s", op).isNull();
            Set<String> now = new HashSet<>();
            model.values().forEach(now::addAll);
            assertThat(trie.topicCount()).isEqualTo(now.size());
            assertThat(trie.contains(f, pipe)).isEqualTo(model.getOrDefault(pipe, Set.of()).contains(key));
            int holders = 0;
            for (Set<String> ts : model.values()) {
                holders += ts.contains(key) ? 1 : 0;
            }
            assertThat(trie.pipeCount(f)).isEqualTo(holders);
        }
        for (Integer p : pipes) {
            List<String> topics = new ArrayList<>();
            trie.topicsOf(p).forEach(t -> topics.add(HEX.formatHex(t.toByteArray())));
            assertThat(topics).containsExactlyInAnyOrderElementsOf(model.getOrDefault(p, Set.of()));
            trie.removePipe(p, null);
        }
        assertThat(trie.nodeCount()).isZero();
        assertThat(trie.pipeCount()).isZero();
    }

    @Example
    void aNodeWithEveryByteTurnsDenseAndBackWithoutLosingAChild() {
        SubscriptionSet set = new SubscriptionSet();
        for (int b = 0; b < 256; b++) {
            set.add(Frame.wrap(new byte[] {'t', (byte) b, 'x'}));
        }
        TrieNode t = set.tree().root().child('t');
        assertThat(t.isDense()).isTrue();
        assertThat(set.checkShape()).isNull();
        for (int b = 255; b >= 0; b--) {
            assertThat(set.matches(Frame.wrap(new byte[] {'t', (byte) b, 'x', 1}))).as("byte %d", b).isTrue();
            assertThat(set.matches(Frame.wrap(new byte[] {'t', (byte) b, 'y'}))).isFalse();
            assertThat(set.remove(Frame.wrap(new byte[] {'t', (byte) b, 'x'}))).isTrue();
            assertThat(set.checkShape()).as("after removing byte %d", b).isNull();
            for (int k = 0; k < b; k++) {
                assertThat(set.contains(Frame.wrap(new byte[] {'t', (byte) k, 'x'}))).as("byte %d after %d", k, b).isTrue();
            }
        }
        assertThat(set.isEmpty()).isTrue();
        assertThat(set.nodeCount()).isZero();
    }

    @Example
    void aLongChainOfNestedTopicsNeedsNoDeepRecursion() {
        SubscriptionSet set = new SubscriptionSet();
        PipeTrie<Object> trie = new PipeTrie<>();
        Object pipe = new Object();
        byte[] a = new byte[3000];
        java.util.Arrays.fill(a, (byte) 'a');
        for (int len = 1; len <= a.length; len++) {
            set.add(Frame.wrap(a, 0, len));
            trie.add(Frame.wrap(a, 0, len), pipe);
        }
        assertThat(set.topics()).hasSize(a.length);
        assertThat(set.checkShape()).isNull();
        assertThat(trie.match(Frame.wrap(a), p -> { })).isEqualTo(1);
        List<Boolean> last = new ArrayList<>();
        trie.removePipe(pipe, (topic, l) -> last.add(l));
        assertThat(last).hasSize(a.length).containsOnly(true);
        assertThat(trie.nodeCount()).isZero();
        for (int len = a.length - 1; len >= 1; len -= 2) { // the odd lengths go
            set.remove(Frame.wrap(a, 0, len));
        }
        assertThat(set.size()).isEqualTo(a.length / 2);
        assertThat(set.matches(Frame.wrap(a, 0, 1))).isFalse();
        assertThat(set.matches(Frame.wrap(a, 0, 2))).isTrue();
        assertThat(set.checkShape()).isNull();
    }

    private static boolean heldByOthers(Map<Integer, Set<String>> model, Integer pipe, String topic) {
        for (Map.Entry<Integer, Set<String>> e : model.entrySet()) {
            if (e.getKey() != pipe && e.getValue().contains(topic)) {
                return true;
            }
        }
        return false;
    }
}
