package io.rzmq.protocol.fuzz;

import io.rzmq.protocol.Frame;
import io.rzmq.protocol.ZmtpException;
import io.rzmq.protocol.wire.FrameDecoder;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import static io.rzmq.protocol.fuzz.Invariants.require;

/**
 * The frame decoder on arbitrary bytes cut into arbitrary chunks. Input: limit selector, flags (bit 0:
 * wrapped, as after a CURVE handshake), chunk seed, then the frame bytes.
 *
 * <p>Invariants: only ZmtpException escapes; every frame is within the limits (a data message's frames
 * total at most MAXMSGSIZE, a command or wrapped frame at most MAXMSGSIZE + COMMAND_OVERHEAD) and no
 * larger than the input; a command never has MORE; and the chunking changes nothing: the same frames and
 * the same error come out whether the bytes arrive at once or piece by piece, as arrays or through one
 * reused buffer (the v2 loop's shared read buffer, scribbled over after every chunk: a frame that still
 * referred to it would change), with or without reading large bodies straight into their own arrays.
 */
class FrameDecoderFuzzTest {
    static final long[] LIMITS = {-1, 0, 1, 16, 255, 256, 1000, 65536};

    record Decoded(List<String> frames, ZmtpException.Kind error) {
    }

    @ProtocolFuzzTest
    void decode(byte[] data) {
        FuzzInput in = new FuzzInput(data);
        long max = LIMITS[in.u8() % LIMITS.length];
        boolean wrapped = in.bool();
        int seed = in.u8();
        byte[] stream = in.rest();

        Decoded whole = run(stream, new int[] {stream.length}, max, wrapped);
        int[] chunks = FuzzInput.chunks(stream.length, seed);
        Decoded cut = run(stream, chunks, max, wrapped);
        require(whole.equals(cut), "chunking changed the result: at once " + whole + ", in chunks " + cut);
        Decoded buffered = runBuffered(stream, chunks, max, wrapped, false);
        require(whole.equals(buffered), "buffer input changed the result: arrays " + whole + ", buffer " + buffered);
        Decoded direct = runBuffered(stream, chunks, max, wrapped, true);
        require(whole.equals(direct), "direct body reads changed the result: arrays " + whole + ", direct " + direct);
    }

    /**
     * The same through one reused direct buffer; with {@code directBodies}, whenever the decoder offers a
     * body destination the next chunk goes straight into it (as far as it fits) instead.
     */
    static Decoded runBuffered(byte[] stream, int[] chunks, long max, boolean wrapped, boolean directBodies) {
        FrameDecoder d = new FrameDecoder(max);
        d.setWrapped(wrapped);
        ByteBuffer shared = ByteBuffer.allocateDirect(Math.max(1, stream.length));
        List<String> prefixes = new ArrayList<>();
        List<Frame> kept = new ArrayList<>();
        long[] messageBytes = {0};
        long[] fed = {0};
        ZmtpException error = Invariants.protocolOnly(() -> {
            int off = 0;
            for (int len : chunks) {
                int left = len;
                while (left > 0) {
                    ByteBuffer dst = directBodies ? d.bodyDestination() : null;
                    if (dst != null) {
                        int n = Math.min(left, dst.remaining());
                        dst.put(stream, off, n);
                        off += n;
                        left -= n;
                        fed[0] += n;
                        d.bodyWritten(n);
                    } else {
                        shared.clear();
                        shared.put(stream, off, left).flip();
                        off += left;
                        fed[0] += left;
                        left = 0;
                        d.setInput(shared);
                    }
                    while (d.next()) {
                        check(d.frame(), d.more(), d.command(), max, wrapped, messageBytes, stream.length);
                        prefixes.add((d.command() ? "C" : "D") + (d.more() ? "+" : "") + d.frame().size() + ":");
                        kept.add(d.frame());
                    }
                    require(d.remaining() == 0, "next() returned false with " + d.remaining() + " bytes left");
                    BoundsAssertions.frameDecoder(d, fed[0], max);
                    // Scribble over what this read put there (the loop reuses its buffer).
                    int used = shared.limit();
                    shared.clear();
                    for (int i = 0; i < used; i++) {
                        shared.put(i, (byte) 0x5A);
                    }
                }
            }
        });
        // Hashed only now, after the buffer was scribbled over: a frame that referred to it would differ.
        List<String> frames = new ArrayList<>();
        for (int i = 0; i < kept.size(); i++) {
            frames.add(prefixes.get(i) + Arrays.hashCode(kept.get(i).toByteArray()));
        }
        return new Decoded(frames, error == null ? null : error.kind());
    }

    static Decoded run(byte[] stream, int[] chunks, long max, boolean wrapped) {
        FrameDecoder d = new FrameDecoder(max);
        d.setWrapped(wrapped);
        List<String> frames = new ArrayList<>();
        long[] messageBytes = {0};
        long[] fed = {0};
        ZmtpException error = Invariants.protocolOnly(() -> {
            int off = 0;
            for (int len : chunks) {
                // A fresh array per chunk: the decoder may keep slices of it.
                byte[] chunk = Arrays.copyOfRange(stream, off, off + len);
                off += len;
                fed[0] += len;
                d.setInput(chunk, 0, len);
                while (d.next()) {
                    check(d.frame(), d.more(), d.command(), max, wrapped, messageBytes, stream.length);
                    frames.add((d.command() ? "C" : "D") + (d.more() ? "+" : "") + d.frame().size() + ":"
                        + Arrays.hashCode(d.frame().toByteArray()));
                }
                require(d.remaining() == 0, "next() returned false with " + d.remaining() + " bytes left");
                BoundsAssertions.frameDecoder(d, fed[0], max);
            }
        });
        return new Decoded(frames, error == null ? null : error.kind());
    }

    private static void check(Frame f, boolean more, boolean command, long max, boolean wrapped,
                              long[] messageBytes, int inputLength) {
        Objects.requireNonNull(f, "frame");
        Invariants.notAmplified(f, inputLength, "frame");
        require(!(command && more), "a command frame with MORE came out of the decoder");
        if (max < 0) {
            return;
        }
        if (command || wrapped) {
            require(f.size() <= max + FrameDecoder.COMMAND_OVERHEAD,
                "command frame of " + f.size() + " bytes passed MAXMSGSIZE " + max);
        } else {
            messageBytes[0] += f.size();
            require(messageBytes[0] <= max, "message of " + messageBytes[0] + " bytes passed MAXMSGSIZE " + max);
            if (!more) {
                messageBytes[0] = 0;
            }
        }
    }
}
