package io.rzmq.samples.soak;

import java.util.ArrayList;
import java.util.List;

/** Every broken assertion of a soak run: counted, the first ones kept with their text, printed as they happen. */
final class Violations {
    private static final int KEEP = 50;
    private final List<String> first = new ArrayList<>();
    private long count;

    synchronized void add(String what) {
        count++;
        if (first.size() < KEEP) {
            first.add(what);
            System.err.println("SOAK VIOLATION: " + what);
        }
    }

    synchronized long count() {
        return count;
    }

    synchronized List<String> first() {
        return List.copyOf(first);
    }
}
