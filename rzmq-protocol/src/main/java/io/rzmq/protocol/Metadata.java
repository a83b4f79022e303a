package io.rzmq.protocol;

import java.nio.charset.StandardCharsets;
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
 */
public final class Metadata {
    public static final Metadata EMPTY = new Metadata(Collections.emptyMap());

    public static final String SOCKET_TYPE = "Socket-Type";
    public static final String IDENTITY = "Identity";
    public static final String RESOURCE = "Resource";
    public static final String USER_ID = "User-Id";
    public static final String PEER_ADDRESS = "Peer-Address";

    /** lower-cased name -> entry (keeps the original name for encoding), in insertion order. */
    private final Map<String, Map.Entry<String, byte[]>> entries;

    private Metadata(Map<String, Map.Entry<String, byte[]>> entries) {
        this.entries = entries;
    }

    public static Builder builder() {
        return new Builder(Metadata.EMPTY);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public Optional<byte[]> get(String name) {
        Map.Entry<String, byte[]> e = entries.get(name.toLowerCase(Locale.ROOT));
        return e == null ? Optional.empty() : Optional.of(e.getValue().clone());
    }

    /** The value decoded as UTF-8 (ZMTP property values for Socket-Type etc. are ASCII). */
    public Optional<String> getString(String name) {
        Map.Entry<String, byte[]> e = entries.get(name.toLowerCase(Locale.ROOT));
        return e == null ? Optional.empty() : Optional.of(new String(e.getValue(), StandardCharsets.UTF_8));
    }

    public boolean contains(String name) {
        return entries.containsKey(name.toLowerCase(Locale.ROOT));
    }

    public int size() {
        return entries.size();
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Names in insertion order, original spelling. */
    public List<String> names() {
        List<String> out = new ArrayList<>(entries.size());
        for (Map.Entry<String, byte[]> e : entries.values()) {
            out.add(e.getKey());
        }
        return out;
    }

    /** Entries (original name, value) in insertion order; the values must not be modified. */
    public Iterable<Map.Entry<String, byte[]>> entries() {
        return Collections.unmodifiableCollection(entries.values());
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Metadata{");
        boolean first = true;
        for (Map.Entry<String, byte[]> e : entries.values()) {
            if (!first) {
                sb.append(", ");
            }
            first = false;
            sb.append(e.getKey()).append('=').append(new String(e.getValue(), StandardCharsets.UTF_8));
        }
        return sb.append('}').toString();
    }

    public static final class Builder {
        private final LinkedHashMap<String, Map.Entry<String, byte[]>> entries;

        private Builder(Metadata from) {
            this.entries = new LinkedHashMap<>(from.entries);
        }

        /** Adds or replaces a property (a later value for the same name wins). */
        public Builder put(String name, byte[] value) {
            if (name.isEmpty() || name.length() > 255) {
                throw new IllegalArgumentException("property name must be 1..255 characters: '" + name + "'");
            }
            entries.put(name.toLowerCase(Locale.ROOT), Map.entry(name, value.clone()));
            return this;
        }

        public Builder put(String name, String value) {
            return put(name, value.getBytes(StandardCharsets.UTF_8));
        }

        public Builder putAll(Metadata other) {
            entries.putAll(other.entries);
            return this;
        }

        public Metadata build() {
            return entries.isEmpty() ? EMPTY : new Metadata(Collections.unmodifiableMap(new LinkedHashMap<>(entries)));
        }
    }
}
