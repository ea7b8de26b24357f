package dev.resilience.core;

import java.time.Duration;

/** The conversions of configured durations that every policy shares. */
public final class Durations {

    private Durations() {
    }

    /**
     * {@code duration} in nanoseconds, or {@link Long#MAX_VALUE} when it is too long to be counted in a
     * {@code long} (about 292 years): a setting that long means "never" and must not overflow into a
     * negative wait.
     */
    public static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }
}
