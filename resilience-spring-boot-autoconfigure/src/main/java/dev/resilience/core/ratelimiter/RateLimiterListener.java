package dev.resilience.core.ratelimiter;

/**
 * Hears of the calls through a rate limiter (for metrics, events and logs). Listeners are called on the thread of
 * the event, on the hot path, so they must be quick; a {@link RuntimeException} they throw is logged and ignored,
 * never breaking the call. The limiter passes primitives, never event objects. Every method does nothing unless
 * overridden.
 */
public interface RateLimiterListener {

    /** A call got a permit, after waiting {@code waitedNanos} for it (0: it was free at once). */
    default void onCallPermitted(RateLimiter rateLimiter, long waitedNanos) {
    }

    /** A call was refused: no permit would have been free before {@code retryAfterNanos} from now. */
    default void onCallRejected(RateLimiter rateLimiter, long retryAfterNanos) {
    }
}
