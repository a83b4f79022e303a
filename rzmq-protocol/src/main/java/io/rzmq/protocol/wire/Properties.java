package io.rzmq.protocol.wire;

import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Metadata;
import io.rzmq.protocol.ZmtpException;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The ZMTP metadata property list used by READY (NULL, PLAIN, CURVE) and INITIATE (PLAIN, CURVE):
 * repeated {@code name-length(1) name value-length(4, big-endian) value}.
 */
public final class Properties {
    private Properties() {
    }

    /** The encoded size of {@code md}. */
    public static int encodedSize(Metadata md) {
        int n = 0;
        for (Map.Entry<String, byte[]> e : md.entries()) {
            n += 1 + e.getKey().length() + 4 + e.getValue().length;
        }
        return n;
    }

    public static byte[] encode(Metadata md) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(encodedSize(md));
        for (Map.Entry<String, byte[]> e : md.entries()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.US_ASCII);
            byte[] value = e.getValue();
            out.write(name.length);
            out.write(name, 0, name.length);
            out.write(value.length >>> 24);
            out.write(value.length >>> 16);
            out.write(value.length >>> 8);
            out.write(value.length);
            out.write(value, 0, value.length);
        }
        return out.toByteArray();
    }

    /**
     * Decodes a property list that fills {@code bytes} exactly.
     *
     * @throws ZmtpException PROTOCOL when a length runs past the end or a name is empty
     */
    public static Metadata decode(Frame bytes) {
        Metadata.Builder b = Metadata.builder();
        int pos = 0;
        int end = bytes.size();
        while (pos < end) {
            int nameLen = bytes.get(pos) & 0xFF;
            pos++;
            if (nameLen == 0) {
                throw ZmtpException.protocol("metadata property with an empty name");
            }
            if (end - pos < nameLen + 4) {
                throw ZmtpException.protocol("metadata property truncated (name or value length)");
            }
            String name = bytes.slice(pos, nameLen).asString();
            pos += nameLen;
            long valueLen = ((bytes.get(pos) & 0xFFL) << 24) | ((bytes.get(pos + 1) & 0xFF) << 16)
                | ((bytes.get(pos + 2) & 0xFF) << 8) | (bytes.get(pos + 3) & 0xFF);
            pos += 4;
            if (valueLen > end - pos) {
                throw ZmtpException.protocol("metadata property '" + name + "' declares " + valueLen
                    + " bytes of value but only " + (end - pos) + " remain");
            }
            b.put(name, bytes.slice(pos, (int) valueLen).toByteArray());
            pos += (int) valueLen;
        }
        return b.build();
    }
}
