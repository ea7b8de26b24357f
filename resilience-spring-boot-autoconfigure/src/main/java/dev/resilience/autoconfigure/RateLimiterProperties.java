package dev.resilience.autoconfigure;

import dev.resilience.core.InvalidConfigException;
import dev.resilience.core.ratelimiter.RateLimiterConfig;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.Map;

/**
 * The rate limiter settings bound from {@code resilience.ratelimiter.*}. Every key of an instance or template is
 * optional: an instance's own keys override its template's, the template's override the built-in defaults of
 * {@link RateLimiterConfig} (Resilience4j's).
 *
 * @param configs   Named templates of rate limiter settings. The template named 'default' applies to every
 *                  instance that does not pick another one with 'base-config'.
 * @param instances Rate limiter instances by name (the name given in '@RateLimiter', or
 *                  'SimpleClassName.methodName'). An instance's keys override those of its template, which
 *                  'base-config' picks ('default' when not set).
 */
@ConfigurationProperties(value = "resilience.ratelimiter", ignoreUnknownFields = false)
public record RateLimiterProperties(
        Map<String, InstanceProperties> configs,
        Map<String, InstanceProperties> instances)
        implements KindProperties<RateLimiterProperties.InstanceProperties, RateLimiterConfig> {

    private static final Duration MIN_SHARED_PERIOD = Duration.ofMillis(1);

    public RateLimiterProperties {
        configs = KindProperties.copyOf(configs);
        instances = KindProperties.copyOf(instances);
    }

    /**
     * The settings of one rate limiter instance or template. Every key is {@code null} when not set.
     *
     * @param baseConfig         The template (under 'resilience.ratelimiter.configs') this instance starts from.
     *                           Default: 'default' when that template exists.
     * @param limitForPeriod     The calls permitted in each period, at least 1. Default 50.
     * @param limitRefreshPeriod The period, at least 1ns; periods follow each other from the limiter's creation
     *                           (for a key, from its first call). Default 500ns.
     * @param rate               Shorthand for 'limit-for-period' and 'limit-refresh-period' together: N-S, N-M,
     *                           N-H or N-D, N calls a second, a minute, an hour or a day (for example 1000-H). Not
     *                           to be set next to either of those keys on the same instance or template.
     * @param timeoutDuration    How long a call may wait for a permit of a later period before it is refused with
     *                           RateLimitExceededException; 0 refuses at once. Default 5s.
     * @param maxKeys            With '@RateLimiter(key = ...)': the distinct keys held at once, each with its own
     *                           limit, at least 1; beyond it the least recently used key is let go. Default 10000.
     * @param shared             Whether the whole fleet of instances shares one limit (fleet mode,
     *                           'resilience.fleet.enabled=true'): together they admit at most 'limit-for-period' per
     *                           period, counted in Redis on the Redis server's clock; when Redis is down or slow each
     *                           instance goes on with its share of the limit. Needs a 'limit-refresh-period' of at
     *                           least 1ms. Default false.
     */
    public record InstanceProperties(
            String baseConfig,
            Integer limitForPeriod,
            Duration limitRefreshPeriod,
            String rate,
            Duration timeoutDuration,
            Integer maxKeys,
            Boolean shared)
            implements KindProperties.Layer {
    }

    /**
     * {@inheritDoc}
     *
     * <p>{@code rate} stands for both keys in the instance or template that sets it, so layers combine key by key as
     * usual: an instance's {@code rate} wins over a template's {@code limit-for-period}, and an instance's
     * {@code limit-for-period} over the number of a template's {@code rate}.
     */
    @Override
    public RateLimiterConfig toConfig(LayeredSettings<InstanceProperties> settings) {
        RateLimiterConfig.Builder builder = RateLimiterConfig.builder();
        // every InvalidConfigException below names its key, and build() names the property path it came from
        return settings.build(() -> {
            settings.apply("rate", InstanceProperties::rate, RateLimiterConfig.Rate::parse);
            settings.apply("rate", RateLimiterProperties::rateBesideItsKeys, rate -> {
                throw new InvalidConfigException("rate", rate, "must not be set together with limit-for-period or "
                        + "limit-refresh-period on the same instance or template: it sets both");
            });
            settings.apply("limit-for-period", RateLimiterProperties::limitForPeriod, builder::limitForPeriod);
            settings.apply("limit-refresh-period", RateLimiterProperties::limitRefreshPeriod,
                    builder::limitRefreshPeriod);
            settings.apply("timeout-duration", InstanceProperties::timeoutDuration, builder::timeoutDuration);
            settings.apply("max-keys", InstanceProperties::maxKeys, builder::maxKeys);
            settings.apply("shared", InstanceProperties::shared, builder::shared);
            RateLimiterConfig config = builder.build();
            if (config.shared() && config.limitRefreshPeriod().compareTo(MIN_SHARED_PERIOD) < 0) {
                throw new InvalidConfigException("limit-refresh-period", config.limitRefreshPeriod(), "must be at "
                        + "least 1ms for a shared rate limiter (shared: true): its periods are counted on the Redis "
                        + "server's clock, in microseconds, and each permit is a round trip to Redis");
            }
            return config;
        });
    }

    /**
     * Fails the start when an instance or template is shared although no fleet can share it.
     *
     * @param why what is missing, for example {@code needs fleet mode (resilience.fleet.enabled=true)}
     * @throws InvalidResiliencePropertyException naming the first 'shared: true' and where it was set
     */
    void refuseShared(String why) {
        for (String template : configs().keySet()) {
            refuseShared(LayeredSettings.ofTemplate(this, template), why);
        }
        for (String instance : instances().keySet()) {
            refuseShared(LayeredSettings.ofInstance(this, instance), why);
        }
    }

    private static void refuseShared(LayeredSettings<InstanceProperties> settings, String why) {
        if (settings.resolve("shared", InstanceProperties::shared, Boolean.FALSE)) {
            throw settings.rejected("shared", true, why);
        }
    }

    private static String rateBesideItsKeys(InstanceProperties layer) {
        boolean keys = layer.limitForPeriod() != null || layer.limitRefreshPeriod() != null;
        return (layer.rate() != null && keys) ? layer.rate() : null;
    }

    private static Integer limitForPeriod(InstanceProperties layer) {
        RateLimiterConfig.Rate rate = rateOf(layer);
        return (layer.limitForPeriod() != null || rate == null) ? layer.limitForPeriod()
                : Integer.valueOf(rate.permits());
    }

    private static Duration limitRefreshPeriod(InstanceProperties layer) {
        RateLimiterConfig.Rate rate = rateOf(layer);
        return (layer.limitRefreshPeriod() != null || rate == null) ? layer.limitRefreshPeriod() : rate.period();
    }

    /** The layer's rate, or {@code null} when it sets none (a bad one is reported by the key 'rate' first). */
    private static RateLimiterConfig.Rate rateOf(InstanceProperties layer) {
        if (layer.rate() == null) {
            return null;
        }
        try {
            return RateLimiterConfig.Rate.parse(layer.rate());
        }
        catch (InvalidConfigException notARate) {
            return null;
        }
    }
}
