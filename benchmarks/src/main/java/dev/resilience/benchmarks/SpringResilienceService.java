package dev.resilience.benchmarks;

import java.util.concurrent.TimeUnit;

import org.springframework.resilience.annotation.ConcurrencyLimit;
import org.springframework.resilience.annotation.Retryable;

/**
 * The same method body under Spring Framework 7's own annotations, with the settings of the other two sides:
 * 3 attempts (2 retries) 500 ms apart, at most 25 concurrent calls and no waiting for a free slot.
 */
public class SpringResilienceService {

    @Retryable(maxRetries = 2, delay = 500, timeUnit = TimeUnit.MILLISECONDS)
    public String retryable() {
        return "ok";
    }

    @ConcurrencyLimit(limit = 25, policy = ConcurrencyLimit.ThrottlePolicy.REJECT)
    public String concurrencyLimit() {
        return "ok";
    }
}
