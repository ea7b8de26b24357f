package dev.resilience.autoconfigure;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

import java.time.Duration;

/**
 * A {@code resilience.*} setting has a value the starter cannot use. Names the full property path
 * where the value was set (for example
 * {@code resilience.circuitbreaker.instances.partner.failure-rate-threshold}, or the template's path
 * when the value came from a template), the value, and the reason, so that the start-up failure tells
 * the user exactly what to change.
 * <p>
 * It is Spring Boot's {@link InvalidConfigurationPropertyValueException}, its {@link #getName() name} the property in
 * Spring Boot's canonical form, so that whatever knows that exception knows this one.
 * {@link #getValue()} is the value as bound (a number, a {@link Duration}, a class, a string) and {@link #getReason()}
 * the reason without the property and value ({@code must be at least 1}).
 * {@link InvalidResiliencePropertyFailureAnalyzer} adds where the value was set (file and line) to the message.
 */
public class InvalidResiliencePropertyException extends InvalidConfigurationPropertyValueException {

    private static final long serialVersionUID = 1L;

    private final String message;

    /** Of a list property, the index of the bad element; {@code -1} otherwise. */
    private final int element;

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
        this(property, value, reason, cause, -1);
    }

    /** The element {@code element} of the list property {@code property} is rejected. */
    InvalidResiliencePropertyException(String property, Object value, String reason, Throwable cause, int element) {
        super(property, value, reason, cause);
        this.message = "Invalid value '" + format(value) + "' for property '" + property + "': " + reason;
        this.element = element;
    }

    /** {@code Invalid value '0' for property 'resilience.retry.instances.a.max-attempts': must be at least 1}. */
    @Override
    public String getMessage() {
        return message;
    }

    /** The full property path, for example {@code resilience.circuitbreaker.configs.default.sliding-window-size}. */
    public String getProperty() {
        return getName();
    }

    /** Of a list property, the index of the rejected element (where a list set element by element has it); or -1. */
    int getElement() {
        return element;
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
