package io.rzmq.benchmarks.subscription;

import io.rzmq.pekko.internal.socket.PipeTrie;
import io.rzmq.pekko.internal.socket.SubscriptionSet;
import io.rzmq.protocol.Frame;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Issue 12 defect 2: the cost of matching one message against 100 k subscriptions of every length from
 * 1 to 256 bytes, for the pre-issue-12 set ({@link LegacySubscriptionSet}), the trie-backed
 * {@link SubscriptionSet} (SUB/XSUB's local filter) and {@link PipeTrie} (PUB/XPUB's fan-out, all
 * subscriptions held by one pipe, as when one SUB sends them all).
 *
 * <p>Every subscription leaves one random 1 KiB base string at a random point inside its length, so no
 * subscription is a prefix of the base and the tree has a branch at every depth up to 256 along it: the
 * {@code miss} message (the base cut to {@code size}) walks as deep as any message can and matches nothing;
 * for {@code hit} one more subscription (of the message's size, at most 256 bytes) leaves the base at
 * its last byte and the message starts with it, so it matches only at the deepest level. Both are the legacy set's worst case too: it probes every distinct
 * length up to the message size.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class SubscriptionMatchBenchmark {
    @Param({"64", "1024"})
    public int size;

    @Param({"miss", "hit"})
    public String message;

    @Param({"100000"})
    public int subscriptions;

    private LegacySubscriptionSet legacy;
    private SubscriptionSet trie;
    private PipeTrie<Object> pipes;
    private Frame data;
    private final Consumer<Object> sink = p -> { };

    @Setup
    public void setUp() {
        Random rnd = new Random(42);
        byte[] base = new byte[1024];
        rnd.nextBytes(base);
        legacy = new LegacySubscriptionSet();
        trie = new SubscriptionSet();
        pipes = new PipeTrie<>();
        Object pipe = new Object();
        for (int i = 0; i < subscriptions; i++) {
            int len = 1 + i % 256;
            byte[] t = new byte[len];
            int leave = rnd.nextInt(len);
            System.arraycopy(base, 0, t, 0, leave);
            t[leave] = (byte) (base[leave] ^ (1 + rnd.nextInt(255)));
            for (int k = leave + 1; k < len; k++) {
                t[k] = (byte) rnd.nextInt();
            }
            add(Frame.wrap(t), pipe);
        }
        byte[] m = Arrays.copyOf(base, size);
        if (message.equals("hit")) {
            // one more subscription, as long as the message allows (at most 256), leaving the base at its last byte
            int len = Math.min(size, 256);
            m[len - 1] ^= 1;
            add(Frame.wrap(Arrays.copyOf(m, len)), pipe);
        }
        data = Frame.wrap(m);
        boolean expected = message.equals("hit");
        if (legacy.matches(data) != expected || trie.matches(data) != expected
            || (pipes.match(data, sink) == 1) != expected) {
            throw new IllegalStateException("the three sets disagree on the message");
        }
    }

    private void add(Frame t, Object pipe) {
        legacy.add(t);
        trie.add(t);
        pipes.add(t, pipe);
    }

    @Benchmark
    public boolean legacySet() {
        return legacy.matches(data);
    }

    @Benchmark
    public boolean trieSet() {
        return trie.matches(data);
    }

    @Benchmark
    public int pipeTrie() {
        return pipes.match(data, sink);
    }
}
