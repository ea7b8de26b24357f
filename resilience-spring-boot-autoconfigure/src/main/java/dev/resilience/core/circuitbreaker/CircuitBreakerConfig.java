package dev.resilience.core.circuitbreaker;

import dev.resilience.core.ExceptionClassifier;
import dev.resilience.core.InvalidConfigException;
import dev.resilience.core.Validate;

import java.time.Duration;
import java.util.List;

/**
 * The settings of one circuit breaker. Immutable and validated on construction: an out-of-range
 * value throws {@link InvalidConfigException} naming the setting's key.
 *
 * @param slidingWindowType         count-based (the last N calls) or time-based (the calls of the last N seconds)
 * @param slidingWindowSize         N: calls (at most {@value #MAX_COUNT_WINDOW_SIZE}), or seconds when time-based
 *                                  (at most {@value #MAX_TIME_WINDOW_SECONDS})
 * @param minimumNumberOfCalls      the calls the window must hold before any rate is computed
 * @param failureRateThreshold      percent, 1..100: opens at or above it
 * @param slowCallDurationThreshold a call that takes longer than this is slow, even if it succeeded
 * @param slowCallRateThreshold     percent, 1..100: opens at or above it
 * @param waitDurationInOpenState   how long OPEN rejects calls before HALF_OPEN may be tried (a call at its very end
 *                                  is still refused)
 * @param permittedNumberOfCallsInHalfOpenState the trial calls HALF_OPEN admits; it decides from them once
 *                                  min(minimum-number-of-calls, this) of them are recorded
 * @param automaticTransitionFromOpenToHalfOpenEnabled a timer moves OPEN to HALF_OPEN, not the next call
 * @param recordExceptions          the exceptions that count as failures; empty means all; when set, any other
 *                                  exception counts as a success (as in Resilience4j)
 * @param ignoreExceptions          exceptions that neither count as failure nor as success
 */
public record CircuitBreakerConfig(
        SlidingWindowType slidingWindowType,
        int slidingWindowSize,
        int minimumNumberOfCalls,
        float failureRateThreshold,
        Duration slowCallDurationThreshold,
        float slowCallRateThreshold,
        Duration waitDurationInOpenState,
        int permittedNumberOfCallsInHalfOpenState,
        boolean automaticTransitionFromOpenToHalfOpenEnabled,
        List<Class<? extends Throwable>> recordExceptions,
        List<Class<? extends Throwable>> ignoreExceptions) {

    public enum SlidingWindowType { COUNT_BASED, TIME_BASED }

    /** The most calls a count window (and the half-open trial window) may hold. */
    public static final int MAX_COUNT_WINDOW_SIZE = 1_000_000;

    /** The most seconds a time window may span: one day (a time window allocates a bucket per second). */
    public static final int MAX_TIME_WINDOW_SECONDS = 86_400;

    public CircuitBreakerConfig {
        if (slidingWindowType == null) {
            throw new InvalidConfigException("sliding-window-type", null, "must be COUNT_BASED or TIME_BASED");
        }
        Validate.atLeast("sliding-window-size", slidingWindowSize, 1);
        if (slidingWindowType == SlidingWindowType.COUNT_BASED) {
            Validate.atMost("sliding-window-size", slidingWindowSize, MAX_COUNT_WINDOW_SIZE);
        }
        else if (slidingWindowSize > MAX_TIME_WINDOW_SECONDS) {
            throw new InvalidConfigException("sliding-window-size", slidingWindowSize, "must be at most "
                    + MAX_TIME_WINDOW_SECONDS + " (seconds: one day) for a TIME_BASED window");
        }
        Validate.atLeast("minimum-number-of-calls", minimumNumberOfCalls, 1);
        Validate.between("failure-rate-threshold", failureRateThreshold, 1, 100);
        Validate.positive("slow-call-duration-threshold", slowCallDurationThreshold);
        Validate.between("slow-call-rate-threshold", slowCallRateThreshold, 1, 100);
        Validate.positive("wait-duration-in-open-state", waitDurationInOpenState);
        Validate.atLeast("permitted-number-of-calls-in-half-open-state", permittedNumberOfCallsInHalfOpenState, 1);
        Validate.atMost("permitted-number-of-calls-in-half-open-state", permittedNumberOfCallsInHalfOpenState,
                MAX_COUNT_WINDOW_SIZE);
        recordExceptions = List.copyOf(recordExceptions);
        ignoreExceptions = List.copyOf(ignoreExceptions);
    }

    public static CircuitBreakerConfig ofDefaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from this config, for overriding some of its values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Which exceptions count as failures, from {@link #recordExceptions} and {@link #ignoreExceptions}; one it does not
     * count is either ignored (an {@code ignore-exceptions} class) or, when {@code record-exceptions} is set and does
     * not list it, a success.
     */
    public ExceptionClassifier failureClassifier() {
        return new ExceptionClassifier(recordExceptions, ignoreExceptions);
    }

    /** The calls the breaker needs before it decides: the minimum, never more than a count window holds. */
    public int effectiveMinimumNumberOfCalls() {
        return slidingWindowType == SlidingWindowType.COUNT_BASED
                ? Math.min(minimumNumberOfCalls, slidingWindowSize)
                : minimumNumberOfCalls;
    }

    public static final class Builder {

        private SlidingWindowType slidingWindowType = SlidingWindowType.COUNT_BASED;
        private int slidingWindowSize = 100;
        private int minimumNumberOfCalls = 100;
        private float failureRateThreshold = 50;
        private Duration slowCallDurationThreshold = Duration.ofSeconds(60);
        private float slowCallRateThreshold = 100;
        private Duration waitDurationInOpenState = Duration.ofSeconds(60);
        private int permittedNumberOfCallsInHalfOpenState = 10;
        private boolean automaticTransitionFromOpenToHalfOpenEnabled;
        private List<Class<? extends Throwable>> recordExceptions = List.of();
        private List<Class<? extends Throwable>> ignoreExceptions = List.of();

        private Builder() {
        }

        private Builder(CircuitBreakerConfig config) {
            slidingWindowType = config.slidingWindowType;
            slidingWindowSize = config.slidingWindowSize;
            minimumNumberOfCalls = config.minimumNumberOfCalls;
            failureRateThreshold = config.failureRateThreshold;
            slowCallDurationThreshold = config.slowCallDurationThreshold;
            slowCallRateThreshold = config.slowCallRateThreshold;
            waitDurationInOpenState = config.waitDurationInOpenState;
            permittedNumberOfCallsInHalfOpenState = config.permittedNumberOfCallsInHalfOpenState;
            automaticTransitionFromOpenToHalfOpenEnabled = config.automaticTransitionFromOpenToHalfOpenEnabled;
            recordExceptions = config.recordExceptions;
            ignoreExceptions = config.ignoreExceptions;
        }

        public Builder slidingWindowType(SlidingWindowType value) { slidingWindowType = value; return this; }
        public Builder slidingWindowSize(int value) { slidingWindowSize = value; return this; }
        public Builder minimumNumberOfCalls(int value) { minimumNumberOfCalls = value; return this; }
        public Builder failureRateThreshold(float value) { failureRateThreshold = value; return this; }
        public Builder slowCallDurationThreshold(Duration value) { slowCallDurationThreshold = value; return this; }
        public Builder slowCallRateThreshold(float value) { slowCallRateThreshold = value; return this; }
        public Builder waitDurationInOpenState(Duration value) { waitDurationInOpenState = value; return this; }
        public Builder permittedNumberOfCallsInHalfOpenState(int value) { permittedNumberOfCallsInHalfOpenState = value; return this; }
        public Builder automaticTransitionFromOpenToHalfOpenEnabled(boolean value) { automaticTransitionFromOpenToHalfOpenEnabled = value; return this; }
        public Builder recordExceptions(List<Class<? extends Throwable>> value) { recordExceptions = value; return this; }
        public Builder ignoreExceptions(List<Class<? extends Throwable>> value) { ignoreExceptions = value; return this; }

        public CircuitBreakerConfig build() {
            return new CircuitBreakerConfig(slidingWindowType, slidingWindowSize, minimumNumberOfCalls,
                    failureRateThreshold, slowCallDurationThreshold, slowCallRateThreshold, waitDurationInOpenState,
                    permittedNumberOfCallsInHalfOpenState, automaticTransitionFromOpenToHalfOpenEnabled,
                    recordExceptions, ignoreExceptions);
        }
    }
}
