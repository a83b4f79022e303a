package io.rzmq.pekko.arch;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.rzmq.pekko.testing.TcpTransportTest;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Pekko IO run ({@code tcp-on-pekko-io} in rzmq-pekko's pom) selects its tests by the tag of
 * {@link TcpTransportTest}. A class that loses the tag leaves that run without a word, so this test pins the
 * set: every class named here carries the tag (by simple name, so a move to another package keeps it
 * green), and the tagged classes hold at least as many test methods as when the run moved to tags.
 * Grow the lists when you tag more; shrinking them is a decision to write in the commit message.
 */
class TcpTransportTagTest {
    /** The classes the run held when it selected by path (58 test executions, 46 test methods), and those added since. */
    static final Set<String> MUST_RUN_ON_PEKKO_IO = Set.of(
        "ApiInteropTest",
        "TcpSocketTest",
        "RequestReplyInteropTest",
        "BrokerInteropTest",
        "LibzmqHeartbeatInteropTest",
        "ZapCurveTest",
        "TcpIoConfigTest",
        "CleanCloseDeadLettersTest",
        "ShutdownLeavesNothingBehindTest",
        "EngineFailureTest",
        "LingerCloseTest",
        "DistributionInteropTest",
        "XPubModesInteropTest",
        "SecureInteropMatrixTest",
        "ZAuthInteropTest",
        "ZapPlainTest",
        "ZapNullTest");
    /** 46 when the run moved to tags, 4 of the lifecycle tests and 21 of pattern and security classes since. */
    static final int MIN_TEST_METHODS = 71;

    private static final JavaClasses TESTS = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS)
        .importPackages("io.rzmq.pekko");

    private static Set<String> tagged() {
        Set<String> names = new TreeSet<>();
        for (JavaClass c : TESTS) {
            if (c.isAnnotatedWith(TcpTransportTest.class)) {
                names.add(c.getSimpleName());
            }
        }
        return names;
    }

    @Test
    void everyClassOfThePekkoIoRunCarriesTheTag() {
        assertThat(tagged()).containsAll(MUST_RUN_ON_PEKKO_IO);
    }

    @Test
    void theTaggedClassesHoldAtLeastAsManyTestsAsBefore() {
        long methods = TESTS.stream()
            .filter(c -> c.isAnnotatedWith(TcpTransportTest.class))
            .flatMap(c -> c.getMethods().stream())
            .filter(m -> m.isAnnotatedWith(Test.class) || m.isAnnotatedWith(ParameterizedTest.class)
                || m.isAnnotatedWith(RepeatedTest.class))
            .count();
        assertThat(methods).as("test methods in classes tagged " + TcpTransportTest.TAG).isGreaterThanOrEqualTo(MIN_TEST_METHODS);
    }
}
