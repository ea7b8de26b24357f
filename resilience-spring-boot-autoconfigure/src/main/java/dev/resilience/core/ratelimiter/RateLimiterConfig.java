package dev.resilience.core.ratelimiter;

import dev.resilience.core.Durations;
import dev.resilience.core.InvalidConfigException;
import dev.resilience.core.Validate;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * The settings of one rate limiter: at most {@code limitForPeriod} calls in each period of
 * {@code limitRefreshPeriod}, as Resilience4j's {@code AtomicRateLimiter} counts them (the same keys and defaults).
 *
 * @param limitForPeriod     the permits of each period, at least 1. Default 50
 * @param limitRefreshPeriod the period, at least 1ns; periods follow each other from the limiter's creation (for a
 *                           key, from its first call). Default 500ns
 * @param timeoutDuration    how long a call may wait for a permit; zero refuses at once when none is free. Default 5s
 * @param maxKeys            with a key ({@code @RateLimiter(key = …)}): the distinct keys held at once, at least 1;
 *                           the least recently used key is let go beyond it. Default 10000
 * @param shared             one limit for a whole fleet of instances (fleet mode). Default false
 */
public record RateLimiterConfig(
        int limitForPeriod,
        Duration limitRefreshPeriod,
        Duration timeoutDuration,
        int maxKeys,
        boolean shared) {

    /**
     * The most permits a limiter hands out per nanosecond, about 2.9: the permits are numbered in a {@code long},
     * which must not overflow within {@value #YEARS_OF_PERMITS} years. A faster limit would never refuse anything
     * anyway: no call path takes a permit in a third of a nanosecond.
     */
    static final long YEARS_OF_PERMITS = 100;

    private static final long NANOS_OF_PERMITS = YEARS_OF_PERMITS * 365L * 24 * 3600 * 1_000_000_000L;

    public RateLimiterConfig {
        Validate.atLeast("limit-for-period", limitForPeriod, 1);
        Validate.positive("limit-refresh-period", limitRefreshPeriod);
        Validate.notNegative("timeout-duration", timeoutDuration);
        Validate.atLeast("max-keys", maxKeys, 1);
        long maximum = maxLimitForPeriod(limitRefreshPeriod);
        if (limitForPeriod > maximum) {
            throw new InvalidConfigException("limit-for-period", limitForPeriod, "must be at most " + maximum
                    + " for a limit-refresh-period of " + limitRefreshPeriod + " (about 2.9 permits a nanosecond: "
                    + "no call is that fast, and the limiter's permit count would overflow within "
                    + YEARS_OF_PERMITS + " years)");
        }
    }

    /** The largest limit-for-period whose permits, numbered from 0, fit in a {@code long} for 100 years. */
    static long maxLimitForPeriod(Duration limitRefreshPeriod) {
        long periodNanos = Durations.saturatedNanos(limitRefreshPeriod);
        long periods = NANOS_OF_PERMITS / periodNanos + 2;
        // headroom for the permits reserved by waiting calls beyond the current period
        return (Long.MAX_VALUE - Integer.MAX_VALUE * 4L) / periods;
    }

    public static RateLimiterConfig ofDefaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().limitForPeriod(limitForPeriod).limitRefreshPeriod(limitRefreshPeriod)
                .timeoutDuration(timeoutDuration).maxKeys(maxKeys).shared(shared);
    }

    public static final class Builder {

        private int limitForPeriod = 50;
        private Duration limitRefreshPeriod = Duration.ofNanos(500);
        private Duration timeoutDuration = Duration.ofSeconds(5);
        private int maxKeys = 10_000;
        private boolean shared;

        private Builder() {
        }

        public Builder limitForPeriod(int value) { limitForPeriod = value; return this; }
        public Builder limitRefreshPeriod(Duration value) { limitRefreshPeriod = value; return this; }
        public Builder timeoutDuration(Duration value) { timeoutDuration = value; return this; }
        public Builder maxKeys(int value) { maxKeys = value; return this; }
        public Builder shared(boolean value) { shared = value; return this; }

        /**
         * Sets limit-for-period and limit-refresh-period at once from the shorthand {@code N-S}, {@code N-M},
         * {@code N-H} or {@code N-D}: N permits a second, a minute, an hour or a day ({@code 1000-H}). The unit's
         * letter may be lower case.
         *
         * @throws InvalidConfigException for the key {@code rate}, when {@code value} is not of that form or N is
         *                                not a whole number from 1 to 2147483647
         */
        public Builder rate(String value) {
            Rate rate = Rate.parse(value);
            limitForPeriod = rate.permits();
            limitRefreshPeriod = rate.period();
            return this;
        }

        public RateLimiterConfig build() {
            return new RateLimiterConfig(limitForPeriod, limitRefreshPeriod, timeoutDuration, maxKeys, shared);
        }
    }

    /**
     * The shorthand {@code N-S|M|H|D} (the format of the Go limiter {@code ulule/limiter}): N permits a period.
     *
     * @param permits the permits of each period
     * @param period  a second, a minute, an hour or a day
     */
    public record Rate(int permits, Duration period) {

        private static final String FORM = "must be N-S, N-M, N-H or N-D: N permits a second, a minute, an hour or a "
                + "day, N a whole number from 1 to " + Integer.MAX_VALUE + " (for example 1000-H)";

        /** @throws InvalidConfigException for the key {@code rate} when {@code value} is not of the form */
        public static Rate parse(String value) {
            if (value == null) {
                throw new InvalidConfigException("rate", null, FORM);
            }
            int dash = value.indexOf('-');
            if (dash < 1 || dash != value.length() - 2) {
                throw new InvalidConfigException("rate", value, FORM);
            }
            String number = value.substring(0, dash);
            int permits;
            try {
                permits = number.chars().allMatch(Character::isDigit) ? Integer.parseInt(number) : -1;
            } catch (NumberFormatException tooLarge) {
                permits = -1;
            }
            ChronoUnit unit = switch (value.substring(dash + 1).toUpperCase(Locale.ROOT)) {
                case "S" -> ChronoUnit.SECONDS;
                case "M" -> ChronoUnit.MINUTES;
                case "H" -> ChronoUnit.HOURS;
                case "D" -> ChronoUnit.DAYS;
                default -> null;
            };
            if (permits < 1 || unit == null) {
                throw new InvalidConfigException("rate", value, FORM);
            }
            return new Rate(permits, unit.getDuration());
        }
    }
}
