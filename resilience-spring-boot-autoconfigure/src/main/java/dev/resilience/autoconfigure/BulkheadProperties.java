package dev.resilience.autoconfigure;

import dev.resilience.core.bulkhead.BulkheadConfig;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.Map;

/**
 * The bulkhead settings bound from {@code resilience.bulkhead.*}. Every key of an instance or template
 * is optional: an instance's own keys override its template's, the template's override the built-in
 * defaults of {@link BulkheadConfig}.
 *
 * @param configs   Named templates of bulkhead settings. The template named 'default' applies to every
 *                  instance that does not pick another one with 'base-config'.
 * @param instances Bulkhead instances by name (the name given in '@Bulkhead', or 'SimpleClassName.methodName').
 *                  An instance's keys override those of its template, which 'base-config' picks
 *                  ('default' when not set).
 */
@ConfigurationProperties(value = "resilience.bulkhead", ignoreUnknownFields = false)
public record BulkheadProperties(
        Map<String, InstanceProperties> configs,
        Map<String, InstanceProperties> instances)
        implements KindProperties<BulkheadProperties.InstanceProperties, BulkheadConfig> {

    public BulkheadProperties {
        configs = KindProperties.copyOf(configs);
        instances = KindProperties.copyOf(instances);
    }

    /**
     * The settings of one bulkhead instance or template. Every key is {@code null} when not set.
     *
     * @param baseConfig         The template (under 'resilience.bulkhead.configs') this instance starts
     *                           from. Default: 'default' when that template exists.
     * @param type               The kind of bulkhead: 'semaphore' (limits the calls in flight on the
     *                           callers' threads) or 'thread-pool' (runs asynchronous methods on a bounded
     *                           pool of its own). Default semaphore.
     * @param maxConcurrentCalls Semaphore: the calls allowed in at once, at least 1. Default 25.
     * @param maxWaitDuration    Semaphore: how long a call waits for room before it is rejected; 0 rejects
     *                           at once. Default 0.
     * @param coreThreadPoolSize Thread pool: the threads kept alive, at least 1. Default: the available
     *                           processors minus one (at least 1), at most 'max-thread-pool-size'.
     * @param maxThreadPoolSize  Thread pool: the threads at most, at least 'core-thread-pool-size'.
     *                           Default: the available processors, at least 'core-thread-pool-size'.
     * @param queueCapacity      Thread pool: the calls that may wait for a thread, 0 to 1000000; further
     *                           ones are rejected. Default 100.
     * @param keepAliveDuration  Thread pool: how long a thread above the core size stays idle before it
     *                           ends. Default 20ms.
     */
    public record InstanceProperties(
            String baseConfig,
            BulkheadConfig.Type type,
            Integer maxConcurrentCalls,
            Duration maxWaitDuration,
            Integer coreThreadPoolSize,
            Integer maxThreadPoolSize,
            Integer queueCapacity,
            Duration keepAliveDuration)
            implements KindProperties.Layer {
    }

    @Override
    public BulkheadConfig toConfig(LayeredSettings<InstanceProperties> settings) {
        BulkheadConfig.Builder builder = BulkheadConfig.builder();
        settings.apply("type", InstanceProperties::type, builder::type);
        settings.apply("max-concurrent-calls", InstanceProperties::maxConcurrentCalls, builder::maxConcurrentCalls);
        settings.apply("max-wait-duration", InstanceProperties::maxWaitDuration, builder::maxWaitDuration);
        // The pool-size defaults depend on the machine: one given size moves the other's default along,
        // so that 'core-thread-pool-size: 8' alone does not fail on a machine with fewer processors.
        BulkheadConfig defaults = BulkheadConfig.ofDefaults();
        Integer core = settings.resolve("core-thread-pool-size", InstanceProperties::coreThreadPoolSize, null);
        Integer max = settings.resolve("max-thread-pool-size", InstanceProperties::maxThreadPoolSize, null);
        builder.coreThreadPoolSize(core != null ? core
                : max != null ? Math.max(1, Math.min(defaults.coreThreadPoolSize(), max)) : defaults.coreThreadPoolSize());
        builder.maxThreadPoolSize(max != null ? max
                : core != null ? Math.max(defaults.maxThreadPoolSize(), core) : defaults.maxThreadPoolSize());
        settings.apply("queue-capacity", InstanceProperties::queueCapacity, builder::queueCapacity);
        settings.apply("keep-alive-duration", InstanceProperties::keepAliveDuration, builder::keepAliveDuration);
        return settings.build(builder::build);
    }
}
