package dev.resilience.actuate;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One thing that happened in a circuit breaker, as kept by a {@link CircuitBreakerEventBuffer} and shown by the
 * {@code circuitbreakerevents} endpoint.
 *
 * @param time    when it happened
 * @param type    what happened
 * @param details what else is known: {@code from} and {@code to} for a transition; {@code exception},
 *                {@code message} and {@code duration} (ISO-8601) for an error or ignored error; {@code state} for a
 *                refused call
 */
public record CircuitBreakerEvent(Instant time, Type type, Map<String, Object> details) {

    /** The kinds of events that are kept. Successful calls are not: the buffer keeps what needs attention. */
    public enum Type {
        /** The breaker changed state ({@code from}, {@code to}). */
        STATE_TRANSITION,
        /** The breaker was reset to CLOSED with an empty window. */
        RESET,
        /** A permitted call failed with an exception that counts as a failure. */
        ERROR,
        /** A permitted call failed with an exception that counts neither as failure nor as success. */
        IGNORED_ERROR,
        /** A call was refused ({@code state}: the state that refused it). */
        NOT_PERMITTED
    }

    public CircuitBreakerEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(type, "type");
        // a message may be null, so no Map.copyOf
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }
}
