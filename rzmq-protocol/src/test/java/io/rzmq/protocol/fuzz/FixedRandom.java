package io.rzmq.protocol.fuzz;

import java.security.SecureRandom;
import java.util.SplittableRandom;

/**
 * A SecureRandom that repeats itself: CURVE's transient keys, cookies and nonces come out the same in
 * every run, so a handshake captured once (the checked-in seeds) is still valid when a target replays it
 * against a fresh mechanism. For tests only.
 */
final class FixedRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final transient SplittableRandom r;

    FixedRandom(long seed) {
        super(new byte[0]);
        this.r = new SplittableRandom(seed);
    }

    @Override
    public void nextBytes(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) r.nextInt(256);
        }
    }

    @Override
    public int nextInt() {
        return r.nextInt();
    }

    @Override
    public long nextLong() {
        return r.nextLong();
    }

    @Override
    public void setSeed(long seed) {
        // the constructor's seed decides everything (SecureRandom's constructor calls this before r exists)
    }

    @Override
    public void setSeed(byte[] seed) {
    }
}
