package io.rzmq.protocol.fuzz;

import io.rzmq.protocol.Frame;
import io.rzmq.protocol.security.ZapCodec;
import io.rzmq.protocol.security.ZapReply;
import io.rzmq.protocol.security.ZapRequest;
import io.rzmq.protocol.wire.Properties;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.rzmq.protocol.fuzz.Invariants.require;

/**
 * The ZAP request/reply codec on arbitrary frames. Input: mode byte (bit 0: reply, else request), then
 * frames, each a length byte and that many bytes.
 *
 * <p>Invariants: only ZmtpException escapes; what decodes re-encodes, and decoding that again gives the
 * same request/reply (decoding is a fixed point after one round); nothing decoded is larger than its input.
 */
class ZapCodecFuzzTest {
    @ProtocolFuzzTest
    void decode(byte[] data) {
        FuzzInput in = new FuzzInput(data);
        boolean reply = in.bool();
        List<Frame> frames = new ArrayList<>();
        while (in.remaining() > 0 && frames.size() < 16) {
            frames.add(Frame.wrap(in.bytes(in.u8())));
        }
        if (reply) {
            ZapReply[] r = new ZapReply[1];
            if (Invariants.protocolOnly(() -> r[0] = ZapCodec.decodeReply(frames)) != null) {
                return;
            }
            Invariants.notAmplified(r[0].metadata(), data.length, "ZAP reply metadata");
            ZapReply again = ZapCodec.decodeReply(ZapCodec.encodeReply(r[0]));
            ZapReply third = ZapCodec.decodeReply(ZapCodec.encodeReply(again));
            require(same(again, third), "ZAP reply is not stable under encode + decode: " + again + " vs " + third);
        } else {
            ZapRequest[] r = new ZapRequest[1];
            if (Invariants.protocolOnly(() -> r[0] = ZapCodec.decodeRequest(frames)) != null) {
                return;
            }
            ZapRequest again = ZapCodec.decodeRequest(ZapCodec.encodeRequest(r[0]));
            ZapRequest third = ZapCodec.decodeRequest(ZapCodec.encodeRequest(again));
            require(same(again, third), "ZAP request is not stable under encode + decode");
            require(again.credentials().size() == r[0].credentials().size(), "credential count changed");
        }
    }

    private static boolean same(ZapReply a, ZapReply b) {
        return Arrays.equals(a.requestId(), b.requestId()) && a.statusCode().equals(b.statusCode())
            && a.statusText().equals(b.statusText()) && a.userId().equals(b.userId())
            && Arrays.equals(Properties.encode(a.metadata()), Properties.encode(b.metadata()));
    }

    private static boolean same(ZapRequest a, ZapRequest b) {
        if (a.credentials().size() != b.credentials().size()) {
            return false;
        }
        for (int i = 0; i < a.credentials().size(); i++) {
            if (!Arrays.equals(a.credentials().get(i), b.credentials().get(i))) {
                return false;
            }
        }
        return Arrays.equals(a.requestId(), b.requestId()) && a.domain().equals(b.domain())
            && a.address().equals(b.address()) && Arrays.equals(a.identity(), b.identity())
            && a.mechanism().equals(b.mechanism());
    }

}
