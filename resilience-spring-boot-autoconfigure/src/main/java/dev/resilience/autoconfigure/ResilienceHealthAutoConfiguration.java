package dev.resilience.autoconfigure;

import dev.resilience.actuate.CircuitBreakersHealthIndicator;
import dev.resilience.core.circuitbreaker.CircuitBreakerRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code circuitBreakers} health contributor, when Spring Boot's health support is on the classpath;
 * {@code management.health.circuitbreakers.enabled=false} turns it off.
 */
@AutoConfiguration(after = ResilienceAutoConfiguration.class)
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(CircuitBreakerRegistry.class)
public final class ResilienceHealthAutoConfiguration {

    /**
     * The bean name makes the contributor name: {@code circuitBreakers}. The switch sits on the method so that
     * the class-level condition on the health classes is evaluated first.
     */
    @Bean
    @ConditionalOnEnabledHealthIndicator("circuitbreakers")
    @ConditionalOnMissingBean(name = "circuitBreakersHealthIndicator")
    public CircuitBreakersHealthIndicator circuitBreakersHealthIndicator(CircuitBreakerRegistry registry,
            ObjectProvider<CircuitBreakerProperties> properties) {
        CircuitBreakerProperties settings = properties.getIfAvailable();
        return new CircuitBreakersHealthIndicator(registry,
                name -> settings != null && settings.allowHealthIndicatorToFail(name));
    }
}
