package io.rzmq.samples.soak;

import java.io.File;
import java.lang.management.ManagementFactory;

/** Heap after GC, live threads and open file descriptors of this JVM, measured once the counts settle. */
record Resources(long heapBytes, int threads, int fds) {

    static int openFds() {
        String[] names = new File("/proc/self/fd").list();
        return names == null ? -1 : names.length;
    }

    static int threadCount() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    /**
     * Waits (up to {@code maxWaitMs}) until the thread and fd counts read the same four times in a row
     * 250 ms apart (connections being torn down and pipe reader threads ending settle first), then runs
     * full GCs and reads the heap.
     */
    static Resources settle(long maxWaitMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + maxWaitMs;
        int stable = 0;
        int fds = openFds();
        int threads = threadCount();
        while (stable < 4 && System.currentTimeMillis() < deadline) {
            Thread.sleep(250);
            int f = openFds();
            int t = threadCount();
            stable = f == fds && t == threads ? stable + 1 : 0;
            fds = f;
            threads = t;
        }
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return new Resources(heap, threads, fds);
    }

    String describe() {
        return String.format("heap %.1f MiB, %d threads, %d fds", heapBytes / 1048576.0, threads, fds);
    }
}
