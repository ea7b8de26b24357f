package dev.resilience.core;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The engine must stay usable without Spring: nothing under dev.resilience.core may touch it. */
class CoreHasNoSpringTest {

    @Test
    void coreDependsOnNothingFromSpringOrAop() {
        JavaClasses core = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.resilience.core");

        noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("org.springframework..", "org.aopalliance..", "io.micrometer..", "reactor..")
                .because("dev.resilience.core is the plain-Java engine")
                .check(core);
    }
}
