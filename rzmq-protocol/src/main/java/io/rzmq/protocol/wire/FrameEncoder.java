package io.rzmq.protocol.wire;

import io.rzmq.protocol.Frame;

import java.util.ArrayList;
import java.util.List;

/**
 * The output batch: encodes frames of many messages into one buffer so that one transport write carries
 * them all. Headers and small payloads are copied into the current block; a payload of at least
 * {@link #COPY_THRESHOLD} bytes is referenced as its own slice instead of copied. {@link #takeOutput()}
 * returns the ordered slices. Blocks are never written again once handed out: new bytes go after the
 * handed-out range, or into a fresh block when the current one is full.
 */
public final class FrameEncoder {
    /** Payloads at least this large are referenced, not copied. */
    public static final int COPY_THRESHOLD = 8 * 1024;
    private static final int BLOCK_SIZE = 64 * 1024;
    /**
     * The first block: room for the greeting and a handshake command. Blocks double from there up to
     * {@link #BLOCK_SIZE}, so a connection that never gets past its handshake keeps 512 bytes, not 64 KiB
     * (issue 12: thousands of half-open connections).
     */
    private static final int FIRST_BLOCK_SIZE = 512;

    private byte[] block = new byte[0];
    private int blockStart;
    private int blockPos;
    private ArrayList<Frame> slices = new ArrayList<>();
    private long pending;

    /** Appends raw bytes (the greeting). */
    public void writeRaw(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, block, blockPos, bytes.length);
        blockPos += bytes.length;
        pending += bytes.length;
    }

    /** Appends a data frame. */
    public void writeFrame(Frame payload, boolean more) {
        writeFrame(more ? FrameDecoder.FLAG_MORE : 0, payload);
    }

    /** Appends a command frame whose payload is a command body (name length, name, data). */
    public void writeCommand(Frame body) {
        writeFrame(FrameDecoder.FLAG_COMMAND, body);
    }

    /** Appends a frame with the given MORE/COMMAND flags; the LONG flag is chosen from the size. */
    public void writeFrame(int flags, Frame payload) {
        int size = payload.size();
        if (size >= COPY_THRESHOLD) {
            ensure(9);
            writeHeader(flags, size);
            reference(payload);
        } else {
            ensure(9 + size);
            writeHeader(flags, size);
            payload.copyTo(block, blockPos);
            blockPos += size;
            pending += size;
        }
    }

    /**
     * Appends a data frame made of one prefix byte followed by {@code payload}: the ZMTP/3.0 subscription
     * message (1 or 0, then the topic), encoded without building the joined payload first.
     */
    public void writePrefixedFrame(int flags, byte prefix, Frame payload) {
        int size = 1 + payload.size();
        boolean copy = payload.size() < COPY_THRESHOLD;
        ensure(10 + (copy ? payload.size() : 0));
        writeHeader(flags, size);
        block[blockPos++] = prefix;
        pending++;
        if (!copy) {
            reference(payload);
        } else {
            payload.copyTo(block, blockPos);
            blockPos += payload.size();
            pending += payload.size();
        }
    }

    /** Writes a frame header; the caller has ensured room for 9 bytes. */
    private void writeHeader(int flags, int size) {
        byte[] b = block;
        int p = blockPos;
        if (size > 255) {
            b[p++] = (byte) (flags | FrameDecoder.FLAG_LONG);
            long s = size;
            for (int shift = 56; shift >= 0; shift -= 8) {
                b[p++] = (byte) (s >>> shift);
            }
        } else {
            b[p++] = (byte) flags;
            b[p++] = (byte) size;
        }
        pending += p - blockPos;
        blockPos = p;
    }

    private void reference(Frame payload) {
        cutSlice();
        slices.add(payload);
        pending += payload.size();
    }

    private void ensure(int n) {
        if (block.length - blockPos < n) {
            cutSlice();
            int next = block.length == 0 ? FIRST_BLOCK_SIZE : Math.min(BLOCK_SIZE, 2 * block.length);
            block = new byte[Math.max(next, n)];
            blockStart = 0;
            blockPos = 0;
        }
    }

    /** Closes the bytes written into the current block since the last cut as one slice. */
    private void cutSlice() {
        if (blockPos > blockStart) {
            slices.add(Frame.wrap(block, blockStart, blockPos - blockStart));
            blockStart = blockPos;
        }
    }

    /** Bytes waiting to be taken. */
    public int pendingBytes() {
        return (int) Math.min(Integer.MAX_VALUE, pending);
    }

    /** Same as {@link #pendingBytes()} without the int cap. */
    public long pendingBytesLong() {
        return pending;
    }

    /** Everything written since the last call, in order; the caller may write the slices as they are. */
    public List<Frame> takeOutput() {
        cutSlice();
        if (slices.isEmpty()) {
            return List.of();
        }
        List<Frame> out = slices;
        slices = new ArrayList<>();
        pending = 0;
        return out;
    }
}
