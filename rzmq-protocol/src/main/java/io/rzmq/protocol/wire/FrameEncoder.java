package io.rzmq.protocol.wire;

import io.rzmq.protocol.Frame;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The output batch: encodes frames of many messages so that one transport write carries them all.
 * Headers and small payloads are copied into the current block; a payload of at least
 * {@link #COPY_THRESHOLD} bytes is referenced as its own segment instead of copied. The output is an ordered
 * queue of segments (block ranges and referenced payloads), taken one of two ways:
 * <ul>
 *   <li>{@link #gather(ByteBuffer[], int)} + {@link #written(long)} (the v2 engine's gather write): the
 *   queue as buffers in the caller's reusable array, then how many bytes the kernel took. Nothing is
 *   allocated per flush in steady state: block ranges go out through buffer views kept per block, the
 *   queue is a ring of reused slots, and a block whose bytes were all written is written again from its
 *   start (a second full block is kept as a spare while the first is in flight). A referenced payload costs
 *   one {@code ByteBuffer.wrap} for its whole life in the queue.</li>
 *   <li>{@link #takeOutput()}: the queue as {@link Frame} slices the caller keeps; blocks handed out that
 *   way are never written again (new bytes go after the handed-out range, or into a fresh block).</li>
 * </ul>
 * Use one way per encoder. Not thread-safe.
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
    private static final int FIRST_QUEUE = 16;

    /** A coalescing block and what refers to it. */
    private static final class Block {
        final byte[] bytes;
        /** Queued segments in this block not written yet. */
        int live;
        /** A {@link #takeOutput()} frame refers to it: never written again. */
        boolean handedOut;
        /** Reused buffer views over {@link #bytes}, one per segment of one gather. */
        ByteBuffer[] views = new ByteBuffer[2];
        int viewsUsed;

        Block(int size) {
            bytes = new byte[size];
        }

        ByteBuffer nextView() {
            if (viewsUsed == views.length) {
                views = Arrays.copyOf(views, 2 * views.length);
            }
            ByteBuffer v = views[viewsUsed];
            if (v == null) {
                v = views[viewsUsed] = ByteBuffer.wrap(bytes);
            }
            viewsUsed++;
            return v;
        }
    }

    private Block block;
    /** A full-size block whose bytes were all written, ready to take over from {@link #block}. */
    private Block spare;
    private int blockStart;
    private int blockPos;

    // The segment queue: a ring of parallel slots.
    private byte[][] segArray = new byte[FIRST_QUEUE][];
    private int[] segOff = new int[FIRST_QUEUE];
    private int[] segLen = new int[FIRST_QUEUE];
    private Block[] segBlock = new Block[FIRST_QUEUE];
    /** For referenced payloads: a buffer over the payload's array, made at the first gather. */
    private ByteBuffer[] segBuf = new ByteBuffer[FIRST_QUEUE];
    private int segHead;
    private int segCount;
    /** Bytes of the head segment already written. */
    private int headWritten;
    private long pending;

    /** Appends raw bytes (the greeting). */
    public void writeRaw(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, block.bytes, blockPos, bytes.length);
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
            payload.copyTo(block.bytes, blockPos);
            blockPos += size;
            pending += size;
        }
    }

    /**
     * Appends the header of a frame of {@code size} bytes (below {@link #COPY_THRESHOLD}) and reserves its
     * payload in the current block, for a caller that produces the payload in place (a CURVE box): write
     * exactly {@code size} bytes into {@link #reservedArray()} from the returned offset before the next call.
     */
    public int reserveFrame(int flags, int size) {
        if (size >= COPY_THRESHOLD || size < 0) {
            throw new IllegalArgumentException("reserve frames below " + COPY_THRESHOLD + " bytes, not " + size);
        }
        ensure(9 + size);
        writeHeader(flags, size);
        int at = blockPos;
        blockPos += size;
        pending += size;
        return at;
    }

    /** The array of the last {@link #reserveFrame} call. */
    public byte[] reservedArray() {
        return block.bytes;
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
        block.bytes[blockPos++] = prefix;
        pending++;
        if (!copy) {
            reference(payload);
        } else {
            payload.copyTo(block.bytes, blockPos);
            blockPos += payload.size();
            pending += payload.size();
        }
    }

    /** Writes a frame header; the caller has ensured room for 9 bytes. */
    private void writeHeader(int flags, int size) {
        byte[] b = block.bytes;
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
        addSegment(payload.unsafeArray(), payload.offset(), payload.size(), null);
        pending += payload.size();
    }

    private void ensure(int n) {
        if (block != null && block.bytes.length - blockPos >= n) {
            return;
        }
        cutSlice();
        int next = block == null ? FIRST_BLOCK_SIZE : Math.min(BLOCK_SIZE, 2 * block.bytes.length);
        int want = Math.max(next, n);
        Block old = block;
        if (spare != null && spare.live == 0 && spare.bytes.length >= want) {
            block = spare;
            spare = null;
        } else {
            block = new Block(want);
        }
        // A full-size block keeps serving once its bytes are written (unless frames of it were handed out).
        if (old != null && !old.handedOut && old.bytes.length >= BLOCK_SIZE) {
            spare = old;
        }
        blockStart = 0;
        blockPos = 0;
    }

    /** Closes the bytes written into the current block since the last cut as one segment. */
    private void cutSlice() {
        if (block != null && blockPos > blockStart) {
            addSegment(block.bytes, blockStart, blockPos - blockStart, block);
            block.live++;
            blockStart = blockPos;
        }
    }

    private void addSegment(byte[] array, int off, int len, Block owner) {
        if (segCount == segArray.length) {
            growQueue();
        }
        int i = (segHead + segCount) & (segArray.length - 1);
        segArray[i] = array;
        segOff[i] = off;
        segLen[i] = len;
        segBlock[i] = owner;
        segBuf[i] = null;
        segCount++;
    }

    private void growQueue() {
        int n = segArray.length;
        byte[][] a = new byte[2 * n][];
        int[] o = new int[2 * n];
        int[] l = new int[2 * n];
        Block[] b = new Block[2 * n];
        ByteBuffer[] bb = new ByteBuffer[2 * n];
        for (int k = 0; k < segCount; k++) {
            int i = (segHead + k) & (n - 1);
            a[k] = segArray[i];
            o[k] = segOff[i];
            l[k] = segLen[i];
            b[k] = segBlock[i];
            bb[k] = segBuf[i];
        }
        segArray = a;
        segOff = o;
        segLen = l;
        segBlock = b;
        segBuf = bb;
        segHead = 0;
    }

    /** Bytes waiting to be taken (or, on the gather path, to be written). */
    public int pendingBytes() {
        return (int) Math.min(Integer.MAX_VALUE, pending);
    }

    /** Same as {@link #pendingBytes()} without the int cap. */
    public long pendingBytesLong() {
        return pending;
    }

    /**
     * Puts the output not written yet, in order, into {@code batch[0..count)} (at most {@code max} buffers,
     * at most {@code batch.length}) and returns how many. Nothing is consumed: report what the transport
     * took with {@link #written(long)}; a second call before that returns the same bytes again (plus any
     * written since). The buffers stay valid, and their bytes unchanged, until the next {@code gather} or
     * {@code written} call; the caller may move their positions (a channel's gather write does).
     */
    public int gather(ByteBuffer[] batch, int max) {
        cutSlice();
        int count = Math.min(segCount, Math.min(max, batch.length));
        int mask = segArray.length - 1;
        for (int k = 0; k < count; k++) {
            Block b = segBlock[(segHead + k) & mask];
            if (b != null) {
                b.viewsUsed = 0;
            }
        }
        for (int k = 0; k < count; k++) {
            int i = (segHead + k) & mask;
            ByteBuffer v;
            Block b = segBlock[i];
            if (b != null) {
                v = b.nextView();
            } else {
                v = segBuf[i];
                if (v == null) {
                    v = segBuf[i] = ByteBuffer.wrap(segArray[i]);
                }
            }
            int off = segOff[i];
            v.clear();
            v.limit(off + segLen[i]);
            v.position(off + (k == 0 ? headWritten : 0));
            batch[k] = v;
        }
        return count;
    }

    /** {@link #gather(ByteBuffer[], int)} with as many buffers as {@code batch} holds. */
    public int gather(ByteBuffer[] batch) {
        return gather(batch, batch.length);
    }

    /**
     * The transport took the first {@code n} bytes of the gathered output: they are released, and a block
     * whose bytes have all been written is reused from its start.
     */
    public void written(long n) {
        if (n < 0 || n > pending) {
            throw new IllegalArgumentException(n + " bytes written of " + pending + " pending");
        }
        cutSlice();
        pending -= n;
        int mask = segArray.length - 1;
        while (n > 0) {
            int rest = segLen[segHead] - headWritten;
            if (n < rest) {
                headWritten += (int) n;
                break;
            }
            n -= rest;
            Block b = segBlock[segHead];
            if (b != null) {
                b.live--;
            }
            segArray[segHead] = null;
            segBlock[segHead] = null;
            segBuf[segHead] = null;
            segHead = (segHead + 1) & mask;
            segCount--;
            headWritten = 0;
        }
        if (block != null && block.live == 0 && blockStart == blockPos && !block.handedOut) {
            blockStart = 0;
            blockPos = 0;
        }
    }

    /** Everything written since the last call, in order; the caller may write the slices as they are. */
    public List<Frame> takeOutput() {
        cutSlice();
        if (segCount == 0) {
            return List.of();
        }
        List<Frame> out = new ArrayList<>(segCount);
        int mask = segArray.length - 1;
        while (segCount > 0) {
            int i = segHead;
            Block b = segBlock[i];
            if (b != null) {
                b.live--;
                b.handedOut = true;
            }
            out.add(Frame.wrap(segArray[i], segOff[i] + headWritten, segLen[i] - headWritten));
            headWritten = 0;
            segArray[i] = null;
            segBlock[i] = null;
            segBuf[i] = null;
            segHead = (segHead + 1) & mask;
            segCount--;
        }
        if (spare != null && spare.handedOut) {
            spare = null;
        }
        pending = 0;
        return out;
    }
}
