package dev.resilience.autoconfigure;

import dev.resilience.core.retry.RetryConfig;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The retry settings bound from {@code resilience.retry.*}. Every key of an instance or template is
 * optional: an instance's own keys override its template's, the template's override the built-in
 * defaults of {@link RetryConfig}.
 *
 * @param configs   Named templates of retry settings. The template named 'default' applies to every
 *                  instance that does not pick another one with 'base-config'.
 * @param instances Retry instances by name (the name given in '@Retry', or 'SimpleClassName.methodName').
 *                  An instance's keys override those of its template, which 'base-config' picks
 *                  ('default' when not set).
 */
@ConfigurationProperties(value = "resilience.retry", ignoreUnknownFields = false)
public record RetryProperties(
        Map<String, InstanceProperties> configs,
        Map<String, InstanceProperties> instances)
        implements KindProperties<RetryProperties.InstanceProperties, RetryConfig> {

    public RetryProperties {
        configs = KindProperties.copyOf(configs);
        instances = KindProperties.copyOf(instances);
    }

    /**
     * The settings of one retry instance or template. Every key is {@code null} when not set.
     *
     * @param baseConfig                   The template (under 'resilience.retry.configs') this instance
     *                                     starts from. Default: 'default' when that template exists.
     * @param maxAttempts                  The attempts in all, the first call included. Default 3.
     * @param waitDuration                 The wait before the first retry. Default 500ms.
     * @param enableExponentialBackoff     Whether each further wait is the previous one times
     *                                     'exponential-backoff-multiplier'. Default false.
     * @param exponentialBackoffMultiplier The factor of exponential backoff, greater than 0. Default 1.5.
     * @param exponentialMaxWaitDuration   The longest wait exponential backoff may reach. Default: unbounded.
     * @param enableRandomizedWait         Whether each wait w is drawn at random from
     *                                     [w*(1-f), w*(1+f)], f being 'randomized-wait-factor'. Default false.
     * @param randomizedWaitFactor         The factor f of randomized waits, at least 0 and less than 1.
     *                                     Default 0.5.
     * @param retryExceptions              The exception classes that are retried, with their subclasses.
     *                                     Default: every exception.
     * @param ignoreExceptions             Exception classes that are never retried; they win over
     *                                     'retry-exceptions'. Default: none.
     * @param retryOnCircuitBreakerOpen    Whether a call rejected by an open circuit breaker inside the
     *                                     retry is retried (otherwise it ends the retry at once). Default false.
     */
    public record InstanceProperties(
            String baseConfig,
            Integer maxAttempts,
            Duration waitDuration,
            Boolean enableExponentialBackoff,
            Double exponentialBackoffMultiplier,
            Duration exponentialMaxWaitDuration,
            Boolean enableRandomizedWait,
            Double randomizedWaitFactor,
            List<Class<? extends Throwable>> retryExceptions,
            List<Class<? extends Throwable>> ignoreExceptions,
            Boolean retryOnCircuitBreakerOpen)
            implements KindProperties.Layer {
    }

    @Override
    public RetryConfig toConfig(LayeredSettings<InstanceProperties> settings) {
        RetryConfig.Builder builder = RetryConfig.builder();
        settings.apply("max-attempts", InstanceProperties::maxAttempts, builder::maxAttempts);
        settings.apply("wait-duration", InstanceProperties::waitDuration, builder::waitDuration);
        settings.apply("enable-exponential-backoff", InstanceProperties::enableExponentialBackoff,
                builder::enableExponentialBackoff);
        settings.apply("exponential-backoff-multiplier", InstanceProperties::exponentialBackoffMultiplier,
                builder::exponentialBackoffMultiplier);
        settings.apply("exponential-max-wait-duration", InstanceProperties::exponentialMaxWaitDuration,
                builder::exponentialMaxWaitDuration);
        settings.apply("enable-randomized-wait", InstanceProperties::enableRandomizedWait,
                builder::enableRandomizedWait);
        settings.apply("randomized-wait-factor", InstanceProperties::randomizedWaitFactor,
                builder::randomizedWaitFactor);
        settings.applyExceptions("retry-exceptions", InstanceProperties::retryExceptions, builder::retryExceptions);
        settings.applyExceptions("ignore-exceptions", InstanceProperties::ignoreExceptions, builder::ignoreExceptions);
        settings.apply("retry-on-circuit-breaker-open", InstanceProperties::retryOnCircuitBreakerOpen,
                builder::retryOnCircuitBreakerOpen);
        return settings.build(builder::build);
    }
}
