package io.rzmq.protocol.wire;

import io.rzmq.protocol.Frame;
import io.rzmq.protocol.ZmtpException;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;

/**
 * Decodes ZMTP frames from chunks of bytes that may split a frame anywhere.
 *
 * <p>A frame that lies entirely inside one chunk is returned as a {@link Frame} slice of that chunk
 * (no copy). A frame split across chunks is kept as the pieces that actually arrived, never as an array
 * of its declared size: a peer that sends a header declaring 1 MiB and nothing else costs us the header.
 * Large pieces stay slices of their chunks (no copy while waiting), small ones are gathered in a small
 * staging array; when the last byte arrives the frame is one array (one copy), or the single piece
 * itself when the whole body came in one chunk. {@link #bufferedBytes()} says what an unfinished frame
 * holds.
 *
 * <p>Limits: with a MAXMSGSIZE {@code >= 0}, one message may not total more than it, counting each frame's
 * payload plus {@link #FRAME_OVERHEAD} bytes for every frame that has MORE (so a stream of empty MORE
 * frames reaches the limit too); a message may not have more than {@code maxFrames} frames. Command
 * frames may not exceed MAXMSGSIZE by more than {@link #COMMAND_OVERHEAD} (room for a mechanism's MESSAGE
 * wrapping and small handshake commands). Before the handshake completes, {@link #setHandshakeLimit}
 * caps every frame. Without a limit, a frame above {@link #MAX_FRAME_SIZE} (the largest Java array) is
 * refused as MESSAGE_TOO_LARGE. A long size with the top bit set (above 2^63-1) is illegal on the wire:
 * PROTOCOL.
 *
 * <p>Use: {@link #setInput} a chunk, then call {@link #next()} until it returns false (the chunk is
 * used up); after a true return, {@link #frame()}, {@link #more()} and {@link #command()} describe the
 * frame. Not thread-safe.
 *
 * <p><b>Buffer input</b> ({@link #setInput(ByteBuffer)}, the v2 engine's path): the buffer is the loop's
 * shared read buffer, valid only until the caller returns, so every frame returned owns its bytes and
 * nothing refers to the buffer afterwards. A frame inside the buffer costs one exact-size array (one copy).
 * A frame that spans reads gets its exact-size array at its header and each read's bytes are copied into
 * it once, as long as the peer has already sent at least that many bytes to this decoder (its "credit");
 * otherwise (a fresh connection's first large frame, or a peer that declares more than it ever sent) the
 * body is gathered as it arrives, as on the array path, and joined when complete, so what we hold still
 * follows what arrived (issue 12). While a frame with its own array has at least {@link #DIRECT_READ_MIN}
 * bytes to come and the input is used up, {@link #bodyDestination()} hands out the rest of that array so
 * the transport can read the body straight into it ({@link #bodyWritten(int)} then {@link #next()}).
 */
public final class FrameDecoder {
    public static final int FLAG_MORE = 0x01;
    public static final int FLAG_LONG = 0x02;
    public static final int FLAG_COMMAND = 0x04;
    private static final int RESERVED_BITS = 0xF8;

    /** The largest frame we can hold in one array. */
    public static final int MAX_FRAME_SIZE = Integer.MAX_VALUE - 8;
    /** How far a command frame may exceed MAXMSGSIZE. */
    public static final int COMMAND_OVERHEAD = 64 * 1024;
    /** What every frame with MORE adds to its message's size besides its payload (its smallest header). */
    public static final int FRAME_OVERHEAD = 2;
    /**
     * Pieces of a split frame at least this large, and filling at least half of their chunk, are kept as
     * slices of the chunk; smaller ones are copied into a staging array of this size.
     */
    static final int PIECE_MIN = 4096;

    /**
     * {@link #bodyDestination()} is offered only when at least this much of a body is still to come. Below
     * it, one read into the loop's shared buffer and a copy cost less than a read call per frame body (the
     * shared read buffer is 128 KiB, so frames below this mostly arrive whole with their neighbours); above
     * it, the copy it saves (memory bandwidth of the whole body) outweighs the extra system call.
     */
    public static final int DIRECT_READ_MIN = 32 * 1024;

    private static final int STATE_FLAGS = 0;
    private static final int STATE_SIZE = 1;
    private static final int STATE_BODY = 2;

    private final long maxMessageSize;
    private final int maxFrames;
    /** Before the handshake: the largest frame accepted; -1 once the handshake is done. */
    private int handshakeLimit = -1;

    /** Array input (frames may be slices of it), or null while the input is {@link #buf}. */
    private byte[] in;
    /** Buffer input, valid only during the caller's call: every frame is copied out of it. */
    private ByteBuffer buf;
    /** Read position and end in {@link #in} or (absolute) in {@link #buf}. */
    private int inPos;
    private int inEnd;
    /** Bytes given to this decoder so far: the credit against which a spanning frame's array is allocated. */
    private long fed;

    private int state = STATE_FLAGS;
    private int flags;
    private final byte[] sizeBytes = new byte[8];
    private int sizeNeed;
    private int sizeHave;

    /** The split frame being received: pieces in order, then the staging array. */
    private final ArrayList<Frame> pieces = new ArrayList<>();
    /** Sum of the lengths of the arrays the pieces keep alive (what they really retain). */
    private long piecesRetained;
    private byte[] staging;
    private int stagingLen;
    /** Buffer input: the spanning frame's own exact-size array, or null when it is gathered in pieces. */
    private byte[] body;
    private int bodySize;
    private int bodyHave;

    /** Size of the current (unfinished) multipart message as counted against MAXMSGSIZE. */
    private long messageBytes;
    /** Data frames of the current (unfinished) multipart message, including the frame being read. */
    private int messageFrames;
    /** When true every frame is a mechanism-wrapped frame; message totals are checked by the caller. */
    private boolean wrapped;

    private Frame frame;
    private boolean more;
    private boolean command;

    /** @param maxMessageSize MAXMSGSIZE in bytes, -1 for no limit; no limit on a message's frame count */
    public FrameDecoder(long maxMessageSize) {
        this(maxMessageSize, -1);
    }

    /**
     * @param maxMessageSize MAXMSGSIZE in bytes, -1 for no limit
     * @param maxFrames      frames one message may have, -1 for no limit
     */
    public FrameDecoder(long maxMessageSize, int maxFrames) {
        this.maxMessageSize = maxMessageSize;
        this.maxFrames = maxFrames;
    }

    /**
     * Frames are wrapped by a mechanism (CURVE MESSAGE): each is checked as a command frame, and whole
     * message totals are left to whoever unwraps them.
     */
    public void setWrapped(boolean wrapped) {
        this.wrapped = wrapped;
    }

    /**
     * While the handshake runs, every frame larger than {@code maxFrameSize} is refused (PROTOCOL) on its
     * header; -1 lifts the cap once the handshake is done.
     */
    public void setHandshakeLimit(int maxFrameSize) {
        this.handshakeLimit = maxFrameSize;
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
        buf = null;
        inPos = offset;
        inEnd = offset + length;
        fed += length;
    }

    /**
     * Gives the decoder the bytes between {@code data}'s position and limit, valid only until this caller
     * returns: decode them with {@link #next()} until it returns false, or call {@link #detachInput()} before
     * returning. Frames decoded from it own their bytes. The buffer's position is not changed.
     */
    public void setInput(ByteBuffer data) {
        if (inPos < inEnd) {
            throw new IllegalStateException("previous chunk not used up: " + (inEnd - inPos) + " bytes left");
        }
        in = null;
        buf = data;
        inPos = data.position();
        inEnd = data.limit();
        fed += inEnd - inPos;
    }

    /**
     * Copies the undecoded rest of a buffer input into an array of its own, so that decoding can continue
     * after the buffer is gone (decoding paused by the caller). Frames from it are still copied out, so the
     * copy is not pinned by them. No-op for array input or when nothing is left.
     */
    public void detachInput() {
        if (buf != null && inPos < inEnd) {
            byte[] rest = new byte[inEnd - inPos];
            buf.get(inPos, rest);
            buf = ByteBuffer.wrap(rest);
            inPos = 0;
            inEnd = rest.length;
        }
        if (inPos == inEnd) {
            buf = null;
        }
    }

    /**
     * The rest of the current frame's body as a writable buffer over the frame's own array, for a transport
     * to read straight into; null unless the input is used up, the frame being received has its own array
     * (buffer input) and at least {@link #DIRECT_READ_MIN} bytes of it are still to come. After reading
     * {@code n} bytes into it, call {@link #bodyWritten(int)} and then {@link #next()}. A fresh buffer each
     * call (one object per large frame).
     */
    public ByteBuffer bodyDestination() {
        if (state != STATE_BODY || body == null || inPos < inEnd || bodySize - bodyHave < DIRECT_READ_MIN) {
            return null;
        }
        return ByteBuffer.wrap(body, bodyHave, bodySize - bodyHave);
    }

    /** {@code n} bytes were written into the {@link #bodyDestination()} just taken, from its start. */
    public void bodyWritten(int n) {
        if (state != STATE_BODY || body == null || inPos < inEnd) {
            throw new IllegalStateException("no body destination is open");
        }
        if (n < 0 || n > bodySize - bodyHave) {
            throw new IndexOutOfBoundsException(n + " bytes written into a body with " + (bodySize - bodyHave) + " to come");
        }
        bodyHave += n;
        fed += n;
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
     * Bytes the unfinished frame keeps alive: its header bytes so far plus the arrays holding the body
     * bytes that arrived (a kept slice counts its whole chunk). 0 between frames. Never more than what
     * arrived plus one chunk and one staging array, whatever size the frame declares.
     */
    public long bufferedBytes() {
        return switch (state) {
            case STATE_SIZE -> 1 + sizeHave;
            case STATE_BODY -> 1 + sizeNeed + (body != null ? body.length
                : piecesRetained + (staging == null ? 0 : staging.length));
            default -> 0;
        };
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
                    readFlags(byteAt(inPos++) & 0xFF);
                }
                case STATE_SIZE -> {
                    long size;
                    int avail = inEnd - inPos;
                    if (sizeHave == 0 && avail >= sizeNeed) {
                        size = sizeNeed == 1 ? byteAt(inPos) & 0xFF : readLong(inPos);
                        inPos += sizeNeed;
                    } else {
                        int n = Math.min(avail, sizeNeed - sizeHave);
                        copyInput(sizeBytes, sizeHave, n);
                        sizeHave += n;
                        if (sizeHave < sizeNeed) {
                            return false;
                        }
                        size = sizeNeed == 1 ? sizeBytes[0] & 0xFF : readLong(sizeBytes, 0);
                    }
                    int checked = checkSize(size);
                    if (checked <= inEnd - inPos) {
                        if (checked == 0) {
                            finish(Frame.EMPTY);
                        } else if (in != null) {
                            // Zero copy: the frame is a slice of the chunk.
                            finish(Frame.wrap(in, inPos, checked));
                            inPos += checked;
                        } else {
                            // The buffer goes away: one exact-size copy.
                            byte[] a = new byte[checked];
                            copyInput(a, 0, checked);
                            finish(Frame.wrap(a));
                        }
                        return true;
                    }
                    startBody(checked);
                }
                case STATE_BODY -> {
                    if (bodyHave < bodySize) {
                        int n = Math.min(inEnd - inPos, bodySize - bodyHave);
                        if (n == 0) {
                            return false;
                        }
                        if (body != null) {
                            copyInput(body, bodyHave, n);
                        } else {
                            keep(n);
                            inPos += n;
                        }
                        bodyHave += n;
                        if (bodyHave < bodySize) {
                            return false;
                        }
                    }
                    if (body != null) {
                        Frame f = Frame.wrap(body);
                        body = null;
                        finish(f);
                    } else {
                        finish(assemble());
                    }
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
        if ((f & FLAG_COMMAND) != 0 && !wrapped && messageFrames != 0) {
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
        if (handshakeLimit >= 0 && size > handshakeLimit) {
            throw ZmtpException.protocol((isCommand ? "command" : "data") + " frame of " + size
                + " bytes before the handshake completed: handshake commands may have at most " + handshakeLimit
                + " bytes (rzmq.handshake.max-command-size)");
        }
        if (isCommand || wrapped) {
            if (maxMessageSize >= 0 && size > maxMessageSize + COMMAND_OVERHEAD) {
                throw tooLarge("command frame of " + size + " bytes exceeds MAXMSGSIZE " + maxMessageSize);
            }
        } else {
            if (maxFrames >= 0 && messageFrames >= maxFrames) {
                throw tooLarge("message of more than " + maxFrames + " frames (rzmq.message.max-frames)");
            }
            long total = messageBytes + size + ((flags & FLAG_MORE) != 0 ? FRAME_OVERHEAD : 0);
            if (maxMessageSize >= 0 && total > maxMessageSize) {
                throw tooLarge(messageFrames == 0
                    ? "frame of " + size + " bytes exceeds MAXMSGSIZE " + maxMessageSize
                    : "message of at least " + total + " bytes (" + (messageFrames + 1)
                        + " frames, counting " + FRAME_OVERHEAD + " bytes per frame with MORE) exceeds MAXMSGSIZE "
                        + maxMessageSize);
            }
            messageBytes = total;
            messageFrames++;
        }
        if (size > MAX_FRAME_SIZE) {
            throw tooLarge("frame of " + size + " bytes exceeds the largest supported frame (" + MAX_FRAME_SIZE + " bytes)");
        }
        return (int) size;
    }

    private void startBody(int size) {
        bodySize = size;
        bodyHave = 0;
        state = STATE_BODY;
        // Buffer input: the frame's own array now, when the peer has sent at least as much as it declares
        // (what we hold stays within what arrived); otherwise pieces that follow arrival.
        if (in == null && size <= fed) {
            body = new byte[size];
        }
    }

    private byte byteAt(int i) {
        return in != null ? in[i] : buf.get(i);
    }

    /** Copies the next {@code n} input bytes to {@code dst} and moves past them. */
    private void copyInput(byte[] dst, int off, int n) {
        if (in != null) {
            System.arraycopy(in, inPos, dst, off, n);
        } else {
            buf.get(inPos, dst, off, n);
        }
        inPos += n;
    }

    /** Keeps the next {@code n} input bytes of the split frame's body (the caller then moves past them). */
    private void keep(int n) {
        if (n >= PIECE_MIN && in != null && 2L * n >= in.length) {
            flushStaging();
            pieces.add(Frame.wrap(in, inPos, n));
            piecesRetained += in.length;
            return;
        }
        if (n >= PIECE_MIN && in == null) {
            // Buffer input: a large piece is copied into an exact array of its own.
            flushStaging();
            byte[] piece = new byte[n];
            buf.get(inPos, piece);
            pieces.add(Frame.wrap(piece));
            piecesRetained += n;
            return;
        }
        int from = inPos;
        int left = n;
        while (left > 0) {
            // Body bytes not kept yet, these included: staging never grows beyond them.
            long rest = (long) bodySize - bodyHave - (n - left);
            if (staging == null) {
                staging = new byte[(int) Math.min(Math.min(PIECE_MIN, rest), Math.max(64, left))];
                stagingLen = 0;
            } else if (stagingLen == staging.length) {
                // Full and below PIECE_MIN (a full PIECE_MIN one is flushed below): grow with what arrives.
                staging = Arrays.copyOf(staging, (int) Math.min(Math.min(PIECE_MIN, stagingLen + rest),
                    Math.max(2L * staging.length, (long) stagingLen + left)));
            }
            int m = Math.min(left, staging.length - stagingLen);
            if (in != null) {
                System.arraycopy(in, from, staging, stagingLen, m);
            } else {
                buf.get(from, staging, stagingLen, m);
            }
            stagingLen += m;
            from += m;
            left -= m;
            if (stagingLen == PIECE_MIN) {
                flushStaging();
            }
        }
    }

    private void flushStaging() {
        if (staging != null && stagingLen > 0) {
            pieces.add(Frame.wrap(staging, 0, stagingLen));
            piecesRetained += staging.length;
        }
        staging = null;
        stagingLen = 0;
    }

    /** The whole body: the one piece as it is, or every piece copied into one array. */
    private Frame assemble() {
        flushStaging();
        Frame out;
        if (pieces.size() == 1) {
            out = pieces.get(0);
        } else {
            byte[] body = new byte[bodySize];
            int at = 0;
            for (Frame p : pieces) {
                p.copyTo(body, at);
                at += p.size();
            }
            out = Frame.wrap(body);
        }
        pieces.clear();
        piecesRetained = 0;
        return out;
    }

    private void finish(Frame f) {
        frame = f;
        more = (flags & FLAG_MORE) != 0;
        command = (flags & FLAG_COMMAND) != 0;
        if (!more && !command) {
            messageBytes = 0;
            messageFrames = 0;
        }
        state = STATE_FLAGS;
    }

    private static ZmtpException tooLarge(String message) {
        return new ZmtpException(ZmtpException.Kind.MESSAGE_TOO_LARGE, message);
    }

    private long readLong(int p) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (byteAt(p + i) & 0xFFL);
        }
        return v;
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
