package dev.resilience.autoconfigure;

import java.time.Duration;

/**
 * A {@code resilience.*} setting has a value the starter cannot use. Names the full property path
 * where the value was set (for example
 * {@code resilience.circuitbreaker.instances.partner.failure-rate-threshold}, or the template's path
 * when the value came from a template), the value, and the reason, so that the start-up failure tells
 * the user exactly what to change.
 */
public class InvalidResiliencePropertyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String property;
    private final transient Object value;
    private final String reason;

    /**
     * @param property the full property path, for example {@code resilience.retry.instances.a.max-attempts}
     * @param value    the rejected value as bound (may be {@code null})
     * @param reason   why it is rejected, for example {@code must be at least 1}
     */
    public InvalidResiliencePropertyException(String property, Object value, String reason) {
        this(property, value, reason, null);
    }

    /**
     * @param property the full property path
     * @param value    the rejected value as bound (may be {@code null})
     * @param reason   why it is rejected
     * @param cause    the exception that detected the problem, or {@code null}
     */
    public InvalidResiliencePropertyException(String property, Object value, String reason, Throwable cause) {
        super("Invalid value '" + format(value) + "' for property '" + property + "': " + reason, cause);
        this.property = property;
        this.value = value;
        this.reason = reason;
    }

    /** The full property path, for example {@code resilience.circuitbreaker.configs.default.sliding-window-size}. */
    public String getProperty() {
        return property;
    }

    /** The rejected value as bound (a number, a {@link Duration}, a class, a string), or {@code null}. */
    public Object getValue() {
        return value;
    }

    /** Why the value is rejected, without the property and value, for example {@code must be at least 1}. */
    public String getReason() {
        return reason;
    }

    /**
     * The value the way a user writes it in {@code application.yml}: {@code 0} rather than {@code 0.0},
     * {@code 500ms} rather than {@code PT0.5S}, a class by its name.
     */
    static String format(Object value) {
        if (value instanceof Float || value instanceof Double) {
            double number = ((Number) value).doubleValue();
            if (Double.isFinite(number) && number == Math.rint(number) && Math.abs(number) < 1e15) {
                return Long.toString((long) number);
            }
            return value.toString();
        }
        if (value instanceof Duration duration) {
            return format(duration);
        }
        if (value instanceof Class<?> type) {
            return type.getName();
        }
        return String.valueOf(value);
    }

    private static String format(Duration duration) {
        if (duration.isZero()) {
            return "0s";
        }
        long nanos;
        try {
            nanos = duration.toNanos();
        }
        catch (ArithmeticException tooLong) {
            return duration.toString();
        }
        String[] units = {"d", "h", "m", "s", "ms", "us", "ns"};
        long[] sizes = {86_400_000_000_000L, 3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L, 1L};
        for (int i = 0; i < units.length; i++) {
            if (nanos % sizes[i] == 0) {
                return (nanos / sizes[i]) + units[i];
            }
        }
        return duration.toString();
    }
}
