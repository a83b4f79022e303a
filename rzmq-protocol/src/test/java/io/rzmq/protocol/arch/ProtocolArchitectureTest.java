package io.rzmq.protocol.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * rzmq-protocol is pure ZMTP (docs/runtime-v2-plan.md, "Packages"; issue 13 item 3): it holds no
 * runtime, so it must not see Pekko or rzmq-pekko, and its packages form no cycle. Both hold today,
 * so nothing is frozen here: any violation fails the build.
 */
@AnalyzeClasses(packages = "io.rzmq.protocol", importOptions = ImportOption.DoNotIncludeTests.class)
class ProtocolArchitectureTest {

    private static final ArchRule NO_PEKKO_AND_NO_RUNTIME = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.pekko..", "io.rzmq.pekko..",
                    "scala..")
            .as("rzmq-protocol depends on neither Pekko (nor Scala) nor rzmq-pekko");

    /** Root package io.rzmq.protocol included: matched from "io.rzmq.(**)". */
    private static final ArchRule NO_PACKAGE_CYCLES = slices().matching("io.rzmq.(**)")
            .should().beFreeOfCycles();

    // The rules run from @ArchTest methods, not fields: surefire 3.5.3 (the parent pom's) silently skips
    // @ArchTest fields ("Tests run: 0", SUREFIRE-2298, fixed in 3.5.4); methods run and fail as tests.

    @ArchTest
    static void no_pekko_and_no_runtime(JavaClasses classes) {
        NO_PEKKO_AND_NO_RUNTIME.check(classes);
    }

    @ArchTest
    static void no_package_cycles(JavaClasses classes) {
        NO_PACKAGE_CYCLES.check(classes);
    }
}
