package dev.resilience.actuate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

import dev.resilience.core.ratelimiter.RateLimiter;
import dev.resilience.core.ratelimiter.RateLimiterConfig;
import dev.resilience.core.ratelimiter.RateLimiterMetrics;
import dev.resilience.core.ratelimiter.RateLimiterRegistry;

/**
 * The {@code ratelimiters} endpoint: every rate limiter with its settings, its permits right now and its counts. A
 * limiter with a key shows how many keys it holds, never the keys themselves (a customer id has no place here).
 */
@Endpoint(id = RateLimitersEndpoint.ID)
public class RateLimitersEndpoint {

    /** The endpoint id. */
    public static final String ID = "ratelimiters";

    private final RateLimiterRegistry registry;

    public RateLimitersEndpoint(RateLimiterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** {@code GET /actuator/ratelimiters}. */
    @ReadOperation
    public RateLimitersDescriptor rateLimiters() {
        Map<String, InstanceDescriptor<RateLimiterMetrics>> all = new TreeMap<>();
        registry.getAll().forEach(limiter -> all.put(limiter.getName(), describe(limiter)));
        return new RateLimitersDescriptor(all);
    }

    /** {@code GET /actuator/ratelimiters/{name}}; 404 when there is none of this name. */
    @ReadOperation
    public @Nullable InstanceDescriptor<RateLimiterMetrics> rateLimiter(@Selector String name) {
        return registry.find(name).map(RateLimitersEndpoint::describe).orElse(null);
    }

    private static InstanceDescriptor<RateLimiterMetrics> describe(RateLimiter limiter) {
        RateLimiterConfig config = limiter.getConfig();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("limitForPeriod", config.limitForPeriod());
        settings.put("limitRefreshPeriod", InstanceDescriptor.duration(config.limitRefreshPeriod()));
        settings.put("timeoutDuration", InstanceDescriptor.duration(config.timeoutDuration()));
        settings.put("maxKeys", config.maxKeys());
        settings.put("shared", config.shared());
        return new InstanceDescriptor<>(settings, limiter.getMetrics());
    }

    /** @param rateLimiters every rate limiter by name, in name order */
    public record RateLimitersDescriptor(Map<String, InstanceDescriptor<RateLimiterMetrics>> rateLimiters) {
    }
}
