package io.rzmq.pekko.internal.transport.ipc;

import io.rzmq.pekko.api.Await;
import io.rzmq.pekko.Rzmq;
import io.rzmq.pekko.model.RzmqException;
import io.rzmq.pekko.model.SocketOptions;
import io.rzmq.pekko.api.ZContext;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXServerSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

import static io.rzmq.pekko.api.Await.failure;
import static io.rzmq.pekko.api.Await.primeUntilReceived;
import static io.rzmq.pekko.api.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/** rzmq <-> rzmq over ipc:// through the public socket API: paths, abstract names, wildcards. */
class IpcSocketTest {
    static final ActorTestKit testKit = ActorTestKit.create();

    @TempDir
    Path dir;

    ZContext ctx;

    @BeforeEach
    void newContext() {
        ctx = Rzmq.get(testKit.system()).newContext("ipc");
    }

    @AfterEach
    void closeContext() {
        result(ctx.close(Duration.ZERO));
    }

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    static String abstractEndpoint() {
        return "ipc://@rzmq-test-" + UUID.randomUUID();
    }

    static byte[] megabyte() {
        byte[] big = new byte[1024 * 1024];
        for (int i = 0; i < big.length; i += 512) {
            big[i] = (byte) (i >> 9);
        }
        big[big.length - 1] = 42;
        return big;
    }

    void pushPull(String endpoint) {
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL);
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH);
        assertThat(result(pull.bind(endpoint))).isEqualTo(endpoint);
        result(push.connect(endpoint));

        byte[] big = megabyte();
        Msg multipart = Msg.of("a", "", "ccc");
        result(push.send(multipart));
        result(push.send(Msg.of(new byte[0])));
        result(push.send(Msg.of("head".getBytes(), big)));
        for (int i = 0; i < 1000; i++) {
            push.send(Msg.of("n", Integer.toString(i)));
        }
        assertThat(result(pull.receive())).isEqualTo(multipart);
        Msg empty = result(pull.receive());
        assertThat(empty.frameCount()).isEqualTo(1);
        assertThat(empty.first().size()).isZero();
        Msg large = result(pull.receive());
        assertThat(large.frameCount()).isEqualTo(2);
        assertThat(large.frame(1)).isEqualTo(Frame.wrap(big));
        for (int i = 0; i < 1000; i++) {
            assertThat(result(pull.receive()).frame(1).asString()).isEqualTo(Integer.toString(i));
        }
    }

    @Test
    void pushPullOverAFilesystemPath() {
        String endpoint = "ipc://" + dir.resolve("pp.ipc");
        pushPull(endpoint);
        assertThat(Files.exists(dir.resolve("pp.ipc"), LinkOption.NOFOLLOW_LINKS)).isTrue();
    }

    @Test
    void pushPullOverAnAbstractName() {
        pushPull(abstractEndpoint());
    }

    void pubSub(String endpoint) {
        ZSocket pub = ZSocket.create(ctx, SocketType.PUB);
        ZSocket sub = ZSocket.create(ctx, SocketType.SUB);
        result(pub.bind(endpoint));
        result(sub.connect(endpoint));
        result(sub.subscribe("weather"));
        result(sub.subscribe("sync"));
        primeUntilReceived(pub, sub, Msg.of("sync"));

        byte[] big = megabyte();
        result(pub.send(Msg.of("sports", "goal")));
        result(pub.send(Msg.of("weather", "rain", "tomorrow")));
        result(pub.send(Msg.of("weatherbig".getBytes(), big)));
        result(pub.send(Msg.of("sync", "end")));

        List<Msg> got = new ArrayList<>();
        while (true) {
            Msg m = result(sub.receive());
            if (m.firstString().equals("sync")) {
                if (m.frameCount() == 2) {
                    break;
                }
                continue; // an extra probe
            }
            got.add(m);
        }
        assertThat(got).hasSize(2);
        assertThat(got.get(0)).isEqualTo(Msg.of("weather", "rain", "tomorrow"));
        assertThat(got.get(1).frame(1)).isEqualTo(Frame.wrap(big));
    }

    @Test
    void pubSubOverAFilesystemPath() {
        pubSub("ipc://" + dir.resolve("ps.ipc"));
    }

    @Test
    void pubSubOverAnAbstractName() {
        pubSub(abstractEndpoint());
    }

    @Test
    void aRelativePathIsBoundAsGivenAndWorks() throws Exception {
        String name = "rzmq-rel-" + UUID.randomUUID() + ".ipc";
        Path file = Path.of(name);
        try {
            pushPull("ipc://" + name);
            assertThat(Files.exists(file, LinkOption.NOFOLLOW_LINKS)).as("created in the working directory").isTrue();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void wildcardBindReportsAFreshPathAndClosingTheSocketRemovesIt() {
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL);
        String endpoint = result(pull.bind("ipc://*"));
        assertThat(endpoint).startsWith("ipc://" + System.getProperty("java.io.tmpdir")).doesNotContain("*");
        Path file = Path.of(endpoint.substring("ipc://".length()));
        assertThat(Files.exists(file, LinkOption.NOFOLLOW_LINKS)).isTrue();

        ZSocket push = ZSocket.create(ctx, SocketType.PUSH);
        result(push.connect(endpoint));
        result(push.send(Msg.of("via wildcard")));
        assertThat(result(pull.receive()).firstString()).isEqualTo("via wildcard");

        // Closing completes once the listener stopped, and it removes its file before it stops.
        result(pull.close());
        assertThat(Files.exists(file, LinkOption.NOFOLLOW_LINKS)).as("socket file removed on close").isFalse();
    }

    @Test
    void unbindRemovesTheFileAndFreesThePath() {
        String endpoint = "ipc://" + dir.resolve("ub.ipc");
        ZSocket first = ZSocket.create(ctx, SocketType.PULL);
        result(first.bind(endpoint));
        result(first.unbind(endpoint));
        assertThat(Files.exists(dir.resolve("ub.ipc"), LinkOption.NOFOLLOW_LINKS)).isFalse();

        ZSocket second = ZSocket.create(ctx, SocketType.PULL);
        result(second.bind(endpoint));
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH);
        result(push.connect(endpoint));
        result(push.send(Msg.of("second")));
        assertThat(result(second.receive()).firstString()).isEqualTo("second");
    }

    @Test
    void aStaleSocketFileDoesNotStopABindButALiveListenerDoes() throws Exception {
        Path file = dir.resolve("stale.ipc");
        try (AFUNIXServerSocketChannel crashed = AFUNIXServerSocketChannel.open()) {
            crashed.setDeleteOnClose(false);
            crashed.bind(AFUNIXSocketAddress.of(file.toFile()), 1);
        }
        assertThat(Files.exists(file, LinkOption.NOFOLLOW_LINKS)).isTrue();

        String endpoint = "ipc://" + file;
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL);
        assertThat(result(pull.bind(endpoint))).isEqualTo(endpoint);

        ZSocket other = ZSocket.create(ctx, SocketType.PULL);
        RzmqException e = failure(other.bind(endpoint));
        assertThat(e.code()).isEqualTo(RzmqException.Code.EADDRINUSE);
        assertThat(e.getMessage()).contains(file.toString());

        // The live listener was not disturbed.
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH);
        result(push.connect(endpoint));
        result(push.send(Msg.of("still mine")));
        assertThat(result(pull.receive()).firstString()).isEqualTo("still mine");
    }

    @Test
    void connectBeforeBindQueuesUntilTheListenerAppears() {
        String endpoint = "ipc://" + dir.resolve("later.ipc");
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH);
        result(push.connect(endpoint));
        for (int i = 0; i < 5; i++) {
            result(push.send(Msg.of("early" + i)));
        }
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL);
        result(pull.bind(endpoint));
        for (int i = 0; i < 5; i++) {
            assertThat(result(pull.receive()).firstString()).isEqualTo("early" + i);
        }
    }

    @Test
    void badAddressesAreRejectedClearly() {
        ZSocket s = ZSocket.create(ctx, SocketType.PULL);
        RzmqException tooLong = failure(s.bind("ipc:///tmp/" + "x".repeat(120)));
        assertThat(tooLong.code()).isEqualTo(RzmqException.Code.EINVAL);
        assertThat(tooLong.getMessage()).contains("longer than 107 bytes");
        RzmqException wildcardConnect = failure(s.connect("ipc://*"));
        assertThat(wildcardConnect.code()).isEqualTo(RzmqException.Code.EINVAL);
        RzmqException noDir = failure(s.bind("ipc://" + dir.resolve("missing/x.ipc")));
        assertThat(noDir.getMessage()).contains("does not exist");
    }

    @Test
    void aPushIsHeldBackWhileThePullDoesNotReadAndNothingIsLost() {
        SocketOptions small = ctx.defaultOptions().withSndHwm(10).withRcvHwm(10);
        String endpoint = "ipc://" + dir.resolve("bp.ipc");
        ZSocket pull = ZSocket.create(ctx, SocketType.PULL, small);
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH, small);
        result(pull.bind(endpoint));
        result(push.connect(endpoint));
        // 400 x 64 KiB is far more than the pipes and the kernel's buffers hold while nobody reads.
        byte[] payload = new byte[64 * 1024];
        int n = 400;
        List<CompletionStage<Done>> sends = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            sends.add(push.send(Msg.of(Integer.toString(i).getBytes(), payload)));
        }
        Await.until("the sender is held back", () -> !sends.get(n - 1).toCompletableFuture().isDone()
            && result(push.status()).outbox() > 0);
        for (int i = 0; i < n; i++) {
            Msg m = result(pull.receive());
            assertThat(m.firstString()).isEqualTo(Integer.toString(i));
            assertThat(m.frame(1).size()).isEqualTo(payload.length);
        }
        for (CompletionStage<Done> s : sends) {
            result(s);
        }
    }

    @Test
    void theConnectingSideReconnectsWhenTheListenerComesBack() {
        String endpoint = "ipc://" + dir.resolve("comeback.ipc");
        ZSocket push = ZSocket.create(ctx, SocketType.PUSH);
        ZSocket first = ZSocket.create(ctx, SocketType.PULL);
        result(first.bind(endpoint));
        result(push.connect(endpoint));
        result(push.send(Msg.of("to first")));
        assertThat(result(first.receive()).firstString()).isEqualTo("to first");

        result(first.close());
        // Wait until the pusher noticed: a message written into the dying connection would be lost (as in libzmq).
        Await.until("the pusher saw its peer go", () -> result(push.status()).readyPeers() == 0);
        ZSocket second = ZSocket.create(ctx, SocketType.PULL);
        result(second.bind(endpoint));
        result(push.send(Msg.of("to second")));
        assertThat(result(second.receive()).firstString()).isEqualTo("to second");
    }
}
