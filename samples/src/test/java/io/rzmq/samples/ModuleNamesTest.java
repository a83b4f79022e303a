package io.rzmq.samples;

import io.rzmq.pekko.Rzmq;
import io.rzmq.protocol.Msg;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The library jars carry a stable JPMS name (Automatic-Module-Name, issue 13 item 3), read back the way
 * the JDK reads it for the module path. Only meaningful where the build put the jars (not the classes
 * folders) on this module's classpath, as `mvn verify` over the reactor does; skipped otherwise.
 */
class ModuleNamesTest {

    @Test
    void protocolJarIsModuleIoRzmqProtocol() throws Exception {
        assertThat(moduleNameOfJarHolding(Msg.class)).isEqualTo("io.rzmq.protocol");
    }

    @Test
    void pekkoJarIsModuleIoRzmqPekko() throws Exception {
        assertThat(moduleNameOfJarHolding(Rzmq.class)).isEqualTo("io.rzmq.pekko");
    }

    @Test
    void testkitJarIsModuleIoRzmqTestkit() throws Exception {
        assertThat(moduleNameOfJarHolding(io.rzmq.testkit.LibzmqSocket.class)).isEqualTo("io.rzmq.testkit");
    }

    private static String moduleNameOfJarHolding(Class<?> type) throws URISyntaxException {
        Path location = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        Assumptions.assumeTrue(Files.isRegularFile(location),
                () -> type.getName() + " comes from " + location + ", not a jar (run mvn verify over the reactor)");
        // Without Automatic-Module-Name the JDK would derive a name from the file name ("rzmq.pekko").
        return ModuleFinder.of(location).findAll().stream()
                .map(reference -> reference.descriptor())
                .filter(ModuleDescriptor::isAutomatic)
                .map(ModuleDescriptor::name)
                .collect(Collectors.joining(","));
    }
}
