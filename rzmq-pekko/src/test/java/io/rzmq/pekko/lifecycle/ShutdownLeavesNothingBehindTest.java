package io.rzmq.pekko.lifecycle;

import io.rzmq.pekko.Rzmq;
import io.rzmq.pekko.api.ZContext;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.pekko.testing.TcpTransportTest;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import io.rzmq.testkit.Awaits;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import static io.rzmq.pekko.api.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What a context and an actor system leave behind, counted from the outside: the open descriptors of this
 * process ({@code /proc/self/fd}: sockets, pipes and anon inodes such as epoll and eventfd) and its live
 * threads. Bound and connected sockets over tcp and ipc, with a message through them, then:
 * {@code ZContext.close} gives back every descriptor its sockets took (the I/O loops belong to the actor
 * system and stay), and actor-system shutdown, with a context still open, gives back every descriptor and
 * thread the system took. Runs on both TCP modes (tagged).
 */
@TcpTransportTest
class ShutdownLeavesNothingBehindTest {
    static final Duration DEADLINE = Duration.ofSeconds(20);
    /** Threads that come and go with the JVM or other libraries, not with rzmq or its actor system. */
    static final Pattern FOREIGN_THREADS = Pattern.compile(
        "process reaper.*|ForkJoinPool\\.commonPool.*|Attach Listener|Common-Cleaner|pypeer-.*|surefire.*|"
            + "Reference Handler|Finalizer|Signal Dispatcher|Notification Thread|.*JIT.*|C[12] CompilerThread.*");
    static final Path FDS = Path.of("/proc/self/fd");

    @ParameterizedTest
    @ValueSource(strings = {"tcp://127.0.0.1:*", "ipc://*"})
    void contextCloseAndSystemShutdownLeaveNoDescriptorAndNoThreadBehind(String bindTo) {
        assumeTrue(Files.isDirectory(FDS), "needs /proc (Linux)");
        // A whole cycle first, so that what the JVM opens once for good (jars, JIT threads) is open before counting.
        ActorTestKit warm = ActorTestKit.create("leak-warm-up");
        traffic(Rzmq.get(warm.system()).newContext("warm-up"), bindTo);
        warm.shutdownTestKit();

        Map<String, Integer> noSystem = descriptors();
        Set<Thread> threadsBefore = new HashSet<>(Thread.getAllStackTraces().keySet());
        ActorTestKit kit = ActorTestKit.create("leak-test");
        try {
            // The first context starts what belongs to the actor system (I/O loops, selectors): not counted.
            ZContext first = Rzmq.get(kit.system()).newContext("first");
            traffic(first, bindTo);
            result(first.close(Duration.ZERO));
            // Sockets are never the actor system's own: all of the first context's are gone once it closed.
            awaitNoMoreThan(Map.of("socket", noSystem.getOrDefault("socket", 0)), "after the first ZContext.close");
            Map<String, Integer> systemUp = descriptors();

            ZContext second = Rzmq.get(kit.system()).newContext("second");
            traffic(second, bindTo);
            result(second.close(Duration.ZERO));
            awaitNoMoreThan(systemUp, "after ZContext.close");

            // A context left open: the actor system's shutdown closes it with everything under it.
            traffic(Rzmq.get(kit.system()).newContext("left-open"), bindTo);
        } finally {
            kit.shutdownTestKit();
        }
        awaitNoMoreThan(noSystem, "after actor-system shutdown");
        Awaits.until("no thread of the actor system or rzmq left", () -> leftThreads(threadsBefore).isEmpty(),
            DEADLINE);
    }

    /** A PULL that binds and a PUSH that connects to it, and one message through them; left open. */
    private static void traffic(ZContext ctx, String bindTo) {
        SocketOptions opts = SocketOptions.defaults().withLinger(Duration.ZERO);
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL, opts);
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH, opts);
        String endpoint = result(pull.bind(bindTo));
        result(push.connect(endpoint));
        result(push.send(Msg.of("through")));
        assertThat(result(pull.receive(DEADLINE)).firstString()).isEqualTo("through");
    }

    private static void awaitNoMoreThan(Map<String, Integer> before, String when) {
        long end = System.nanoTime() + DEADLINE.toNanos();
        Map<String, Integer> now = descriptors();
        while (exceeds(now, before)) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("descriptors left " + when + ": before " + before + ", now " + now);
            }
            Thread.yield();
            now = descriptors();
        }
    }

    /** Whether {@code now} holds more of a kind than {@code before}; a kind {@code before} does not name is 0. */
    private static boolean exceeds(Map<String, Integer> now, Map<String, Integer> before) {
        if (before.size() == 1) { // one kind only
            Map.Entry<String, Integer> only = before.entrySet().iterator().next();
            return now.getOrDefault(only.getKey(), 0) > only.getValue();
        }
        return now.entrySet().stream().anyMatch(e -> e.getValue() > before.getOrDefault(e.getKey(), 0));
    }

    /** Open descriptors of this process by kind: "socket", "pipe", "anon_inode:[eventpoll]", ... */
    static Map<String, Integer> descriptors() {
        Map<String, Integer> kinds = new TreeMap<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(FDS)) {
            for (Path fd : fds) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException gone) {
                    continue; // closed meanwhile (or the directory stream's own descriptor)
                }
                String kind = target.startsWith("socket:") ? "socket"
                    : target.startsWith("pipe:") ? "pipe"
                    : target.startsWith("anon_inode:") ? target
                    : null; // files: jars and logs the JVM keeps, not ours to count
                if (kind != null) {
                    kinds.merge(kind, 1, Integer::sum);
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot list " + FDS, e);
        }
        return kinds;
    }

    private static List<String> leftThreads(Set<Thread> before) {
        List<String> left = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && !before.contains(t) && !FOREIGN_THREADS.matcher(t.getName()).matches()) {
                left.add(t.getName());
            }
        }
        return left;
    }
}
