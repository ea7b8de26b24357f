package dev.resilience.actuate;

import java.util.List;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

import dev.resilience.core.ratelimiter.RateLimiter;
import dev.resilience.core.ratelimiter.RateLimiterRegistry;

/**
 * The rate limiter meters, tagged {@code name}: {@code resilience.ratelimiter.calls} (a counter tagged {@code kind}
 * {@code permitted} or {@code rejected}), {@code resilience.ratelimiter.available.permissions} and
 * {@code resilience.ratelimiter.waiting.calls} (gauges); all read the limiter's own figures when scraped, so a call
 * pays for its counting once. The permissions are those of the limiter's own limit; keys are never tags.
 */
public class RateLimiterMeterBinder extends InstanceMeterBinder<RateLimiter> {

    public static final String CALLS = "resilience.ratelimiter.calls";
    public static final String AVAILABLE_PERMISSIONS = "resilience.ratelimiter.available.permissions";
    public static final String WAITING_CALLS = "resilience.ratelimiter.waiting.calls";

    public RateLimiterMeterBinder(RateLimiterRegistry registry) {
        super(registry);
    }

    @Override
    protected List<Meter> register(RateLimiter limiter, MeterRegistry registry) {
        String name = limiter.getName();
        return List.of(
                callsCounter(registry, CALLS, limiter, "permitted", "Calls that got a permit",
                        instance -> instance.getMetrics().permittedCalls()),
                callsCounter(registry, CALLS, limiter, "rejected", "Calls refused by the rate limiter",
                        instance -> instance.getMetrics().rejectedCalls()),
                Gauge.builder(AVAILABLE_PERMISSIONS, limiter, instance -> instance.getMetrics().availablePermissions())
                        .description("The permits left in the current period (negative: reserved by waiting calls)")
                        .tag(NAME_TAG, name).strongReference(true).register(registry),
                Gauge.builder(WAITING_CALLS, limiter, instance -> instance.getMetrics().waitingCalls())
                        .description("The calls waiting for a permit")
                        .tag(NAME_TAG, name).strongReference(true).register(registry));
    }
}
