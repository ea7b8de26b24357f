package dev.resilience.reactor;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Reactor is optional: the annotations, the interceptor and the engine never use it, so that they load without it on
 * the class path; its adapter package is registered only by the auto-configuration that guards it with a condition.
 */
class ReactorStaysOutTest {

    @Test
    void theInterceptorAndTheEngineDoNotUseReactor() {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.resilience.annotation", "dev.resilience.aop", "dev.resilience.core");

        noClasses().that().resideOutsideOfPackage("dev.resilience.aop.reactor..")
                .should().dependOnClassesThat().resideInAnyPackage("reactor..", "org.reactivestreams..")
                .because("the interceptor stays free of Reactor: its adapter is registered only when Reactor is there")
                .check(classes);
    }

    @Test
    void onlyOneClassUsesContextPropagation() {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.resilience");

        noClasses().that().doNotHaveFullyQualifiedName("dev.resilience.aop.reactor.ThreadLocals")
                .should().dependOnClassesThat().resideInAnyPackage("io.micrometer.context..")
                .because("the adapter loads its bridge to context-propagation only when the library is there")
                .check(classes);
    }
}
