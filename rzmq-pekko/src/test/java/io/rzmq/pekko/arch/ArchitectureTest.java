package io.rzmq.pekko.arch;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static com.tngtech.archunit.library.freeze.FreezingArchRule.freeze;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The package rules of docs/runtime-v2-plan.md ("Packages"), issue 13 item 3.
 *
 * <p>Each rule names the <em>target</em> packages of the plan and, where today's code still lives
 * elsewhere, today's package as well, so the rule holds now and keeps holding while step 1 moves
 * classes. How the layers read today:
 * <ul>
 *   <li>Public: {@code io.rzmq.pekko} (root), {@code api}, {@code security}, and above them
 *       {@code stream} and {@code typed}. Today the root also holds {@code RzmqException},
 *       {@code SocketOptions} and {@code RzmqDispatcher}, {@code api} holds {@code MonitorEvent} and
 *       {@code security} holds the internal {@code ZapClient}/{@code ZapGate}: every internal use of
 *       them counts as an upward import until they move to {@code model} / {@code internal.*}.</li>
 *   <li>Internal: today's {@code context}, {@code socket}, {@code engine}, {@code transport..}
 *       and {@code pipe} are the layers {@code internal.context}, {@code .socket}, {@code .engine},
 *       {@code .transport}, {@code .pipe}. {@code internal.session} has no package today (the
 *       sessions live in {@code transport.tcp}, so their imports of the engine are upward).</li>
 *   <li>{@code model} does not exist yet; its rule holds trivially until it does.</li>
 * </ul>
 *
 * <p>Violations that exist today are frozen in {@code src/test/resources/archunit_store} (see
 * {@code archunit.properties}): a violation that is not in the store fails the build; the store may
 * only shrink, and step 1 of the plan must empty it (docs/architecture.md, "Layers and the
 * architecture test").
 */
@AnalyzeClasses(packages = "io.rzmq.pekko", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String ROOT = "io.rzmq.pekko";

    /**
     * No package cycle anywhere in rzmq-pekko; each package is its own slice. Matched from
     * "io.rzmq.(**)" rather than "io.rzmq.pekko.(**)" so that the root package io.rzmq.pekko is a
     * slice too (the latter leaves it out and so misses Rzmq <-> api.ZContext). Only rzmq-pekko's
     * classes are imported, so no other slice exists.
     */
    private static final ArchRule NO_PACKAGE_CYCLES = freeze(
            slices().matching("io.rzmq.(**)").should().beFreeOfCycles());

    /**
     * api -> (stream, typed) over it -> context -> socket -> session -> engine (+ internal security)
     * -> transport, pipe below all, model at the bottom. A layer may use any layer below it, never
     * one above; dependencies outside rzmq-pekko (Pekko, rzmq-protocol, the JDK) are not considered.
     */
    private static final ArchRule LAYERS = freeze(
            layeredArchitecture().consideringOnlyDependenciesInLayers()
                    .withOptionalLayers(true) // session and model have no classes yet
                    .layer("Stream").definedBy(ROOT + ".stream..")
                    .layer("Typed").definedBy(ROOT + ".typed..")
                    // The public entry points; "io.rzmq.pekko" (no "..") is the root package alone.
                    .layer("Api").definedBy(ROOT, ROOT + ".api..", ROOT + ".security..")
                    .layer("Context").definedBy(ROOT + ".context..", ROOT + ".internal.context..")
                    .layer("Socket").definedBy(ROOT + ".socket..", ROOT + ".internal.socket..")
                    .layer("Session").definedBy(ROOT + ".internal.session..")
                    .layer("Engine").definedBy(ROOT + ".engine..", ROOT + ".internal.engine..",
                            ROOT + ".internal.security..")
                    .layer("Transport").definedBy(ROOT + ".transport..", ROOT + ".internal.transport..")
                    .layer("Pipe").definedBy(ROOT + ".pipe..", ROOT + ".internal.pipe..")
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
                    .whereLayer("Model").mayOnlyBeAccessedByLayers("Stream", "Typed", "Api", "Context",
                            "Socket", "Session", "Engine", "Transport", "Pipe"));

    /** model is the bottom: values every layer uses, importing nothing else from rzmq-pekko. */
    private static final ArchRule MODEL_IMPORTS_NOTHING_FROM_RZMQ_PEKKO = noClasses()
            .that().resideInAPackage(ROOT + ".model..")
            .should().dependOnClassesThat(resideInAPackage(ROOT + "..")
                    .and(resideOutsideOfPackage(ROOT + ".model..")))
            .allowEmptyShould(true); // no model package before step 1

    /**
     * Internal code talks to the public layer through model values and callbacks, never by import.
     * Holds trivially until step 1 creates io.rzmq.pekko.internal; not frozen, so it starts strict.
     */
    private static final ArchRule INTERNAL_DOES_NOT_DEPEND_ON_PUBLIC = noClasses()
            .that().resideInAPackage(ROOT + ".internal..")
            .should().dependOnClassesThat().resideInAnyPackage(ROOT, ROOT + ".api..",
                    ROOT + ".stream..", ROOT + ".typed..", ROOT + ".security..")
            .allowEmptyShould(true);

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
