package dev.resilience.autoconfigure;

import dev.resilience.core.ratelimiter.RateLimiter;
import dev.resilience.core.ratelimiter.RateLimiterConfig;

/**
 * Makes the rate limiters marked {@code shared: true}: fleet mode's bean, when it is on. Without one, a shared
 * limiter fails the start. Of no Redis type, so that the rate limiter registry can ask for it whether Redis is on the
 * class path or not.
 */
@FunctionalInterface
public interface SharedRateLimiterFactory {

    /** The limiter {@code name}, shared by every instance of the fleet. */
    RateLimiter create(String name, RateLimiterConfig config);
}
