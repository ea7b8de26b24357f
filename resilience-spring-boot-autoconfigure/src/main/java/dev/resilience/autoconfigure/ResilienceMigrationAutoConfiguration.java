package dev.resilience.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.context.annotation.Bean;

/**
 * Registers {@link Resilience4jPropertiesCheck} unless Resilience4j's Spring integration (which reads
 * {@code resilience4j.*}: {@code resilience4j-spring6} under the Spring Boot 3 and 4 starters, {@code
 * resilience4j-spring} under the Spring Boot 2 one) is on the class path: an application that still runs
 * Resilience4j next to this starter keeps its settings.
 */
@AutoConfiguration
@ConditionalOnResilienceEnabled
@ConditionalOnMissingClass({"io.github.resilience4j.spring6.circuitbreaker.configure.CircuitBreakerConfigurationProperties",
        "io.github.resilience4j.circuitbreaker.configure.CircuitBreakerConfigurationProperties"})
public final class ResilienceMigrationAutoConfiguration {

    @Bean
    static Resilience4jPropertiesCheck resilience4jPropertiesCheck() {
        return new Resilience4jPropertiesCheck();
    }
}
