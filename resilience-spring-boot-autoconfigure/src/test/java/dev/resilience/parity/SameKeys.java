package dev.resilience.parity;

import dev.resilience.autoconfigure.BulkheadProperties;
import dev.resilience.autoconfigure.CircuitBreakerProperties;
import dev.resilience.autoconfigure.RateLimiterProperties;
import dev.resilience.autoconfigure.RetryProperties;
import io.github.resilience4j.common.CompositeCustomizer;
import io.github.resilience4j.common.bulkhead.configuration.CommonBulkheadConfigurationProperties;
import io.github.resilience4j.common.circuitbreaker.configuration.CommonCircuitBreakerConfigurationProperties;
import io.github.resilience4j.common.ratelimiter.configuration.CommonRateLimiterConfigurationProperties;
import io.github.resilience4j.common.retry.configuration.CommonRetryConfigurationProperties;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The same yml keys bound on both sides, each by its own library's code: ours through our
 * {@code @ConfigurationProperties} records and their {@code configFor}, Resilience4j's through
 * resilience4j-framework-common's property classes (what its Spring Boot starter binds) and their
 * {@code create...Config}, so that Resilience4j's own reading of the keys, defaults and quirks included, is what
 * we are compared with.
 *
 * @param keys the keys of one instance named {@value #NAME}, relative to {@code <prefix>.instances.<name>.}
 *             (for example {@code failure-rate-threshold} → {@code 50}); a key that starts with {@value #TEMPLATE}
 *             goes, without that start, into the {@code default} template instead
 */
record SameKeys(Map<String, String> keys) {

    static final String NAME = "partner";

    /** The start of a key that belongs to the template {@code default}, which applies to every instance. */
    static final String TEMPLATE = "default.";

    SameKeys {
        keys = new LinkedHashMap<>(keys);
    }

    dev.resilience.core.circuitbreaker.CircuitBreakerConfig ourCircuitBreaker() {
        return binder("resilience.circuitbreaker").bindOrCreate("resilience.circuitbreaker", CircuitBreakerProperties.class)
                .configFor(NAME);
    }

    io.github.resilience4j.circuitbreaker.CircuitBreakerConfig theirCircuitBreaker() {
        CommonCircuitBreakerConfigurationProperties properties = binder("resilience4j.circuitbreaker")
                .bindOrCreate("resilience4j.circuitbreaker", CommonCircuitBreakerConfigurationProperties.class);
        return properties.createCircuitBreakerConfig(NAME, properties.findCircuitBreakerProperties(NAME).orElse(null),
                new CompositeCustomizer<>(List.of()));
    }

    dev.resilience.core.retry.RetryConfig ourRetry() {
        return binder("resilience.retry").bindOrCreate("resilience.retry", RetryProperties.class).configFor(NAME);
    }

    io.github.resilience4j.retry.RetryConfig theirRetry() {
        CommonRetryConfigurationProperties properties = binder("resilience4j.retry")
                .bindOrCreate("resilience4j.retry", CommonRetryConfigurationProperties.class);
        return properties.createRetryConfig(NAME, new CompositeCustomizer<>(List.of()));
    }

    dev.resilience.core.bulkhead.BulkheadConfig ourBulkhead() {
        return binder("resilience.bulkhead").bindOrCreate("resilience.bulkhead", BulkheadProperties.class).configFor(NAME);
    }

    io.github.resilience4j.bulkhead.BulkheadConfig theirBulkhead() {
        CommonBulkheadConfigurationProperties properties = binder("resilience4j.bulkhead")
                .bindOrCreate("resilience4j.bulkhead", CommonBulkheadConfigurationProperties.class);
        return properties.createBulkheadConfig(properties.getInstances().get(NAME), new CompositeCustomizer<>(List.of()),
                NAME);
    }

    dev.resilience.core.ratelimiter.RateLimiterConfig ourRateLimiter() {
        return binder("resilience.ratelimiter").bindOrCreate("resilience.ratelimiter", RateLimiterProperties.class)
                .configFor(NAME);
    }

    io.github.resilience4j.ratelimiter.RateLimiterConfig theirRateLimiter() {
        CommonRateLimiterConfigurationProperties properties = binder("resilience4j.ratelimiter")
                .bindOrCreate("resilience4j.ratelimiter", CommonRateLimiterConfigurationProperties.class);
        return properties.createRateLimiterConfig(NAME, new CompositeCustomizer<>(List.of()));
    }

    private Binder binder(String prefix) {
        Map<String, String> source = new LinkedHashMap<>();
        keys.forEach((key, value) -> source.put(key.startsWith(TEMPLATE)
                ? prefix + ".configs.default." + key.substring(TEMPLATE.length())
                : prefix + ".instances." + NAME + "." + key, value));
        return new Binder(new MapConfigurationPropertySource(source));
    }

    @Override
    public String toString() {
        return keys.entrySet().stream().map(entry -> entry.getKey() + ": " + entry.getValue())
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
