package io.rzmq.protocol.security;

import org.bouncycastle.math.ec.rfc7748.X25519;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * A CURVE (X25519) key pair: 32-byte public and secret keys, convertible to and from their 40-character
 * Z85 form as libzmq's CURVE_PUBLICKEY / CURVE_SECRETKEY options take them. {@link #toString()} shows
 * the public key only.
 */
public final class CurveKeyPair {
    /** Raw key length in bytes. */
    public static final int KEY_BYTES = 32;
    /** Z85 key length in characters. */
    public static final int Z85_KEY_CHARS = 40;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] publicKey;
    private final byte[] secretKey;

    private CurveKeyPair(byte[] publicKey, byte[] secretKey) {
        this.publicKey = publicKey;
        this.secretKey = secretKey;
    }

    /** A fresh key pair from a {@link SecureRandom}. */
    public static CurveKeyPair generate() {
        return generate(RANDOM);
    }

    /** A fresh key pair from {@code random}. */
    public static CurveKeyPair generate(SecureRandom random) {
        byte[] secret = new byte[KEY_BYTES];
        X25519.generatePrivateKey(random, secret);
        return fromSecretKey(secret);
    }

    /** The pair whose secret key is {@code secretKey} (32 bytes); the public key is derived from it. */
    public static CurveKeyPair fromSecretKey(byte[] secretKey) {
        byte[] secret = checkKey(secretKey, "secret").clone();
        byte[] pub = new byte[KEY_BYTES];
        X25519.generatePublicKey(secret, 0, pub, 0);
        return new CurveKeyPair(pub, secret);
    }

    /** The pair whose secret key is {@code secretKeyZ85} (40 Z85 characters). */
    public static CurveKeyPair fromSecretKey(String secretKeyZ85) {
        return fromSecretKey(decodeKey(secretKeyZ85, "secret"));
    }

    /**
     * A pair from both keys, checking that the public key is the one the secret key derives.
     *
     * @throws IllegalArgumentException when a key has the wrong length or the keys do not match
     */
    public static CurveKeyPair of(byte[] publicKey, byte[] secretKey) {
        CurveKeyPair derived = fromSecretKey(secretKey);
        if (!MessageDigest.isEqual(derived.publicKey, checkKey(publicKey, "public"))) {
            throw new IllegalArgumentException("CURVE public key does not belong to the secret key");
        }
        return derived;
    }

    /** {@link #of(byte[], byte[])} with both keys in Z85. */
    public static CurveKeyPair of(String publicKeyZ85, String secretKeyZ85) {
        return of(decodeKey(publicKeyZ85, "public"), decodeKey(secretKeyZ85, "secret"));
    }

    /** The public key that {@code secretKey} derives (X25519 with the base point). */
    public static byte[] publicKeyOf(byte[] secretKey) {
        byte[] pub = new byte[KEY_BYTES];
        X25519.generatePublicKey(checkKey(secretKey, "secret"), 0, pub, 0);
        return pub;
    }

    /**
     * Decodes a 40-character Z85 public key (for example a CURVE_SERVERKEY) into its 32 bytes.
     *
     * @throws IllegalArgumentException on a wrong length or a character outside the Z85 alphabet
     */
    public static byte[] decodePublicKey(String z85) {
        return decodeKey(z85, "public");
    }

    /** A copy of the 32-byte public key. */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** A copy of the 32-byte secret key. */
    public byte[] secretKey() {
        return secretKey.clone();
    }

    /** The public key as 40 Z85 characters. */
    public String publicKeyZ85() {
        return Z85.encode(publicKey);
    }

    /** The secret key as 40 Z85 characters. */
    public String secretKeyZ85() {
        return Z85.encode(secretKey);
    }

    /** Read-only access for the mechanisms, without a copy. */
    byte[] publicKeyRef() {
        return publicKey;
    }

    byte[] secretKeyRef() {
        return secretKey;
    }

    /** Zeroes the secret key (for transient pairs once the handshake no longer needs them). */
    void wipe() {
        Arrays.fill(secretKey, (byte) 0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CurveKeyPair other && MessageDigest.isEqual(secretKey, other.secretKey);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(publicKey);
    }

    /** Shows the public key only. */
    @Override
    public String toString() {
        return "CurveKeyPair{public=" + publicKeyZ85() + ", secret=<hidden>}";
    }

    private static byte[] checkKey(byte[] key, String what) {
        if (key == null || key.length != KEY_BYTES) {
            throw new IllegalArgumentException("CURVE " + what + " key must be " + KEY_BYTES + " bytes, got "
                + (key == null ? "null" : key.length));
        }
        return key;
    }

    private static byte[] decodeKey(String z85, String what) {
        if (z85 == null || z85.length() != Z85_KEY_CHARS) {
            throw new IllegalArgumentException("CURVE " + what + " key in Z85 must be " + Z85_KEY_CHARS
                + " characters, got " + (z85 == null ? "null" : z85.length()));
        }
        return Z85.decode(z85);
    }
}
