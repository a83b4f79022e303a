package io.rzmq.protocol.fuzz;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

import java.lang.reflect.Method;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * "Nothing hangs" while replaying the corpus: each input gets {@link ProtocolFuzzTest#INPUT_TIMEOUT_SECONDS}.
 * Not applied while fuzzing, where one invocation is the whole fuzzing run and libFuzzer's own per-input
 * {@code -timeout} does this job (a JUnit @Timeout would cut the run short).
 */
public final class InputTimeout implements InvocationInterceptor {
    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
                                            ExtensionContext extensionContext) throws Throwable {
        String fuzz = System.getenv("JAZZER_FUZZ");
        // Fuzzing (JAZZER_FUZZ=1 under JUnit, or Jazzer's command line, whose one invocation is named so).
        if ((fuzz != null && !fuzz.isEmpty()) || extensionContext.getDisplayName().startsWith("Fuzzing")) {
            invocation.proceed();
            return;
        }
        long seconds = ProtocolFuzzTest.INPUT_TIMEOUT_SECONDS;
        assertTimeoutPreemptively(Duration.ofSeconds(seconds), () -> {
            invocation.proceed();
            return null;
        }, () -> "fuzz input took longer than " + seconds + " s: a hang");
    }
}
