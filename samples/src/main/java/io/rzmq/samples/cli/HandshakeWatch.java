package io.rzmq.samples.cli;

import io.rzmq.pekko.api.ZSocket;
import io.rzmq.pekko.model.MonitorEvent;
import io.rzmq.pekko.model.MonitorEventKind;
import io.rzmq.pekko.stream.ZmqMonitor;
import io.rzmq.pekko.stream.ZmqStreams;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;

import java.io.PrintWriter;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Watches a socket's handshakes through its monitor (HANDSHAKE_FAILED_* events), so that the {@code zmq} tool
 * can say why nothing happened: the first failure is printed when it happens (a client retries on its
 * reconnect interval, so later ones are only counted), and {@link #explanation()} names it when the tool
 * gives up.
 */
final class HandshakeWatch {
    private final AtomicReference<MonitorEvent> first = new AtomicReference<>();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicInteger succeeded = new AtomicInteger();

    private HandshakeWatch() {
    }

    static HandshakeWatch start(ActorSystem<?> system, ZSocket socket, PrintWriter err, long deadline)
        throws TimeoutException, InterruptedException {
        HandshakeWatch w = new HandshakeWatch();
        ZmqMonitor monitor = ZmqStreams.monitor(socket)
            .toMat(Sink.foreach(e -> w.on(e, err)), Keep.left())
            .run(system);
        CliRuntime.await(monitor.started(), deadline);
        return w;
    }

    private void on(MonitorEvent e, PrintWriter err) {
        if (e.kind() == MonitorEventKind.HANDSHAKE_SUCCEEDED) {
            succeeded.incrementAndGet();
        } else if (e.kind().isHandshakeFailure()) {
            failures.incrementAndGet();
            if (first.compareAndSet(null, e)) {
                err.println("zmq: " + describe(e));
                err.flush();
            }
        }
    }

    /** Appended to "timed out": what the handshakes said, or nothing when none failed. */
    String explanation() {
        MonitorEvent e = first.get();
        if (e == null) {
            return "";
        }
        int n = failures.get();
        return "; " + n + (n == 1 ? " handshake" : " handshakes") + " failed, the first: " + describe(e);
    }

    static String describe(MonitorEvent e) {
        String peer = e.peer().map(p -> " with " + p).orElse(e.endpoint().isEmpty() ? "" : " on " + e.endpoint());
        String why = switch (e.kind()) {
            case HANDSHAKE_FAILED_AUTH -> "the peer's authenticator refused it (ZAP status " + e.value() + ")";
            case HANDSHAKE_FAILED_PROTOCOL -> e.value() == MonitorEventKind.PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC
                ? "a CURVE box did not open: the client's --curve-serverkey is not this server's public key, "
                    + "or the keys do not match"
                : "protocol error";
            default -> "the peer closed the connection during the handshake (a CURVE server given the "
                + "wrong --curve-serverkey does this; so do a security mechanism or socket type it does not accept)";
        };
        return "handshake failed" + peer + ": " + e.kind() + (e.detail().isEmpty() ? "" : " (" + e.detail() + ")")
            + ": " + why;
    }
}
