package dev.resilience.core.timeout;

import dev.resilience.core.Validate;

import java.time.Duration;

/**
 * The settings of one timeout.
 *
 * @param timeoutDuration     how long one attempt may take
 * @param cancelRunningFuture for asynchronous methods, cancel the method's own future at the deadline
 */
public record TimeoutConfig(Duration timeoutDuration, boolean cancelRunningFuture) {

    public TimeoutConfig {
        Validate.positive("timeout-duration", timeoutDuration);
    }

    public static TimeoutConfig ofDefaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().timeoutDuration(timeoutDuration).cancelRunningFuture(cancelRunningFuture);
    }

    public static final class Builder {

        private Duration timeoutDuration = Duration.ofSeconds(1);
        private boolean cancelRunningFuture = true;

        private Builder() {
        }

        public Builder timeoutDuration(Duration value) { timeoutDuration = value; return this; }
        public Builder cancelRunningFuture(boolean value) { cancelRunningFuture = value; return this; }

        public TimeoutConfig build() {
            return new TimeoutConfig(timeoutDuration, cancelRunningFuture);
        }
    }
}
