package dev.resilience.actuate;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Actuator and Micrometer are optional: only dev.resilience.actuate (and the auto-configuration classes that
 * guard it with conditions) may use them, so that the interceptor works without them on the class path.
 */
class OptionalDependenciesStayOutTest {

    @Test
    void theInterceptorAndAnnotationsUseNeitherMicrometerNorTheActuator() {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.resilience.aop", "dev.resilience.annotation");

        // the one exception: the Reactor adapter's bridge to context-propagation, loaded only when that is there
        noClasses().that().doNotHaveFullyQualifiedName("dev.resilience.aop.reactor.ThreadLocals")
                .should().dependOnClassesThat()
                .resideInAnyPackage("io.micrometer..", "org.springframework.boot.actuate..",
                        "org.springframework.boot.health..", "dev.resilience.actuate..")
                .because("the AOP layer offers ChainDecorator as its only hook; observability plugs into it")
                .check(classes);
    }

    @Test
    void onlyTheAdaptiveBulkheadUsesNetflixConcurrencyLimits() {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.resilience");

        noClasses().that().doNotHaveFullyQualifiedName("dev.resilience.core.bulkhead.NetflixLimits")
                .and().doNotHaveFullyQualifiedName("dev.resilience.core.bulkhead.AdaptiveBulkhead")
                .should().dependOnClassesThat().resideInAnyPackage("com.netflix..")
                .because("the library is optional: nothing else may load it before an adaptive bulkhead is created")
                .check(classes);
    }
}
