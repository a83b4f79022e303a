package io.rzmq.benchmarks.curve;

import io.rzmq.protocol.Frame;
import io.rzmq.protocol.Metadata;
import io.rzmq.protocol.security.CurveKeyPair;
import io.rzmq.protocol.security.CurveMechanism;
import io.rzmq.protocol.security.DecodedFrame;
import io.rzmq.protocol.security.HandshakeContext;
import io.rzmq.protocol.security.Mechanism;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * CURVE's MESSAGE box after a real handshake: {@code seal} boxes one frame into a new body array (what
 * {@code Mechanism.encode} returns), {@code sealInPlace} into a reused array (what the connection does for
 * frames below the copy threshold: the encoder's batch block), {@code sealOpen}/{@code sealInPlaceOpen}
 * add the receiver's open (nonces must grow, so open is measured after a seal; subtract).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class CurveBoxBenchmark {
    @Param({"64", "1024"})
    public int size;

    private CurveMechanism client;
    private CurveMechanism server;
    private Frame payload;
    private byte[] scratch;

    @Setup
    public void setUp() {
        CurveKeyPair serverKeys = CurveKeyPair.generate();
        client = CurveMechanism.client(CurveKeyPair.generate(), serverKeys.publicKey(), ctx("DEALER"));
        server = CurveMechanism.server(serverKeys, ctx("DEALER"));
        for (int round = 0; round < 10; round++) {
            Frame f;
            while ((f = client.nextHandshakeCommand()) != null) {
                server.processHandshakeCommand(f);
            }
            while ((f = server.nextHandshakeCommand()) != null) {
                client.processHandshakeCommand(f);
            }
        }
        if (client.status() != Mechanism.Status.READY || server.status() != Mechanism.Status.READY) {
            throw new IllegalStateException("CURVE handshake did not complete: " + client.status() + "/" + server.status());
        }
        payload = Frame.wrap(new byte[size]);
        scratch = new byte[client.encodedSize(size)];
    }

    private static HandshakeContext ctx(String type) {
        return HandshakeContext.of(Metadata.builder().put(Metadata.SOCKET_TYPE, type).build());
    }

    @Benchmark
    public Frame seal() {
        return client.encode(payload, false, false);
    }

    @Benchmark
    public byte[] sealInPlace() {
        client.encodeInto(payload, false, false, scratch, 0);
        return scratch;
    }

    @Benchmark
    public DecodedFrame sealOpen() {
        return server.decode(client.encode(payload, false, false));
    }

    @Benchmark
    public DecodedFrame sealInPlaceOpen() {
        client.encodeInto(payload, false, false, scratch, 0);
        return server.decode(Frame.wrap(scratch));
    }
}
