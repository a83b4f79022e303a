package io.rzmq.samples.soak;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The soak's sequence checker flags what it must (and only that): it is what makes the soak's assertions real. */
class LedgerTest {

    @Test
    void strictStreamsMustBeConsecutiveFromZero() {
        Violations v = new Violations();
        Ledger l = new Ledger("t", Ledger.Mode.STRICT, v);
        l.record("a", "0", 0);
        l.record("a", "0", 1);
        l.record("a", "1", 0); // a new incarnation starts again at 0
        l.record("b", "0", 0);
        assertThat(v.count()).isZero();

        l.record("a", "0", 3); // gap between live peers
        l.record("a", "0", 3); // duplicate
        l.record("a", "0", 2); // reordered
        l.record("c", "0", 5); // lost head
        assertThat(v.count()).isEqualTo(4);
        assertThat(v.first()).anyMatch(s -> s.contains("jumped from 1 to 3")).anyMatch(s -> s.contains("duplicate or reordered"))
            .anyMatch(s -> s.contains("began at seq 5"));
        assertThat(l.count("a", "0")).isEqualTo(5);
        assertThat(l.perSender()).containsEntry("a", 6L).containsEntry("b", 1L);
    }

    @Test
    void monotonicStreamsMayDropButNotReorder() {
        Violations v = new Violations();
        Ledger l = new Ledger("t", Ledger.Mode.MONOTONIC, v);
        l.record("pub", "0", 7);
        l.record("pub", "0", 10);
        assertThat(v.count()).isZero();
        assertThat(l.dropped()).isEqualTo(2);
        l.record("pub", "0", 9);
        assertThat(v.count()).isEqualTo(1);
    }

    @Test
    void garbageKindsAreNotValidGreetings() {
        byte[] random = Garbage.bytes(Garbage.Kind.RANDOM);
        assertThat(random[0]).isNotEqualTo((byte) 0xFF);
        assertThat(Garbage.greeting("NULL")).hasSize(64);
        assertThat(Garbage.bytes(Garbage.Kind.BAD_VERSION)[10]).isEqualTo((byte) 9);
        assertThat(Garbage.ready("PUSH")).startsWith(0x04, 1 + 5 + 1 + 11 + 4 + 4, 5, 'R');
    }
}
