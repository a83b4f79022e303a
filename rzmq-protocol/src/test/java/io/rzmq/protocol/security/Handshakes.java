package io.rzmq.protocol.security;

import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Metadata;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/** Drives two mechanisms against each other in memory, passing command bodies, with optional tampering. */
final class Handshakes {
    private Handshakes() {
    }

    static HandshakeContext ctx(String socketType, String identity) {
        return HandshakeContext.of(Metadata.builder().put(Metadata.SOCKET_TYPE, socketType)
            .put(Metadata.IDENTITY, identity).build());
    }

    static HandshakeContext zapCtx(String socketType, String domain, String address) {
        return new HandshakeContext(Metadata.builder().put(Metadata.SOCKET_TYPE, socketType)
            .put(Metadata.IDENTITY, "srv").build(), true, domain, address);
    }

    /** Every command sent, in order, with the side that sent it. */
    record Sent(boolean fromClient, Frame body) {
    }

    /**
     * Runs until both are READY or one is in ERROR with nothing left to send. {@code zap} answers ZAP
     * requests; {@code tamper} may replace any command in flight (called with the sequence index).
     */
    static List<Sent> run(Mechanism client, Mechanism server, Function<ZapRequest, ZapReply> zap,
                          TamperFn tamper) {
        List<Sent> log = new ArrayList<>();
        for (int round = 0; round < 20; round++) {
            boolean progressed = false;
            progressed |= pump(client, server, true, log, tamper);
            if (server.status() == Mechanism.Status.WAITING_FOR_ZAP) {
                server.zapReply(zap.apply(server.zapRequest()));
                progressed = true;
            }
            progressed |= pump(server, client, false, log, tamper);
            if (client.status() == Mechanism.Status.READY && server.status() == Mechanism.Status.READY) {
                return log;
            }
            if (!progressed) {
                return log;
            }
        }
        throw new AssertionError("handshake did not settle in 20 rounds");
    }

    static List<Sent> run(Mechanism client, Mechanism server) {
        return run(client, server, r -> {
            throw new AssertionError("unexpected ZAP request");
        }, (i, f) -> f);
    }

    interface TamperFn {
        Frame apply(int index, Frame body);
    }

    private static boolean pump(Mechanism from, Mechanism to, boolean fromClient, List<Sent> log, TamperFn tamper) {
        boolean any = false;
        for (Frame cmd = from.nextHandshakeCommand(); cmd != null; cmd = from.nextHandshakeCommand()) {
            Frame sent = tamper.apply(log.size(), cmd);
            log.add(new Sent(fromClient, sent));
            to.processHandshakeCommand(sent);
            any = true;
        }
        return any;
    }

    static Frame flipBit(Frame f, int byteIndex, int bit) {
        byte[] b = f.toByteArray();
        b[byteIndex] ^= (byte) (1 << bit);
        return Frame.wrap(b);
    }

    static UnaryOperator<Frame> identity() {
        return f -> f;
    }
}
