package dev.resilience.autoconfigure;

import dev.resilience.core.InvalidConfigException;
import dev.resilience.core.bulkhead.AdaptiveBulkhead;
import dev.resilience.core.bulkhead.BulkheadConfig;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.ClassUtils;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

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
     *                           callers' threads), 'thread-pool' (runs asynchronous methods on a bounded
     *                           pool of its own) or 'adaptive' (limits the calls in flight like a semaphore, to a
     *                           limit that follows their latency; needs Netflix concurrency-limits, which the
     *                           starter brings). Default semaphore.
     * @param maxConcurrentCalls Semaphore: the calls allowed in at once, at least 1. Default 25. Not for an
     *                           adaptive bulkhead (its limits are initial-limit, min-limit and max-limit).
     * @param maxWaitDuration    Semaphore: how long a call waits for room before it is rejected; 0 rejects
     *                           at once. Default 0. Not for an adaptive bulkhead, which refuses at once.
     * @param coreThreadPoolSize Thread pool: the threads kept alive, at least 1. Default: the available
     *                           processors minus one (at least 1), at most 'max-thread-pool-size'.
     * @param maxThreadPoolSize  Thread pool: the threads at most, at least 'core-thread-pool-size'.
     *                           Default: the available processors, at least 'core-thread-pool-size'.
     * @param queueCapacity      Thread pool: the calls that may wait for a thread, 0 to 1000000; further
     *                           ones are rejected. Default 100.
     * @param keepAliveDuration  Thread pool: how long a thread above the core size stays idle before it
     *                           ends. Default 20ms.
     * @param limitAlgorithm     Adaptive: the algorithm that moves the limit, one of Netflix concurrency-limits':
     *                           'gradient2' (follows the ratio of the long-term to the recent round-trip time),
     *                           'vegas' (estimates the queue from the lowest round-trip time seen) or 'aimd'
     *                           (adds one while calls succeed, multiplies by 0.9 on a timeout). Default gradient2.
     * @param initialLimit       Adaptive: the limit before any call was measured, between 'min-limit' and
     *                           'max-limit'. Default 20 (or the nearest of the two when 20 lies outside them).
     * @param minLimit           Adaptive: the limit never falls below this, at least 1. Default 1.
     * @param maxLimit           Adaptive: the limit never rises above this, at least 'min-limit'. Default 200.
     */
    public record InstanceProperties(
            String baseConfig,
            BulkheadConfig.Type type,
            Integer maxConcurrentCalls,
            Duration maxWaitDuration,
            Integer coreThreadPoolSize,
            Integer maxThreadPoolSize,
            Integer queueCapacity,
            Duration keepAliveDuration,
            BulkheadConfig.LimitAlgorithm limitAlgorithm,
            Integer initialLimit,
            Integer minLimit,
            Integer maxLimit)
            implements KindProperties.Layer {
    }

    /** The keys of a semaphore or thread-pool bulkhead, which an adaptive one does not take. */
    private static final Map<String, Function<InstanceProperties, Object>> FIXED_KEYS = Map.of(
            "max-concurrent-calls", InstanceProperties::maxConcurrentCalls,
            "max-wait-duration", InstanceProperties::maxWaitDuration,
            "core-thread-pool-size", InstanceProperties::coreThreadPoolSize,
            "max-thread-pool-size", InstanceProperties::maxThreadPoolSize,
            "queue-capacity", InstanceProperties::queueCapacity,
            "keep-alive-duration", InstanceProperties::keepAliveDuration);

    /** The keys of an adaptive bulkhead, which the others do not take. */
    private static final Map<String, Function<InstanceProperties, Object>> ADAPTIVE_KEYS = Map.of(
            "limit-algorithm", InstanceProperties::limitAlgorithm,
            "initial-limit", InstanceProperties::initialLimit,
            "min-limit", InstanceProperties::minLimit,
            "max-limit", InstanceProperties::maxLimit);

    @Override
    public BulkheadConfig toConfig(LayeredSettings<InstanceProperties> settings) {
        BulkheadConfig.Builder builder = BulkheadConfig.builder();
        settings.apply("type", InstanceProperties::type, builder::type);
        BulkheadConfig.Type type = settings.resolve("type", InstanceProperties::type, BulkheadConfig.Type.SEMAPHORE);
        if (type == BulkheadConfig.Type.ADAPTIVE) {
            return adaptive(settings, builder);
        }
        // A key of the other kind fails where it is set with the type; one inherited from a template of
        // another type is not in force (a 'default' template may size the semaphores beside an adaptive one).
        rejectOwnKeys(settings, ADAPTIVE_KEYS, "is only for an adaptive bulkhead (type: adaptive), and this one is "
                + type.name().toLowerCase(Locale.ROOT).replace('_', '-'));
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

    private static BulkheadConfig adaptive(LayeredSettings<InstanceProperties> settings, BulkheadConfig.Builder builder) {
        rejectOwnKeys(settings, FIXED_KEYS, "is not used by an adaptive bulkhead: it refuses a call over its limit at "
                + "once, and its limit moves between min-limit and max-limit from initial-limit");
        settings.apply("limit-algorithm", InstanceProperties::limitAlgorithm, builder::limitAlgorithm);
        int min = settings.resolve("min-limit", InstanceProperties::minLimit, BulkheadConfig.ofDefaults().minLimit());
        int max = settings.resolve("max-limit", InstanceProperties::maxLimit, BulkheadConfig.ofDefaults().maxLimit());
        // the initial limit's default moves inside the range given, so that 'max-limit: 10' alone is enough
        int initial = Math.max(min, Math.min(max, BulkheadConfig.ofDefaults().initialLimit()));
        builder.minLimit(min).maxLimit(max).initialLimit(initial);
        settings.apply("initial-limit", InstanceProperties::initialLimit, builder::initialLimit);
        return settings.build(() -> {
            if (!AdaptiveBulkhead.isAvailable(ClassUtils.getDefaultClassLoader())) {
                throw new InvalidConfigException("type", BulkheadConfig.Type.ADAPTIVE, "needs Netflix concurrency-limits "
                        + "on the class path: the starter brings it; without the starter, add the dependency "
                        + "com.netflix.concurrency-limits:concurrency-limits-core");
            }
            return builder.build();
        });
    }

    private static void rejectOwnKeys(LayeredSettings<InstanceProperties> settings,
            Map<String, Function<InstanceProperties, Object>> keys, String reason) {
        keys.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(key -> {
            Object value = settings.ownValue(key.getValue());
            if (value != null) {
                throw new InvalidResiliencePropertyException(settings.ownProperty(key.getKey()), value, reason);
            }
        });
    }
}
