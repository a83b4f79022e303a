package io.rzmq.protocol.wire;

import io.rzmq.protocol.Frame;
import io.rzmq.protocol.ZmtpException;

import java.util.Arrays;

/**
 * Decodes ZMTP frames from chunks of bytes that may split a frame anywhere.
 *
 * <p>A frame that lies entirely inside one chunk is returned as a {@link Frame} slice of that chunk
 * (no copy). A frame split across chunks is assembled into its own array, which is allocated only after
 * its declared size has been checked against the limits; for frames above {@link #EAGER_ALLOCATION_LIMIT}
 * the array grows with the bytes that actually arrive, so a peer cannot make us allocate a large declared
 * size by sending nine header bytes.
 *
 * <p>Limits: with a MAXMSGSIZE {@code >= 0}, the data frames of one message may not total more than it;
 * command frames may not exceed it by more than {@link #COMMAND_OVERHEAD} (room for a mechanism's
 * MESSAGE wrapping and small handshake commands). Without a limit, a frame above
 * {@link #MAX_FRAME_SIZE} (the largest Java array) is refused as MESSAGE_TOO_LARGE. A long size with
 * the top bit set (above 2^63-1) is illegal on the wire: PROTOCOL.
 *
 * <p>Use: {@link #setInput} a chunk, then call {@link #next()} until it returns false (the chunk is
 * used up); after a true return, {@link #frame()}, {@link #more()} and {@link #command()} describe the
 * frame. Not thread-safe.
 */
public final class FrameDecoder {
    public static final int FLAG_MORE = 0x01;
    public static final int FLAG_LONG = 0x02;
    public static final int FLAG_COMMAND = 0x04;
    private static final int RESERVED_BITS = 0xF8;

    /** The largest frame we can hold in one array. */
    public static final int MAX_FRAME_SIZE = Integer.MAX_VALUE - 8;
    /** Split frames up to this size get their whole array at once; larger ones grow as bytes arrive. */
    public static final int EAGER_ALLOCATION_LIMIT = 1 << 20;
    /** How far a command frame may exceed MAXMSGSIZE. */
    public static final int COMMAND_OVERHEAD = 64 * 1024;

    private static final int STATE_FLAGS = 0;
    private static final int STATE_SIZE = 1;
    private static final int STATE_BODY = 2;

    private final long maxMessageSize;

    private byte[] in;
    private int inPos;
    private int inEnd;

    private int state = STATE_FLAGS;
    private int flags;
    private final byte[] sizeBytes = new byte[8];
    private int sizeNeed;
    private int sizeHave;

    private byte[] body;
    private int bodySize;
    private int bodyHave;

    /** Data bytes of the current (unfinished) multipart message, including the frame being read. */
    private long messageBytes;
    /** When true every frame is a mechanism-wrapped frame; message totals are checked by the caller. */
    private boolean wrapped;

    private Frame frame;
    private boolean more;
    private boolean command;

    /** @param maxMessageSize MAXMSGSIZE in bytes, -1 for no limit */
    public FrameDecoder(long maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    /**
     * Frames are wrapped by a mechanism (CURVE MESSAGE): each is checked as a command frame, and whole
     * message totals are left to whoever unwraps them.
     */
    public void setWrapped(boolean wrapped) {
        this.wrapped = wrapped;
    }

    /** Gives the decoder the next chunk; the previous one must be used up. The chunk must not change later. */
    public void setInput(byte[] chunk, int offset, int length) {
        if (inPos < inEnd) {
            throw new IllegalStateException("previous chunk not used up: " + (inEnd - inPos) + " bytes left");
        }
        if (offset < 0 || length < 0 || offset > chunk.length - length) {
            throw new IndexOutOfBoundsException("chunk " + offset + "+" + length + " of " + chunk.length);
        }
        in = chunk;
        inPos = offset;
        inEnd = offset + length;
    }

    /** Bytes of the current chunk not decoded yet. */
    public int remaining() {
        return inEnd - inPos;
    }

    /** True when a frame has been started but not finished (its header or body is incomplete). */
    public boolean inFrame() {
        return state != STATE_FLAGS;
    }

    /**
     * Decodes the next frame from the current chunk.
     *
     * @return true when a frame is ready, false when the chunk is used up
     * @throws ZmtpException PROTOCOL for reserved flag bits, COMMAND with MORE or an illegal size;
     *                       MESSAGE_TOO_LARGE for a frame or message above the limits
     */
    public boolean next() {
        while (true) {
            switch (state) {
                case STATE_FLAGS -> {
                    if (inPos == inEnd) {
                        return false;
                    }
                    readFlags(in[inPos++] & 0xFF);
                }
                case STATE_SIZE -> {
                    long size;
                    int avail = inEnd - inPos;
                    if (sizeHave == 0 && avail >= sizeNeed) {
                        size = sizeNeed == 1 ? in[inPos] & 0xFF : readLong(in, inPos);
                        inPos += sizeNeed;
                    } else {
                        int n = Math.min(avail, sizeNeed - sizeHave);
                        System.arraycopy(in, inPos, sizeBytes, sizeHave, n);
                        inPos += n;
                        sizeHave += n;
                        if (sizeHave < sizeNeed) {
                            return false;
                        }
                        size = sizeNeed == 1 ? sizeBytes[0] & 0xFF : readLong(sizeBytes, 0);
                    }
                    int checked = checkSize(size);
                    if (checked <= inEnd - inPos) {
                        // Zero copy: the frame is a slice of the chunk.
                        finish(checked == 0 ? Frame.EMPTY : Frame.wrap(in, inPos, checked));
                        inPos += checked;
                        return true;
                    }
                    startBody(checked);
                }
                case STATE_BODY -> {
                    int n = Math.min(inEnd - inPos, bodySize - bodyHave);
                    if (bodyHave + n > body.length) {
                        // Grow geometrically, never beyond the declared size.
                        int cap = (int) Math.min((long) bodySize, Math.max((long) body.length * 2, (long) bodyHave + n));
                        body = Arrays.copyOf(body, cap);
                    }
                    System.arraycopy(in, inPos, body, bodyHave, n);
                    inPos += n;
                    bodyHave += n;
                    if (bodyHave < bodySize) {
                        return false;
                    }
                    byte[] done = body;
                    body = null;
                    finish(Frame.wrap(done, 0, bodySize));
                    return true;
                }
                default -> throw new IllegalStateException("decoder state " + state);
            }
        }
    }

    private void readFlags(int f) {
        if ((f & RESERVED_BITS) != 0) {
            throw ZmtpException.protocol("frame flags 0x" + Integer.toHexString(f) + " set reserved bits 3-7");
        }
        if ((f & (FLAG_COMMAND | FLAG_MORE)) == (FLAG_COMMAND | FLAG_MORE)) {
            throw ZmtpException.protocol("a command frame may not have the MORE flag (flags 0x" + Integer.toHexString(f) + ")");
        }
        if ((f & FLAG_COMMAND) != 0 && !wrapped && messageBytes != 0) {
            throw ZmtpException.protocol("command frame inside a multipart message");
        }
        flags = f;
        sizeNeed = (f & FLAG_LONG) != 0 ? 8 : 1;
        sizeHave = 0;
        state = STATE_SIZE;
    }

    /** Checks a declared size against every limit before anything of that size exists. */
    private int checkSize(long size) {
        if (size < 0) {
            throw ZmtpException.protocol("frame declares a size above 2^63-1 (0x" + Long.toHexString(size) + ")");
        }
        boolean isCommand = (flags & FLAG_COMMAND) != 0;
        if (isCommand || wrapped) {
            if (maxMessageSize >= 0 && size > maxMessageSize + COMMAND_OVERHEAD) {
                throw tooLarge("command frame of " + size + " bytes exceeds MAXMSGSIZE " + maxMessageSize);
            }
        } else {
            long total = messageBytes + size;
            if (maxMessageSize >= 0 && total > maxMessageSize) {
                throw tooLarge(messageBytes == 0
                    ? "frame of " + size + " bytes exceeds MAXMSGSIZE " + maxMessageSize
                    : "message of at least " + total + " bytes exceeds MAXMSGSIZE " + maxMessageSize);
            }
            messageBytes = total;
        }
        if (size > MAX_FRAME_SIZE) {
            throw tooLarge("frame of " + size + " bytes exceeds the largest supported frame (" + MAX_FRAME_SIZE + " bytes)");
        }
        return (int) size;
    }

    private void startBody(int size) {
        int avail = inEnd - inPos;
        int initial = size <= EAGER_ALLOCATION_LIMIT ? size : Math.max(EAGER_ALLOCATION_LIMIT, avail);
        body = new byte[initial];
        bodySize = size;
        bodyHave = 0;
        state = STATE_BODY;
    }

    private void finish(Frame f) {
        frame = f;
        more = (flags & FLAG_MORE) != 0;
        command = (flags & FLAG_COMMAND) != 0;
        if (!more && !command) {
            messageBytes = 0;
        }
        state = STATE_FLAGS;
    }

    private static ZmtpException tooLarge(String message) {
        return new ZmtpException(ZmtpException.Kind.MESSAGE_TOO_LARGE, message);
    }

    private static long readLong(byte[] b, int p) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[p + i] & 0xFFL);
        }
        return v;
    }

    /** The last decoded frame's payload. */
    public Frame frame() {
        return frame;
    }

    /** The last decoded frame had the MORE flag. */
    public boolean more() {
        return more;
    }

    /** The last decoded frame was a command. */
    public boolean command() {
        return command;
    }
}
