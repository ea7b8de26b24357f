package dev.resilience.autoconfigure;

import dev.resilience.core.InvalidConfigException;
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
     * @param budget                       The retry budget, which keeps retries from multiplying the load on a
     *                                     partner that is failing. Default: none.
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
            Boolean retryOnCircuitBreakerOpen,
            BudgetProperties budget)
            implements KindProperties.Layer {
    }

    /**
     * The retry budget of one retry instance or template. Each key is {@code null} when not set; an instance's keys
     * override its template's one by one.
     *
     * @param ratio               The retries each call earns: retries add at most this share to the calls of the
     *                            instance (0.1: 10 %), plus 'min-retries-per-second'. From 0.001 to 1. A retry the
     *                            budget refuses is not made: the failure surfaces as when the attempts are exhausted.
     *                            Default: unset, no budget.
     * @param minRetriesPerSecond The retries a second allowed whatever the calls, so that a quiet service can still
     *                            retry; at least 0. Needs 'ratio'. Default 10.
     */
    public record BudgetProperties(Double ratio, Integer minRetriesPerSecond) {
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
        return settings.build(() -> {
            // inside build(), so that the budget's InvalidConfigException names the property path it came from
            Double ratio = settings.resolve("budget.ratio", layer -> budget(layer).ratio(), null);
            Integer minRetriesPerSecond = settings.resolve("budget.min-retries-per-second",
                    layer -> budget(layer).minRetriesPerSecond(), null);
            if (ratio == null && minRetriesPerSecond != null) {
                throw new InvalidConfigException("budget.min-retries-per-second", minRetriesPerSecond,
                        "needs budget.ratio: without a ratio there is no budget, and the reserve would be ignored. "
                                + "Set budget.ratio (for example 0.1), or remove this key");
            }
            if (ratio != null) {
                builder.budget(new RetryConfig.Budget(ratio, minRetriesPerSecond != null ? minRetriesPerSecond
                        : RetryConfig.Budget.DEFAULT_MIN_RETRIES_PER_SECOND));
            }
            return builder.build();
        });
    }

    private static BudgetProperties budget(InstanceProperties layer) {
        return layer.budget() != null ? layer.budget() : NO_BUDGET;
    }

    private static final BudgetProperties NO_BUDGET = new BudgetProperties(null, null);
}
