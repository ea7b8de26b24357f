package dev.resilience.core;

import java.time.Duration;

/** The range checks shared by the config records; each failure names the setting's key. */
public final class Validate {

    private Validate() {
    }

    public static int atLeast(String key, int value, int minimum) {
        if (value < minimum) {
            throw new InvalidConfigException(key, value, "must be at least " + minimum);
        }
        return value;
    }

    public static int atMost(String key, int value, int maximum) {
        if (value > maximum) {
            throw new InvalidConfigException(key, value, "must be at most " + maximum);
        }
        return value;
    }

    public static double between(String key, double value, double minimum, double maximum) {
        if (!(value >= minimum && value <= maximum)) {
            throw new InvalidConfigException(key, value, "must be between " + minimum + " and " + maximum);
        }
        return value;
    }

    public static Duration positive(String key, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new InvalidConfigException(key, value, "must be a positive duration");
        }
        return value;
    }

    public static Duration notNegative(String key, Duration value) {
        if (value == null || value.isNegative()) {
            throw new InvalidConfigException(key, value, "must be zero or a positive duration");
        }
        return value;
    }
}
