package io.rzmq.pekko.internal.transport.loop;

import io.rzmq.pekko.internal.transport.Loop;
import io.rzmq.pekko.internal.transport.nio.IoLoop;

import java.util.concurrent.atomic.AtomicInteger;

/** One {@link IoLoop} of an {@link IoLoops}, with the count of connections placed on it. */
public final class LoopHandle implements Loop {
    private final IoLoop io;
    private final int index;
    private final String dispatcherId;
    private final AtomicInteger connections = new AtomicInteger();

    LoopHandle(IoLoop io, int index, String dispatcherId) {
        this.io = io;
        this.index = index;
        this.dispatcherId = dispatcherId;
    }

    /** The loop itself (selector, shared read buffer). */
    public IoLoop io() {
        return io;
    }

    @Override
    public int index() {
        return index;
    }

    @Override
    public String dispatcherId() {
        return dispatcherId;
    }

    @Override
    public boolean inLoop() {
        return io.inLoop();
    }

    @Override
    public void execute(Runnable task) {
        io.execute(task);
    }

    /** Open connections (and connects in progress) on this loop. */
    public int connections() {
        return connections.get();
    }

    void acquire() {
        connections.incrementAndGet();
    }

    void release() {
        connections.decrementAndGet();
    }

    @Override
    public String toString() {
        return "Loop(" + index + ", " + connections.get() + " connections)";
    }
}
