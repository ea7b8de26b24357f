package dev.resilience.sample.partner;

import org.springframework.boot.convert.DurationStyle;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Reads the JSON body of {@code PUT /partner/chaos}, such as
 * {@code {"failureRate": 1.0, "status": 500, "latency": "3s"}} or {@code {"latencyPerConcurrentCall": "20ms"}}.
 * Every field is optional; a missing field takes the value of a healthy partner (failure rate 0, status 500, no
 * latency), so a PUT always describes the whole
 * chaos. The body is read as a plain map, rather than bound to a record, so that every mistake (an unknown
 * field, a string where a number belongs, a value out of range) comes back as a 400 naming the field.
 */
final class ChaosRequest {

    private static final Set<String> FIELDS = Set.of("failureRate", "status", "latency",
            "latencyPerConcurrentCall");

    private ChaosRequest() {
    }

    static Chaos parse(Map<String, Object> body) {
        for (String field : body.keySet()) {
            if (!FIELDS.contains(field)) {
                throw new InvalidChaosException(
                        "unknown field '" + field + "': the chaos has failureRate, status, latency and latencyPerConcurrentCall");
            }
        }
        double failureRate = failureRate(body.get("failureRate"));
        int status = status(body.get("status"));
        Duration latency = latency("latency", body.get("latency"));
        Duration perCall = latency("latencyPerConcurrentCall", body.get("latencyPerConcurrentCall"));
        return new Chaos(failureRate, status, latency, perCall);
    }

    private static double failureRate(Object value) {
        if (value == null) {
            return Chaos.NONE.failureRate();
        }
        if (!(value instanceof Number number)) {
            throw new InvalidChaosException("failureRate must be a number between 0 and 1, was " + quoted(value));
        }
        return number.doubleValue();
    }

    private static int status(Object value) {
        if (value == null) {
            return Chaos.NONE.status();
        }
        if (!(value instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())
                || number.doubleValue() < 400 || number.doubleValue() > 599) {
            throw new InvalidChaosException("status must be an HTTP error status from 400 to 599, was "
                    + quoted(value));
        }
        return number.intValue();
    }

    private static Duration latency(String field, Object value) {
        if (value == null) {
            return Chaos.NONE.latency();
        }
        if (value instanceof Number number) {
            if (number.doubleValue() != Math.rint(number.doubleValue())) {
                throw new InvalidChaosException(field + " as a number is whole milliseconds, was " + number);
            }
            return Duration.ofMillis(number.longValue());
        }
        if (value instanceof String text) {
            try {
                return DurationStyle.detectAndParse(text.trim());
            } catch (IllegalArgumentException notADuration) {
                throw new InvalidChaosException(
                        field + " must be a duration such as 500ms, 3s or PT3S, was " + quoted(value));
            }
        }
        throw new InvalidChaosException(field + " must be a duration such as 500ms, 3s or PT3S, was " + quoted(value));
    }

    private static String quoted(Object value) {
        return value instanceof String ? "'" + value + "'" : String.valueOf(value);
    }
}
