package io.rzmq.protocol.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * One rzmq fuzz target. Without JAZZER_FUZZ it replays the checked-in inputs under
 * {@code src/test/resources/io/rzmq/protocol/fuzz/<Class>Inputs/<method>/} as ordinary tests; with
 * JAZZER_FUZZ=1 (the build's {@code fuzz} surefire execution) Jazzer fuzzes it for {@link #CI_DURATION}.
 * One input may take at most {@link #INPUT_TIMEOUT_SECONDS}: a slower input is a hang, and a finding
 * ({@link InputTimeout} when replaying; libFuzzer's {@code -timeout}, set by the build, when fuzzing).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith({FindingReporter.class, InputTimeout.class})
@FuzzTest(maxDuration = ProtocolFuzzTest.CI_DURATION)
public @interface ProtocolFuzzTest {
    /** How long the build fuzzes each target (13 targets, two at a time: about 90 s in all). */
    String CI_DURATION = "10s";
    /**
     * Longest time one input may take (rzmq-protocol/pom.xml passes the same value to libFuzzer). Inputs
     * take microseconds; the margin is for the first inputs of a JVM, during which Jazzer instruments every
     * class they load (BouncyCastle included), on a CI machine that may be busy.
     */
    int INPUT_TIMEOUT_SECONDS = 30;
}
