package io.rzmq.protocol.wire;

import io.rzmq.protocol.ZmtpException;

import java.nio.charset.StandardCharsets;

/**
 * Parses the peer's 64-byte greeting incrementally: bytes may arrive one at a time. Each byte that
 * decides the protocol version is checked as soon as it arrives, so a peer that speaks an older ZMTP
 * is refused at once instead of leaving us waiting for bytes it will never send.
 *
 * <p>Decision: rzmq speaks ZMTP 3.0 and 3.1 only. A first byte other than {@code FF} or a signature
 * byte 9 without bit 0 means ZMTP 1.0; a major version below 3 means ZMTP 2.0 (or 1.0): both fail with
 * {@link ZmtpException.Kind#PROTOCOL}. A major version above 3 is accepted and treated as 3.1.
 */
public final class GreetingDecoder {
    private final byte[] bytes = new byte[Greeting.SIZE];
    private int received;

    /**
     * Consumes greeting bytes from {@code src}, never more than the greeting still needs.
     *
     * @return how many bytes were consumed (the rest belongs to the frames after the greeting)
     * @throws ZmtpException PROTOCOL when the peer speaks ZMTP 1.0 or 2.0 or sends a malformed greeting
     */
    public int feed(byte[] src, int offset, int length) {
        int n = Math.min(length, Greeting.SIZE - received);
        for (int i = 0; i < n; i++) {
            bytes[received] = src[offset + i];
            received++;
            check(received - 1);
        }
        return n;
    }

    private void check(int index) {
        int b = bytes[index] & 0xFF;
        switch (index) {
            case 0 -> {
                if (b != 0xFF) {
                    throw ZmtpException.protocol("peer speaks an older ZMTP (1.0: no greeting signature, first byte 0x"
                        + Integer.toHexString(b) + "); rzmq supports ZMTP 3.0 and 3.1 only");
                }
            }
            case 9 -> {
                if ((b & 0x01) == 0) {
                    throw ZmtpException.protocol("peer speaks an older ZMTP (1.0: signature byte 10 is 0x"
                        + Integer.toHexString(b) + "); rzmq supports ZMTP 3.0 and 3.1 only");
                }
            }
            case Greeting.MAJOR_OFFSET -> {
                if (b < Greeting.MAJOR_VERSION) {
                    throw ZmtpException.protocol("peer speaks an older ZMTP (revision " + b + ", ZMTP "
                        + (b == 0 ? "1.0" : "2.0") + "); rzmq supports ZMTP 3.0 and 3.1 only");
                }
            }
            case Greeting.MECHANISM_OFFSET + Greeting.MECHANISM_SIZE - 1 -> {
                if (mechanism().isEmpty()) {
                    throw ZmtpException.protocol("peer greeting names no security mechanism");
                }
            }
            default -> {
            }
        }
    }

    /** The peer's 10-byte signature has arrived (and is a ZMTP 3 signature). */
    public boolean signatureReceived() {
        return received >= Greeting.SIGNATURE_SIZE;
    }

    /** The whole greeting has arrived. */
    public boolean isComplete() {
        return received == Greeting.SIZE;
    }

    /** Bytes received so far (0..64). */
    public int received() {
        return received;
    }

    public int major() {
        requireBytes(Greeting.MAJOR_OFFSET + 1);
        return bytes[Greeting.MAJOR_OFFSET] & 0xFF;
    }

    public int minor() {
        requireBytes(Greeting.MINOR_OFFSET + 1);
        return bytes[Greeting.MINOR_OFFSET] & 0xFF;
    }

    /** True when the peer speaks ZMTP 3.1 or later (SUBSCRIBE/CANCEL commands, PING/PONG). */
    public boolean isAtLeast31() {
        return major() > 3 || minor() >= 1;
    }

    /** The mechanism name, up to the first NUL. */
    public String mechanism() {
        requireBytes(Greeting.MECHANISM_OFFSET + Greeting.MECHANISM_SIZE);
        int len = 0;
        while (len < Greeting.MECHANISM_SIZE && bytes[Greeting.MECHANISM_OFFSET + len] != 0) {
            len++;
        }
        return new String(bytes, Greeting.MECHANISM_OFFSET, len, StandardCharsets.US_ASCII);
    }

    public boolean asServer() {
        requireBytes(Greeting.AS_SERVER_OFFSET + 1);
        return bytes[Greeting.AS_SERVER_OFFSET] != 0;
    }

    private void requireBytes(int n) {
        if (received < n) {
            throw new IllegalStateException("greeting field not received yet (" + received + " of " + n + " bytes)");
        }
    }
}
