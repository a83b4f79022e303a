package io.rzmq.pekko.arch;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The package rules of docs/runtime-v2-plan.md ("Packages"), issue 13 item 3, checked strictly: any
 * violation fails the build (docs/architecture.md, "Layers and the architecture test").
 * <ul>
 *   <li>Public: {@code io.rzmq.pekko} (root), {@code api}, {@code security}, and above them
 *       {@code stream} and {@code typed}; {@code model} holds the values every layer uses.</li>
 *   <li>Internal: {@code internal.context} -> {@code .socket} -> {@code .session} -> {@code .engine}
 *       (with {@code .security}) -> {@code .transport} -> {@code .pipe} -> {@code .support}; all of them
 *       may use {@code model}, none of them the public packages.</li>
 * </ul>
 */
@AnalyzeClasses(packages = "io.rzmq.pekko", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String ROOT = "io.rzmq.pekko";
    private static final String INTERNAL = ROOT + ".internal";

    /**
     * No package cycle anywhere in rzmq-pekko; each package is its own slice. Matched from
     * "io.rzmq.(**)" rather than "io.rzmq.pekko.(**)" so that the root package io.rzmq.pekko is a
     * slice too (the latter leaves it out and so misses Rzmq <-> api.ZContext). Only rzmq-pekko's
     * classes are imported, so no other slice exists.
     */
    private static final ArchRule NO_PACKAGE_CYCLES =
            slices().matching("io.rzmq.(**)").should().beFreeOfCycles();

    /**
     * api -> (stream, typed) over it -> context -> socket -> session -> engine (+ internal security)
     * -> transport -> pipe -> support, model at the bottom. A layer may use any layer below it, never
     * one above; dependencies outside rzmq-pekko (Pekko, rzmq-protocol, the JDK) are not considered.
     */
    private static final ArchRule LAYERS =
            layeredArchitecture().consideringOnlyDependenciesInLayers()
                    .layer("Stream").definedBy(ROOT + ".stream..")
                    .layer("Typed").definedBy(ROOT + ".typed..")
                    // The public entry points; "io.rzmq.pekko" (no "..") is the root package alone.
                    .layer("Api").definedBy(ROOT, ROOT + ".api..", ROOT + ".security..")
                    .layer("Context").definedBy(INTERNAL + ".context..")
                    .layer("Socket").definedBy(INTERNAL + ".socket..")
                    .layer("Session").definedBy(INTERNAL + ".session..")
                    .layer("Engine").definedBy(INTERNAL + ".engine..", INTERNAL + ".security..")
                    .layer("Transport").definedBy(INTERNAL + ".transport..")
                    .layer("Pipe").definedBy(INTERNAL + ".pipe..")
                    // Small helpers every internal layer may use (the dispatcher lookup, the peer-error log).
                    .layer("Support").definedBy(INTERNAL + ".support..")
                    .layer("Model").definedBy(ROOT + ".model..")
                    .whereLayer("Stream").mayNotBeAccessedByAnyLayer()
                    .whereLayer("Typed").mayNotBeAccessedByAnyLayer()
                    .whereLayer("Api").mayOnlyBeAccessedByLayers("Stream", "Typed")
                    .whereLayer("Context").mayOnlyBeAccessedByLayers("Stream", "Typed", "Api")
                    .whereLayer("Socket").mayOnlyBeAccessedByLayers("Stream", "Typed", "Api", "Context")
                    .whereLayer("Session").mayOnlyBeAccessedByLayers("Stream", "Typed", "Api", "Context",
                            "Socket")
                    .whereLayer("Engine").mayOnlyBeAccessedByLayers("Stream", "Typed", "Api", "Context",
                            "Socket", "Session")
                    .whereLayer("Transport").mayOnlyBeAccessedByLayers("Stream", "Typed", "Api", "Context",
                            "Socket", "Session", "Engine")
                    .whereLayer("Pipe").mayOnlyBeAccessedByLayers("Stream", "Typed", "Api", "Context",
                            "Socket", "Session", "Engine", "Transport")
                    .whereLayer("Support").mayOnlyBeAccessedByLayers("Stream", "Typed", "Api", "Context",
                            "Socket", "Session", "Engine", "Transport", "Pipe")
                    .whereLayer("Model").mayOnlyBeAccessedByLayers("Stream", "Typed", "Api", "Context",
                            "Socket", "Session", "Engine", "Transport", "Pipe", "Support");

    /** model is the bottom: values every layer uses, importing nothing else from rzmq-pekko. */
    private static final ArchRule MODEL_IMPORTS_NOTHING_FROM_RZMQ_PEKKO = noClasses()
            .that().resideInAPackage(ROOT + ".model..")
            .should().dependOnClassesThat(resideInAPackage(ROOT + "..")
                    .and(resideOutsideOfPackage(ROOT + ".model..")));

    /** Internal code talks to the public layer through model values and callbacks, never by import. */
    private static final ArchRule INTERNAL_DOES_NOT_DEPEND_ON_PUBLIC = noClasses()
            .that().resideInAPackage(INTERNAL + "..")
            .should().dependOnClassesThat().resideInAnyPackage(ROOT, ROOT + ".api..",
                    ROOT + ".stream..", ROOT + ".typed..", ROOT + ".security..");

    // The rules run from @ArchTest methods, not fields: surefire 3.5.3 (the parent pom's) silently skips
    // @ArchTest fields ("Tests run: 0", SUREFIRE-2298, fixed in 3.5.4); methods run and fail as tests.

    @ArchTest
    static void no_package_cycles(JavaClasses classes) {
        NO_PACKAGE_CYCLES.check(classes);
    }

    @ArchTest
    static void layers(JavaClasses classes) {
        LAYERS.check(classes);
    }

    @ArchTest
    static void model_imports_nothing_from_rzmq_pekko(JavaClasses classes) {
        MODEL_IMPORTS_NOTHING_FROM_RZMQ_PEKKO.check(classes);
    }

    @ArchTest
    static void internal_does_not_depend_on_public(JavaClasses classes) {
        INTERNAL_DOES_NOT_DEPEND_ON_PUBLIC.check(classes);
    }
}
