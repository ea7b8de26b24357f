package dev.resilience.core.ratelimiter;

/**
 * A snapshot of one rate limiter.
 *
 * @param availablePermissions the permits left in the current period of the limiter's own limit (the one that calls
 *                             without a key share); negative when calls wait for permits of later periods. Each key
 *                             has a limit of its own, not counted here
 * @param waitingCalls         the calls waiting for a permit right now, with or without a key
 * @param permittedCalls       the calls that got a permit since the limiter was created
 * @param rejectedCalls        the calls refused since the limiter was created
 * @param keys                 the keys held now (each with its own limit), at most max-keys
 */
public record RateLimiterMetrics(long availablePermissions, int waitingCalls, long permittedCalls, long rejectedCalls,
        int keys) {
}
