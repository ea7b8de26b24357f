package dev.resilience.core.retry;

import dev.resilience.core.ExceptionClassifier;
import dev.resilience.core.InvalidConfigException;
import dev.resilience.core.Validate;

import java.time.Duration;
import java.util.List;

/**
 * The settings of one retry. Immutable and validated on construction: an out-of-range value throws
 * {@link InvalidConfigException} naming the setting's key.
 *
 * @param maxAttempts                  attempts in all, the first call included
 * @param waitDuration                 the wait before the first retry
 * @param enableExponentialBackoff     each further wait is the previous one times the multiplier
 * @param exponentialBackoffMultiplier greater than 0 (below 1 the waits shrink), as in Resilience4j; default 1.5
 * @param exponentialMaxWaitDuration   the cap on an exponential wait; {@code null} means unbounded
 * @param enableRandomizedWait         each wait w is drawn uniformly from [w·(1−f), w·(1+f)]
 * @param randomizedWaitFactor         f, in [0, 1)
 * @param retryExceptions              the exceptions that are retried; empty means all
 * @param ignoreExceptions             exceptions never retried; they win over {@code retryExceptions}
 * @param retryOnCircuitBreakerOpen    whether a rejection by an inner breaker is retried (off: it only burns attempts)
 * @param budget                       the retry budget ({@link RetryBudget}); {@code null} means none: every retryable
 *                                     failure is retried up to {@code maxAttempts}
 */
public record RetryConfig(
        int maxAttempts,
        Duration waitDuration,
        boolean enableExponentialBackoff,
        double exponentialBackoffMultiplier,
        Duration exponentialMaxWaitDuration,
        boolean enableRandomizedWait,
        double randomizedWaitFactor,
        List<Class<? extends Throwable>> retryExceptions,
        List<Class<? extends Throwable>> ignoreExceptions,
        boolean retryOnCircuitBreakerOpen,
        Budget budget) {

    /** The lowest ratio: below it the deposits' cap ({@link RetryBudget}) would hold less than one retry. */
    public static final double MIN_BUDGET_RATIO = 0.001;

    public RetryConfig {
        Validate.atLeast("max-attempts", maxAttempts, 1);
        Validate.notNegative("wait-duration", waitDuration);
        if (!(exponentialBackoffMultiplier > 0) || Double.isInfinite(exponentialBackoffMultiplier)) {
            throw new InvalidConfigException("exponential-backoff-multiplier", exponentialBackoffMultiplier,
                    "must be a finite number greater than 0");
        }
        if (exponentialMaxWaitDuration != null) {
            Validate.positive("exponential-max-wait-duration", exponentialMaxWaitDuration);
        }
        if (!(randomizedWaitFactor >= 0 && randomizedWaitFactor < 1)) {
            throw new InvalidConfigException("randomized-wait-factor", randomizedWaitFactor,
                    "must be at least 0 and less than 1");
        }
        retryExceptions = List.copyOf(retryExceptions);
        ignoreExceptions = List.copyOf(ignoreExceptions);
    }

    /**
     * A retry budget's settings: retries add at most {@code ratio} to the calls, plus {@code minRetriesPerSecond}.
     *
     * @param ratio               the retries each call earns, from {@value #MIN_BUDGET_RATIO} to 1 (0.1: one retry
     *                            for every ten calls); above 1 a budget would no longer keep retries below the calls
     * @param minRetriesPerSecond the reserve: retries a second allowed whatever the calls, 0 or more (0: none)
     */
    public record Budget(double ratio, int minRetriesPerSecond) {

        /** Finagle's default reserve. */
        public static final int DEFAULT_MIN_RETRIES_PER_SECOND = 10;

        public Budget {
            if (!(ratio >= MIN_BUDGET_RATIO && ratio <= 1)) {
                throw new InvalidConfigException("budget.ratio", ratio, "must be at least " + MIN_BUDGET_RATIO
                        + " and at most 1 (the retries each call earns; leave it unset for no budget)");
            }
            Validate.atLeast("budget.min-retries-per-second", minRetriesPerSecond, 0);
        }

        /** A budget of {@code ratio} with the default reserve. */
        public static Budget ofRatio(double ratio) {
            return new Budget(ratio, DEFAULT_MIN_RETRIES_PER_SECOND);
        }
    }

    public static RetryConfig ofDefaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Which exceptions are retried, from {@link #retryExceptions} and {@link #ignoreExceptions}. */
    public ExceptionClassifier retryClassifier() {
        return new ExceptionClassifier(retryExceptions, ignoreExceptions);
    }

    public static final class Builder {

        private int maxAttempts = 3;
        private Duration waitDuration = Duration.ofMillis(500);
        private boolean enableExponentialBackoff;
        /** Resilience4j's default. */
        private double exponentialBackoffMultiplier = 1.5;
        private Duration exponentialMaxWaitDuration;
        private boolean enableRandomizedWait;
        private double randomizedWaitFactor = 0.5;
        private List<Class<? extends Throwable>> retryExceptions = List.of();
        private List<Class<? extends Throwable>> ignoreExceptions = List.of();
        private boolean retryOnCircuitBreakerOpen;
        private Budget budget;

        private Builder() {
        }

        private Builder(RetryConfig config) {
            maxAttempts = config.maxAttempts;
            waitDuration = config.waitDuration;
            enableExponentialBackoff = config.enableExponentialBackoff;
            exponentialBackoffMultiplier = config.exponentialBackoffMultiplier;
            exponentialMaxWaitDuration = config.exponentialMaxWaitDuration;
            enableRandomizedWait = config.enableRandomizedWait;
            randomizedWaitFactor = config.randomizedWaitFactor;
            retryExceptions = config.retryExceptions;
            ignoreExceptions = config.ignoreExceptions;
            retryOnCircuitBreakerOpen = config.retryOnCircuitBreakerOpen;
            budget = config.budget;
        }

        public Builder maxAttempts(int value) { maxAttempts = value; return this; }
        public Builder waitDuration(Duration value) { waitDuration = value; return this; }
        public Builder enableExponentialBackoff(boolean value) { enableExponentialBackoff = value; return this; }
        public Builder exponentialBackoffMultiplier(double value) { exponentialBackoffMultiplier = value; return this; }
        public Builder exponentialMaxWaitDuration(Duration value) { exponentialMaxWaitDuration = value; return this; }
        public Builder enableRandomizedWait(boolean value) { enableRandomizedWait = value; return this; }
        public Builder randomizedWaitFactor(double value) { randomizedWaitFactor = value; return this; }
        public Builder retryExceptions(List<Class<? extends Throwable>> value) { retryExceptions = value; return this; }
        public Builder ignoreExceptions(List<Class<? extends Throwable>> value) { ignoreExceptions = value; return this; }
        public Builder retryOnCircuitBreakerOpen(boolean value) { retryOnCircuitBreakerOpen = value; return this; }
        /** {@code null}: no budget. */
        public Builder budget(Budget value) { budget = value; return this; }

        public RetryConfig build() {
            return new RetryConfig(maxAttempts, waitDuration, enableExponentialBackoff, exponentialBackoffMultiplier,
                    exponentialMaxWaitDuration, enableRandomizedWait, randomizedWaitFactor, retryExceptions,
                    ignoreExceptions, retryOnCircuitBreakerOpen, budget);
        }
    }
}
