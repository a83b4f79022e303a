package io.rzmq.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One ZeroMQ frame's payload: an immutable view of {@code length} bytes of {@code array} starting at
 * {@code offset}. A frame received inside a large read buffer is a slice of that buffer, never a copy,
 * so whoever hands an array to a {@link Frame} (or to the decoder) must not modify it afterwards.
 */
public final class Frame {
    private static final byte[] NO_BYTES = new byte[0];
    public static final Frame EMPTY = new Frame(NO_BYTES, 0, 0);

    private final byte[] array;
    private final int offset;
    private final int length;

    private Frame(byte[] array, int offset, int length) {
        this.array = array;
        this.offset = offset;
        this.length = length;
    }

    /** Wraps the whole array without copying; the caller gives up the right to modify it. */
    public static Frame wrap(byte[] array) {
        return array.length == 0 ? EMPTY : new Frame(array, 0, array.length);
    }

    /** Wraps a slice without copying; the caller gives up the right to modify that range. */
    public static Frame wrap(byte[] array, int offset, int length) {
        if (offset < 0 || length < 0 || offset > array.length - length) {
            throw new IndexOutOfBoundsException("slice " + offset + "+" + length + " of " + array.length);
        }
        return length == 0 ? EMPTY : new Frame(array, offset, length);
    }

    /** A frame holding a private copy of the given bytes. */
    public static Frame copyOf(byte[] bytes) {
        return wrap(bytes.clone());
    }

    /** A frame holding the UTF-8 bytes of {@code text}. */
    public static Frame of(String text) {
        return wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    public int size() {
        return length;
    }

    public boolean isEmpty() {
        return length == 0;
    }

    public byte get(int index) {
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException(index);
        }
        return array[offset + index];
    }

    /** A sub-range of this frame, without copying. */
    public Frame slice(int from, int len) {
        if (from < 0 || len < 0 || from > length - len) {
            throw new IndexOutOfBoundsException("slice " + from + "+" + len + " of " + length);
        }
        return len == 0 ? EMPTY : new Frame(array, offset + from, len);
    }

    /** The backing array; read only the range [{@link #offset()}, offset + size). Never modify it. */
    public byte[] unsafeArray() {
        return array;
    }

    public int offset() {
        return offset;
    }

    /** A fresh copy of the bytes. */
    public byte[] toByteArray() {
        return Arrays.copyOfRange(array, offset, offset + length);
    }

    /** A read-only buffer over the bytes, without copying. */
    public ByteBuffer asReadOnlyBuffer() {
        return ByteBuffer.wrap(array, offset, length).slice().asReadOnlyBuffer();
    }

    public void copyTo(byte[] dst, int dstOffset) {
        System.arraycopy(array, offset, dst, dstOffset, length);
    }

    public void writeTo(ByteBuffer dst) {
        dst.put(array, offset, length);
    }

    /** Decodes the bytes as UTF-8. */
    public String asString() {
        return new String(array, offset, length, StandardCharsets.UTF_8);
    }

    /** True when this frame starts with the bytes of {@code prefix}. */
    public boolean startsWith(Frame prefix) {
        return prefix.length <= length
            && Arrays.equals(array, offset, offset + prefix.length, prefix.array, prefix.offset, prefix.offset + prefix.length);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Frame other)) {
            return false;
        }
        return Arrays.equals(array, offset, offset + length, other.array, other.offset, other.offset + other.length);
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = offset, end = offset + length; i < end; i++) {
            h = 31 * h + array[i];
        }
        return h;
    }

    /** Printable text when the bytes are printable ASCII, hex otherwise; long frames are cut. */
    @Override
    public String toString() {
        int shown = Math.min(length, 64);
        boolean printable = true;
        for (int i = 0; i < shown && printable; i++) {
            byte b = array[offset + i];
            printable = b >= 0x20 && b < 0x7f;
        }
        StringBuilder sb = new StringBuilder(shown * 2 + 16);
        if (printable) {
            sb.append('"').append(new String(array, offset, shown, StandardCharsets.US_ASCII)).append('"');
        } else {
            for (int i = 0; i < shown; i++) {
                sb.append(Character.forDigit((array[offset + i] >> 4) & 0xF, 16))
                  .append(Character.forDigit(array[offset + i] & 0xF, 16));
            }
        }
        if (shown < length) {
            sb.append("...(").append(length).append(" bytes)");
        }
        return sb.toString();
    }
}
