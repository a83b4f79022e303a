package io.rzmq.pekko.internal.socket;

import io.rzmq.pekko.testing.TcpTransportTest;
import io.rzmq.pekko.api.ZSocket;
import io.rzmq.testkit.Msgs;
import io.rzmq.testkit.PyPeer;
import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;
import org.junit.jupiter.api.Test;
import org.zeromq.ZMQ;
import org.zeromq.ZMsg;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A load-balancing broker of ours (ROUTER front, ROUTER back, the classic "least recently used worker"
 * loop) serving libzmq REQ clients with JeroMQ REQ workers, so every hop carries a two-level envelope
 * between three implementations. The workers bind and the broker's backend connects to them (JeroMQ's
 * connecting side is unreliable, see RequestReplyInteropTest).
 */
@TcpTransportTest
class BrokerInteropTest extends PatternTestSupport {
    private static final int CLIENTS = 2;
    private static final int WORKERS = 2;
    private static final int REQUESTS = 6;

    @Test
    void ourBrokerServesLibzmqClientsWithJeromqWorkers() throws Exception {
        assumeTrue(PyPeer.available(), "python3 with pyzmq is not installed");
        AtomicBoolean stop = new AtomicBoolean();
        List<PyPeer> clients = new ArrayList<>();
        List<CompletableFuture<Void>> threads = new ArrayList<>();
        org.zeromq.ZContext jeromq = new org.zeromq.ZContext();
        try {
            ZSocket frontend = socket(SocketType.ROUTER);
            ZSocket backend = socket(SocketType.ROUTER);
            String front = bind(frontend, Via.TCP);
            for (int w = 0; w < WORKERS; w++) {
                ZMQ.Socket worker = jeromq.createSocket(org.zeromq.SocketType.REQ);
                worker.setReceiveTimeOut(100);
                worker.setLinger(0);
                int port = worker.bindToRandomPort("tcp://127.0.0.1");
                result(backend.connect("tcp://127.0.0.1:" + port));
                String name = "worker-" + w;
                threads.add(CompletableFuture.runAsync(() -> work(worker, name, stop)));
            }
            threads.add(CompletableFuture.runAsync(() -> broker(frontend, backend, stop)));
            for (int c = 0; c < CLIENTS; c++) {
                clients.add(PyPeer.start(Map.of(), "req", "connect", front, String.valueOf(REQUESTS)));
            }
            List<String> servedBy = new ArrayList<>();
            for (PyPeer client : clients) {
                for (int i = 0; i < REQUESTS; i++) {
                    Msg reply = Msgs.parse(client.awaitLine("MSG "));
                    assertThat(reply.frameCount()).isEqualTo(Msgs.generated(i).frameCount() + 1);
                    assertThat(Msg.ofFrames(reply.frames().subList(0, reply.frameCount() - 1)))
                        .isEqualTo(Msgs.generated(i));
                    servedBy.add(reply.last().asString());
                }
                client.awaitLine("DONE");
            }
            assertThat(servedBy).hasSize(CLIENTS * REQUESTS).allMatch(s -> s.startsWith("worker-"));
            assertThat(servedBy).contains("worker-0", "worker-1");
        } finally {
            stop.set(true);
            for (CompletableFuture<Void> t : threads) {
                t.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            }
            for (PyPeer c : clients) {
                c.kill();
            }
            jeromq.close(); // after the workers have closed their sockets
        }
    }

    /** A JeroMQ REQ worker: says READY, then answers each [client, "", body...] with the body + its name. */
    private static void work(ZMQ.Socket worker, String name, AtomicBoolean stop) {
        try {
            worker.send("READY");
            while (!stop.get()) {
                ZMsg request = ZMsg.recvMsg(worker);
                if (request == null) {
                    continue;
                }
                request.add(name);
                request.send(worker);
            }
        } finally {
            worker.close();
        }
    }

    /** The broker: requests go to the least recently used ready worker, replies back to their client. */
    private static void broker(ZSocket frontend, ZSocket backend, AtomicBoolean stop) {
        ArrayDeque<Frame> ready = new ArrayDeque<>();
        while (!stop.get()) {
            boolean idle = true;
            Msg fromWorker = backend.tryReceive();
            if (fromWorker != null) {
                idle = false;
                // [worker, "", "READY"] or [worker, "", client, "", reply...]
                ready.addLast(fromWorker.first());
                if (fromWorker.frameCount() > 3) {
                    frontend.send(fromWorker.dropFirst(2));
                }
            }
            if (!ready.isEmpty()) {
                Msg request = frontend.tryReceive();
                if (request != null) {
                    idle = false;
                    backend.send(request.prepend(Frame.EMPTY).prepend(ready.pollFirst()));
                }
            }
            if (idle) {
                Thread.yield();
            }
        }
    }
}
