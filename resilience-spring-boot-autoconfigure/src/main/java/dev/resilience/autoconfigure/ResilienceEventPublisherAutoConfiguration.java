package dev.resilience.autoconfigure;

import dev.resilience.actuate.CircuitBreakerStateChangePublisher;
import dev.resilience.actuate.CircuitBreakerStateChangedEvent;
import dev.resilience.core.circuitbreaker.CircuitBreakerRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;

/**
 * Publishes a {@link CircuitBreakerStateChangedEvent} in the application context for every circuit breaker state
 * transition. Needs nothing but Spring itself.
 */
@AutoConfiguration(after = ResilienceAutoConfiguration.class)
@ConditionalOnBean(CircuitBreakerRegistry.class)
public final class ResilienceEventPublisherAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public CircuitBreakerStateChangePublisher circuitBreakerStateChangePublisher(CircuitBreakerRegistry registry,
            ApplicationEventPublisher publisher) {
        return new CircuitBreakerStateChangePublisher(registry, publisher);
    }
}
