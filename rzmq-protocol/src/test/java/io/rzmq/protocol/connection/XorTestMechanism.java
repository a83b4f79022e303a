package io.rzmq.protocol.connection;

import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Metadata;
import io.rzmq.protocol.ZmtpException;
import io.rzmq.protocol.security.DecodedFrame;
import io.rzmq.protocol.security.HandshakeContext;
import io.rzmq.protocol.security.Mechanism;
import io.rzmq.protocol.security.NullMechanism;
import io.rzmq.protocol.security.ZapReply;
import io.rzmq.protocol.security.ZapRequest;

/**
 * Test-only "encrypting" mechanism: the NULL handshake, then every frame wrapped in a MESSAGE command
 * whose data is a flags byte (bit0 MORE, bit1 COMMAND, as libzmq's CURVE) and the payload XOR 0x5A.
 */
final class XorTestMechanism implements Mechanism {
    static final String NAME = "XORTEST";
    private static final byte[] PREFIX = {7, 'M', 'E', 'S', 'S', 'A', 'G', 'E'};
    private final NullMechanism handshake;
    private final boolean server;
    int encoded;
    int decoded;

    XorTestMechanism(Metadata local, boolean server) {
        this.handshake = new NullMechanism(HandshakeContext.of(local));
        this.server = server;
    }

    @Override public String name() { return NAME; }
    @Override public boolean asServer() { return server; }
    @Override public Frame nextHandshakeCommand() { return handshake.nextHandshakeCommand(); }
    @Override public void processHandshakeCommand(Frame commandBody) { handshake.processHandshakeCommand(commandBody); }
    @Override public Status status() { return handshake.status(); }
    @Override public ZapRequest zapRequest() { return null; }
    @Override public void zapReply(ZapReply reply) { throw new IllegalStateException(); }
    @Override public Metadata peerMetadata() { return handshake.peerMetadata(); }
    @Override public String userId() { return ""; }
    @Override public boolean encrypts() { return true; }

    @Override
    public Frame encode(Frame payload, boolean more, boolean command) {
        encoded++;
        byte[] out = new byte[PREFIX.length + 1 + payload.size()];
        System.arraycopy(PREFIX, 0, out, 0, PREFIX.length);
        out[PREFIX.length] = (byte) ((more ? 1 : 0) | (command ? 2 : 0));
        for (int i = 0; i < payload.size(); i++) {
            out[PREFIX.length + 1 + i] = (byte) (payload.get(i) ^ 0x5A);
        }
        return Frame.wrap(out);
    }

    @Override
    public DecodedFrame decode(Frame body) {
        decoded++;
        if (body.size() < PREFIX.length + 1 || !body.startsWith(Frame.wrap(PREFIX))) {
            throw ZmtpException.protocol("not a MESSAGE command");
        }
        int flags = body.get(PREFIX.length);
        byte[] plain = new byte[body.size() - PREFIX.length - 1];
        for (int i = 0; i < plain.length; i++) {
            plain[i] = (byte) (body.get(PREFIX.length + 1 + i) ^ 0x5A);
        }
        return new DecodedFrame(Frame.wrap(plain), (flags & 1) != 0, (flags & 2) != 0);
    }
}
