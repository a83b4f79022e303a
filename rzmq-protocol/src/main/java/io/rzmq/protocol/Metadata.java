package io.rzmq.protocol;

import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Immutable ZMTP metadata: property names are case-insensitive (kept in their original spelling for
 * the wire), values are raw bytes. Used for READY/INITIATE properties and for message properties.
 *
 * <p>Stored compactly (issue 12 defect 4): one array holding the properties in their wire encoding
 * ({@code name-length(1) name value-length(4) value}, names unique), so a property costs its encoded
 * size and nothing per entry; lookups scan it (a property list holds a few dozen entries at most), and
 * names and values are decoded only when asked for. A peer's READY becomes a Metadata with one copy.
 */
public final class Metadata {
    public static final Metadata EMPTY = new Metadata(new byte[0], 0);

    public static final String SOCKET_TYPE = "Socket-Type";
    public static final String IDENTITY = "Identity";
    public static final String RESOURCE = "Resource";
    public static final String USER_ID = "User-Id";
    public static final String PEER_ADDRESS = "Peer-Address";

    /** Names returned as these shared strings instead of new ones. */
    private static final String[] WELL_KNOWN = {SOCKET_TYPE, IDENTITY, RESOURCE, USER_ID, PEER_ADDRESS};

    /** The properties in wire encoding, names unique (case-insensitively), in insertion order. */
    private final byte[] data;
    private final int count;

    private Metadata(byte[] data, int count) {
        this.data = data;
        this.count = count;
    }

    public static Builder builder() {
        return new Builder(Metadata.EMPTY);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Decodes a property list that fills {@code bytes} exactly.
     *
     * @param maxProperties at most this many properties
     * @param maxSize       at most this many encoded bytes
     * @throws ZmtpException PROTOCOL when a length runs past the end, a name is empty or a bound is exceeded
     */
    public static Metadata decode(Frame bytes, int maxProperties, int maxSize) {
        int end = bytes.size();
        if (end > maxSize) {
            throw ZmtpException.protocol("metadata of " + end + " bytes exceeds " + maxSize
                + " (rzmq.handshake.max-properties-size)");
        }
        int n = 0;
        int pos = 0;
        int[] starts = new int[8];
        boolean duplicates = false;
        while (pos < end) {
            int nameLen = bytes.get(pos) & 0xFF;
            if (nameLen == 0) {
                throw ZmtpException.protocol("metadata property with an empty name");
            }
            if (end - pos - 1 < nameLen + 4) {
                throw ZmtpException.protocol("metadata property truncated (name or value length)");
            }
            if (n == maxProperties) {
                throw ZmtpException.protocol("metadata has more than " + maxProperties
                    + " properties (rzmq.handshake.max-properties)");
            }
            int v = pos + 1 + nameLen;
            long valueLen = ((bytes.get(v) & 0xFFL) << 24) | ((bytes.get(v + 1) & 0xFF) << 16)
                | ((bytes.get(v + 2) & 0xFF) << 8) | (bytes.get(v + 3) & 0xFF);
            if (valueLen > end - v - 4) {
                throw ZmtpException.protocol("metadata property '" + bytes.slice(pos + 1, nameLen).asString()
                    + "' declares " + valueLen + " bytes of value but only " + (end - v - 4) + " remain");
            }
            for (int i = 0; i < n && !duplicates; i++) {
                duplicates = sameName(bytes, starts[i], pos);
            }
            if (n == starts.length) {
                starts = java.util.Arrays.copyOf(starts, n * 2);
            }
            starts[n++] = pos;
            pos = v + 4 + (int) valueLen;
        }
        if (n == 0) {
            return EMPTY;
        }
        Metadata md = new Metadata(bytes.toByteArray(), n);
        // A name given twice: the later value wins, as it always did; rare enough to rebuild.
        return duplicates ? md.toBuilder().build() : md;
    }

    private static boolean sameName(Frame b, int p, int q) {
        int len = b.get(p) & 0xFF;
        if ((b.get(q) & 0xFF) != len) {
            return false;
        }
        for (int i = 1; i <= len; i++) {
            if (lower(b.get(p + i)) != lower(b.get(q + i))) {
                return false;
            }
        }
        return true;
    }

    private static int lower(byte b) {
        int c = b & 0xFF;
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    }

    /** The properties in wire encoding (a copy). */
    public byte[] encode() {
        return data.clone();
    }

    /** Size of {@link #encode()}. */
    public int encodedSize() {
        return data.length;
    }

    private static int valueLength(byte[] d, int v) {
        return ((d[v] & 0xFF) << 24) | ((d[v + 1] & 0xFF) << 16) | ((d[v + 2] & 0xFF) << 8) | (d[v + 3] & 0xFF);
    }

    /** Offset of the property called {@code name} (case-insensitive), -1 when absent. */
    private int find(String name) {
        int len = name.length();
        int pos = 0;
        while (pos < data.length) {
            int nameLen = data[pos] & 0xFF;
            if (nameLen == len && matches(pos + 1, name)) {
                return pos;
            }
            int v = pos + 1 + nameLen;
            pos = v + 4 + valueLength(data, v);
        }
        return -1;
    }

    private boolean matches(int at, String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            int want = c >= 'A' && c <= 'Z' ? c + 32 : c;
            if (lower(data[at + i]) != want) {
                return false;
            }
        }
        return true;
    }

    private byte[] valueAt(int pos) {
        int v = pos + 1 + (data[pos] & 0xFF);
        int len = valueLength(data, v);
        byte[] out = new byte[len];
        System.arraycopy(data, v + 4, out, 0, len);
        return out;
    }

    private String nameAt(int pos) {
        int len = data[pos] & 0xFF;
        for (String known : WELL_KNOWN) {
            if (known.length() == len && equalsExactly(pos + 1, known)) {
                return known;
            }
        }
        // Latin-1: one char per byte, so a name outside RFC 23's set (which libzmq also accepts) survives
        // a decode/encode round trip byte for byte instead of turning into '?'.
        return new String(data, pos + 1, len, StandardCharsets.ISO_8859_1);
    }

    private boolean equalsExactly(int at, String s) {
        for (int i = 0; i < s.length(); i++) {
            if (data[at + i] != (byte) s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    public Optional<byte[]> get(String name) {
        int p = find(name);
        return p < 0 ? Optional.empty() : Optional.of(valueAt(p));
    }

    /** The value decoded as UTF-8 (ZMTP property values for Socket-Type etc. are ASCII). */
    public Optional<String> getString(String name) {
        int p = find(name);
        if (p < 0) {
            return Optional.empty();
        }
        int v = p + 1 + (data[p] & 0xFF);
        return Optional.of(new String(data, v + 4, valueLength(data, v), StandardCharsets.UTF_8));
    }

    public boolean contains(String name) {
        return find(name) >= 0;
    }

    public int size() {
        return count;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    /** Names in insertion order, original spelling. */
    public List<String> names() {
        List<String> out = new ArrayList<>(count);
        int pos = 0;
        while (pos < data.length) {
            out.add(nameAt(pos));
            int v = pos + 1 + (data[pos] & 0xFF);
            pos = v + 4 + valueLength(data, v);
        }
        return out;
    }

    /** Entries (original name, a copy of the value) in insertion order, decoded on each call. */
    public Iterable<Map.Entry<String, byte[]>> entries() {
        List<Map.Entry<String, byte[]>> out = new ArrayList<>(count);
        int pos = 0;
        while (pos < data.length) {
            out.add(new AbstractMap.SimpleImmutableEntry<>(nameAt(pos), valueAt(pos)));
            int v = pos + 1 + (data[pos] & 0xFF);
            pos = v + 4 + valueLength(data, v);
        }
        return Collections.unmodifiableList(out);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Metadata{");
        boolean first = true;
        for (Map.Entry<String, byte[]> e : entries()) {
            if (!first) {
                sb.append(", ");
            }
            first = false;
            sb.append(e.getKey()).append('=').append(new String(e.getValue(), StandardCharsets.UTF_8));
        }
        return sb.append('}').toString();
    }

    public static final class Builder {
        /** lower-cased name -> (original name, value), in insertion order. */
        private final LinkedHashMap<String, Map.Entry<String, byte[]>> entries = new LinkedHashMap<>();

        private Builder(Metadata from) {
            putAll(from);
        }

        /** Adds or replaces a property (a later value for the same name wins). */
        public Builder put(String name, byte[] value) {
            if (name.isEmpty() || name.length() > 255) {
                throw new IllegalArgumentException("property name must be 1..255 characters: '" + name + "'");
            }
            for (int i = 0; i < name.length(); i++) {
                if (name.charAt(i) > 0xFF) {
                    throw new IllegalArgumentException("property name must be one byte per character: '" + name + "'");
                }
            }
            entries.put(name.toLowerCase(Locale.ROOT), Map.entry(name, value.clone()));
            return this;
        }

        public Builder put(String name, String value) {
            return put(name, value.getBytes(StandardCharsets.UTF_8));
        }

        public Builder putAll(Metadata other) {
            for (Map.Entry<String, byte[]> e : other.entries()) {
                entries.put(e.getKey().toLowerCase(Locale.ROOT), e);
            }
            return this;
        }

        public Metadata build() {
            if (entries.isEmpty()) {
                return EMPTY;
            }
            int size = 0;
            for (Map.Entry<String, byte[]> e : entries.values()) {
                size += 1 + e.getKey().length() + 4 + e.getValue().length;
            }
            byte[] out = new byte[size];
            int p = 0;
            for (Map.Entry<String, byte[]> e : entries.values()) {
                byte[] name = e.getKey().getBytes(StandardCharsets.ISO_8859_1);
                byte[] value = e.getValue();
                out[p++] = (byte) name.length;
                System.arraycopy(name, 0, out, p, name.length);
                p += name.length;
                out[p++] = (byte) (value.length >>> 24);
                out[p++] = (byte) (value.length >>> 16);
                out[p++] = (byte) (value.length >>> 8);
                out[p++] = (byte) value.length;
                System.arraycopy(value, 0, out, p, value.length);
                p += value.length;
            }
            return new Metadata(out, entries.size());
        }
    }
}
