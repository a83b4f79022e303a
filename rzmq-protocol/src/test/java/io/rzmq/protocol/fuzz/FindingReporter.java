package io.rzmq.protocol.fuzz;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Makes a fuzz finding's failure say where its reproducer is. Jazzer writes a crashing input as
 * {@code crash-<sha1>} into the target's Inputs directory under src/test/resources (the file then replays
 * as a regression test in every build); this handler finds the files written during this run and puts
 * their paths in the failure message, which surefire prints.
 */
public final class FindingReporter implements TestExecutionExceptionHandler {
    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        Path dir = inputsDirectory(context);
        long since = ManagementFactory.getRuntimeMXBean().getStartTime();
        List<Path> crashes = List.of();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                crashes = files.filter(p -> p.getFileName().toString().startsWith("crash-")
                        || p.getFileName().toString().startsWith("timeout-"))
                    .filter(p -> modified(p) >= since)
                    .sorted(Comparator.comparing(Path::toString))
                    .collect(Collectors.toList());
            }
        }
        if (crashes.isEmpty()) {
            throw throwable;
        }
        String where = crashes.stream().map(p -> p.toAbsolutePath().toString()).collect(Collectors.joining(", "));
        throw new AssertionError("fuzz finding in " + context.getRequiredTestClass().getSimpleName() + "."
            + context.getRequiredTestMethod().getName() + ": reproducer written to " + where
            + " (it now replays as a regression test; fix the bug and keep the file as a corpus entry): "
            + throwable, throwable);
    }

    /** Where Jazzer keeps this target's inputs: src/test/resources/<package>/<Class>Inputs/<method>. */
    static Path inputsDirectory(ExtensionContext context) {
        Class<?> c = context.getRequiredTestClass();
        return Path.of("src", "test", "resources").resolve(c.getPackageName().replace('.', '/'))
            .resolve(c.getSimpleName() + "Inputs").resolve(context.getRequiredTestMethod().getName());
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }
}
