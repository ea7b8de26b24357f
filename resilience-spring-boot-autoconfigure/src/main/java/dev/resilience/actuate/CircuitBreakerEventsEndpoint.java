package dev.resilience.actuate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code circuitbreakerevents} endpoint: the most recent events of each circuit breaker (transitions, resets,
 * failures, ignored failures, refused calls; not successes), oldest first, newest last, from a bounded buffer per
 * breaker ({@code resilience.circuitbreaker.instances.<name>.event-consumer-buffer-size}, default 100).
 */
@Endpoint(id = CircuitBreakerEventsEndpoint.ID)
public class CircuitBreakerEventsEndpoint {

    /** The endpoint id. */
    public static final String ID = "circuitbreakerevents";

    private final CircuitBreakerEventBuffers buffers;

    public CircuitBreakerEventsEndpoint(CircuitBreakerEventBuffers buffers) {
        this.buffers = Objects.requireNonNull(buffers, "buffers");
    }

    /** {@code GET /actuator/circuitbreakerevents}: the events of every breaker, by name. */
    @ReadOperation
    public CircuitBreakerEventsDescriptor events() {
        Map<String, List<CircuitBreakerEvent>> all = new LinkedHashMap<>();
        buffers.all().forEach((name, buffer) -> all.put(name, buffer.events()));
        return new CircuitBreakerEventsDescriptor(all);
    }

    /** {@code GET /actuator/circuitbreakerevents/{name}}: the events of one breaker; 404 when there is none. */
    @ReadOperation
    public @Nullable CircuitBreakerInstanceEventsDescriptor eventsOf(@Selector String name) {
        return buffers.find(name).map(buffer -> new CircuitBreakerInstanceEventsDescriptor(name, buffer.events()))
                .orElse(null);
    }

    /**
     * @param circuitBreakerEvents the events of each breaker, newest last, by breaker name in name order
     */
    public record CircuitBreakerEventsDescriptor(Map<String, List<CircuitBreakerEvent>> circuitBreakerEvents) {
    }

    /**
     * @param name   the breaker
     * @param events its events, newest last
     */
    public record CircuitBreakerInstanceEventsDescriptor(String name, List<CircuitBreakerEvent> events) {
    }
}
