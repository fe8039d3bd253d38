package io.orbita;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/** The module structure of the architecture holds (no cycles, no reaching into another module's internals). */
class ModularityTests {

    private final ApplicationModules modules = ApplicationModules.of(OrbitaApplication.class);

    @Test
    void verifiesModuleStructure() {
        modules.verify();
    }

    @Test
    void writesModuleDocumentation() {
        new Documenter(modules).writeDocumentation();
    }
}
