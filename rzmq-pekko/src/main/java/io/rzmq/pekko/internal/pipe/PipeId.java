package io.rzmq.pekko.internal.pipe;

import java.util.concurrent.atomic.AtomicLong;

/** Names one attached pipe pair of a socket, unique in the JVM. */
public record PipeId(long value) {
    private static final AtomicLong NEXT = new AtomicLong();

    public static PipeId next() {
        return new PipeId(NEXT.incrementAndGet());
    }
}
