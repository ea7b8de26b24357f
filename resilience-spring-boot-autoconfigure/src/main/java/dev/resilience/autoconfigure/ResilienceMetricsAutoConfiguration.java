package dev.resilience.autoconfigure;

import dev.resilience.actuate.BulkheadMeterBinder;
import dev.resilience.actuate.CircuitBreakerMeterBinder;
import dev.resilience.actuate.RateLimiterMeterBinder;
import dev.resilience.actuate.RetryMeterBinder;
import dev.resilience.actuate.TimeoutMeterBinder;
import dev.resilience.core.bulkhead.BulkheadRegistry;
import dev.resilience.core.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.core.ratelimiter.RateLimiterRegistry;
import dev.resilience.core.retry.RetryRegistry;
import dev.resilience.core.timeout.TimeoutRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The Micrometer meters of the five kinds, as {@link MeterBinder} beans that Spring Boot binds to its meter
 * registry; each meter is registered when its instance is created and removed with it.
 */
@AutoConfiguration(after = ResilienceAutoConfiguration.class)
@ConditionalOnClass(MeterBinder.class)
public final class ResilienceMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(CircuitBreakerRegistry.class)
    public CircuitBreakerMeterBinder circuitBreakerMeterBinder(CircuitBreakerRegistry registry) {
        return new CircuitBreakerMeterBinder(registry);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(RetryRegistry.class)
    public RetryMeterBinder retryMeterBinder(RetryRegistry registry) {
        return new RetryMeterBinder(registry);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(RateLimiterRegistry.class)
    public RateLimiterMeterBinder rateLimiterMeterBinder(RateLimiterRegistry registry) {
        return new RateLimiterMeterBinder(registry);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(TimeoutRegistry.class)
    public TimeoutMeterBinder timeoutMeterBinder(TimeoutRegistry registry) {
        return new TimeoutMeterBinder(registry);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(BulkheadRegistry.class)
    public BulkheadMeterBinder bulkheadMeterBinder(BulkheadRegistry registry) {
        return new BulkheadMeterBinder(registry);
    }
}
