package dev.resilience.autoconfigure;

import java.time.Clock;

import dev.resilience.actuate.BulkheadsEndpoint;
import dev.resilience.actuate.CircuitBreakerEventBuffers;
import dev.resilience.actuate.CircuitBreakerEventsEndpoint;
import dev.resilience.actuate.CircuitBreakersEndpoint;
import dev.resilience.actuate.CircuitBreakersEndpointWebExtension;
import dev.resilience.actuate.RateLimitersEndpoint;
import dev.resilience.actuate.RetriesEndpoint;
import dev.resilience.actuate.TimeoutsEndpoint;
import dev.resilience.core.bulkhead.BulkheadRegistry;
import dev.resilience.core.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.core.ratelimiter.RateLimiterRegistry;
import dev.resilience.core.retry.RetryRegistry;
import dev.resilience.core.timeout.TimeoutRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The actuator endpoints {@code circuitbreakers}, {@code circuitbreakerevents}, {@code retries},
 * {@code ratelimiters}, {@code timeouts} and {@code bulkheads}, each only when the actuator is on the classpath and
 * the endpoint is available (enabled and exposed).
 */
@AutoConfiguration(after = ResilienceAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
public final class ResilienceEndpointsAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBean(CircuitBreakerRegistry.class)
    static class CircuitBreakerEndpointsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnAvailableEndpoint
        CircuitBreakersEndpoint circuitBreakersEndpoint(CircuitBreakerRegistry registry) {
            return new CircuitBreakersEndpoint(registry);
        }

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnBean(CircuitBreakersEndpoint.class)
        @ConditionalOnAvailableEndpoint(endpoint = CircuitBreakersEndpoint.class, exposure = EndpointExposure.WEB)
        CircuitBreakersEndpointWebExtension circuitBreakersEndpointWebExtension(CircuitBreakersEndpoint endpoint) {
            return new CircuitBreakersEndpointWebExtension(endpoint);
        }

        /**
         * Stamps events with the system clock in UTC; an application that wants another clock (a fixed one in a
         * test) defines this bean itself. No {@link Clock} bean is published, and one the application has is left
         * to the application.
         */
        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnAvailableEndpoint(endpoint = CircuitBreakerEventsEndpoint.class)
        CircuitBreakerEventBuffers circuitBreakerEventBuffers(CircuitBreakerRegistry registry,
                ObjectProvider<CircuitBreakerProperties> properties) {
            CircuitBreakerProperties settings = properties.getIfAvailable();
            return new CircuitBreakerEventBuffers(registry, name -> (settings != null)
                    ? settings.eventConsumerBufferSize(name)
                    : CircuitBreakerProperties.DEFAULT_EVENT_CONSUMER_BUFFER_SIZE, Clock.systemUTC());
        }

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnAvailableEndpoint
        CircuitBreakerEventsEndpoint circuitBreakerEventsEndpoint(CircuitBreakerEventBuffers buffers) {
            return new CircuitBreakerEventsEndpoint(buffers);
        }
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(RetryRegistry.class)
    @ConditionalOnAvailableEndpoint
    RetriesEndpoint retriesEndpoint(RetryRegistry registry) {
        return new RetriesEndpoint(registry);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(RateLimiterRegistry.class)
    @ConditionalOnAvailableEndpoint
    RateLimitersEndpoint rateLimitersEndpoint(RateLimiterRegistry registry) {
        return new RateLimitersEndpoint(registry);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(TimeoutRegistry.class)
    @ConditionalOnAvailableEndpoint
    TimeoutsEndpoint timeoutsEndpoint(TimeoutRegistry registry) {
        return new TimeoutsEndpoint(registry);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(BulkheadRegistry.class)
    @ConditionalOnAvailableEndpoint
    BulkheadsEndpoint bulkheadsEndpoint(BulkheadRegistry registry) {
        return new BulkheadsEndpoint(registry);
    }
}
