package io.rzmq.protocol.fuzz;

import io.rzmq.protocol.Msg;
import io.rzmq.protocol.SocketType;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import static io.rzmq.protocol.fuzz.Invariants.require;

/**
 * A real client and server (NULL, PLAIN or CURVE, a DEALER and a ROUTER) handshake in memory while the
 * fuzzer flips, inserts, deletes or overwrites bytes at chosen offsets of one direction's stream, then
 * exchange one message each way. Input: mechanism, flags (bit 0: mutate server-to-client instead of
 * client-to-server; bit 1: the server has a ZAP handler, which admits), mutation count (0-8), then per
 * mutation a 2-byte stream offset, an operation and a byte.
 *
 * <p>Invariants: those of {@link Peers.Endpoint} on both sides; without mutations both sides complete and
 * the messages arrive intact (the harness is honest); with mutations either side may fail, but only with
 * a ZmtpException, and an exchange settles within a bounded number of rounds.
 */
class HandshakeMutationFuzzTest {
    record Mutation(int offset, int op, int value) {
    }

    @ProtocolFuzzTest
    void mutate(byte[] data) {
        FuzzInput in = new FuzzInput(data);
        int mech = in.u8() % 3;
        int flags = in.u8();
        boolean mutateServerToClient = (flags & 1) != 0;
        boolean zap = (flags & 2) != 0;
        int count = in.u8() % 9;
        List<Mutation> mutations = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            mutations.add(new Mutation(in.u16(), in.u8() % 4, in.u8()));
        }
        Peers.Side clientSide = switch (mech) {
            case 0 -> Peers.Side.NULL;
            case 1 -> Peers.Side.PLAIN_CLIENT;
            default -> Peers.Side.CURVE_CLIENT;
        };
        // PLAIN needs a ZAP handler to admit anyone.
        boolean serverZap = zap || clientSide == Peers.Side.PLAIN_CLIENT;
        Peers.Endpoint client = new Peers.Endpoint(SocketType.DEALER, 1000,
            Peers.mechanism(clientSide, SocketType.DEALER, false, Peers.PEER_SEED));
        Peers.Endpoint server = new Peers.Endpoint(SocketType.ROUTER, 1000,
            Peers.mechanism(clientSide.counterpart(), SocketType.ROUTER, serverZap, Peers.UNDER_TEST_SEED));
        long[] offsets = new long[2];

        exchange(client, server, mutations, mutateServerToClient, offsets);
        if (mutations.isEmpty()) {
            require(client.conn.isReady() && server.conn.isReady(), "an untouched " + clientSide.mechanism
                + " handshake did not complete: " + client.failure + " / " + server.failure);
        }
        if (client.conn.isReady() && server.conn.isReady()) {
            client.conn.send(Msg.of("ping"));
            server.conn.send(Msg.of("id", "pong"));
            exchange(client, server, mutations, mutateServerToClient, offsets);
            if (mutations.isEmpty()) {
                require(server.messages.size() == 1 && server.messages.get(0).last().asString().equals("ping"),
                    "client message lost: " + server.messages);
                require(client.messages.size() == 1 && client.messages.get(0).first().asString().equals("id"),
                    "server message lost: " + client.messages);
            }
        }
    }

    /** Moves bytes both ways until neither side has anything to send (bounded: a hang is a finding). */
    private static void exchange(Peers.Endpoint client, Peers.Endpoint server, List<Mutation> mutations,
                                 boolean mutateServerToClient, long[] offsets) {
        for (int round = 0; round < 100; round++) {
            byte[] c2s = client.output();
            byte[] s2c = server.output();
            if (c2s.length == 0 && s2c.length == 0) {
                return;
            }
            if (c2s.length > 0) {
                byte[] sent = mutateServerToClient ? c2s : apply(c2s, offsets[0], mutations);
                offsets[0] += c2s.length;
                if (sent.length > 0) {
                    server.feed(sent);
                }
            }
            if (s2c.length > 0) {
                byte[] sent = mutateServerToClient ? apply(s2c, offsets[1], mutations) : s2c;
                offsets[1] += s2c.length;
                if (sent.length > 0) {
                    client.feed(sent);
                }
            }
        }
        throw new AssertionError("client and server still exchanging bytes after 100 rounds");
    }

    /** The chunk at stream offset {@code base} with the mutations that fall inside it applied. */
    static byte[] apply(byte[] chunk, long base, List<Mutation> mutations) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(chunk.length + mutations.size());
        for (int i = 0; i < chunk.length; i++) {
            long pos = base + i;
            int b = chunk[i] & 0xFF;
            boolean keep = true;
            for (Mutation m : mutations) {
                if (m.offset() != pos) {
                    continue;
                }
                switch (m.op()) {
                    case 0 -> b ^= 1 << (m.value() & 7);
                    case 1 -> out.write(m.value());
                    case 2 -> keep = false;
                    default -> b = m.value();
                }
            }
            if (keep) {
                out.write(b);
            }
        }
        return out.toByteArray();
    }
}
