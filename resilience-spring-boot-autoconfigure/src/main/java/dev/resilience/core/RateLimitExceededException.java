package dev.resilience.core;

import java.time.Duration;
import java.util.Objects;

/** The rate limiter had no permit for the call within its timeout. */
public class RateLimitExceededException extends ResilienceException {

    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    /**
     * @param name       the rate limiter's instance name
     * @param retryAfter how long until the limiter may permit a call again (zero or more)
     */
    public RateLimitExceededException(String name, Duration retryAfter) {
        super(name, "RateLimiter '" + name + "' does not permit further calls: retry after "
                + checked(retryAfter).toMillis() + "ms");
        this.retryAfter = retryAfter;
    }

    /** How long until the limiter may permit a call again, as the limiter knew it when it refused this one. */
    public Duration getRetryAfter() {
        return retryAfter;
    }

    private static Duration checked(Duration retryAfter) {
        Objects.requireNonNull(retryAfter, "retryAfter");
        if (retryAfter.isNegative()) {
            throw new IllegalArgumentException("retryAfter must not be negative, was " + retryAfter);
        }
        return retryAfter;
    }
}
