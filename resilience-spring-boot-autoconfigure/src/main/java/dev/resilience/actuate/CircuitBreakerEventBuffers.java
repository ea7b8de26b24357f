package dev.resilience.actuate;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.ToIntFunction;

import dev.resilience.core.circuitbreaker.CircuitBreakerRegistry;

/**
 * One {@link CircuitBreakerEventBuffer} per circuit breaker of a registry: subscribed as each breaker is created
 * (and to those that exist already), dropped when a breaker is removed.
 */
public class CircuitBreakerEventBuffers {

    private final ConcurrentMap<String, CircuitBreakerEventBuffer> buffers = new ConcurrentHashMap<>();

    /**
     * @param registry     the breakers to listen to
     * @param capacityOf   the buffer size of a breaker by its name
     *                     ({@code resilience.circuitbreaker.instances.<name>.event-consumer-buffer-size})
     * @param clock        the time stamped on each event
     */
    public CircuitBreakerEventBuffers(CircuitBreakerRegistry registry, ToIntFunction<String> capacityOf,
            Clock clock) {
        Objects.requireNonNull(capacityOf, "capacityOf");
        Objects.requireNonNull(clock, "clock");
        registry.onAdded(circuitBreaker -> buffers.computeIfAbsent(circuitBreaker.getName(), name -> {
            CircuitBreakerEventBuffer buffer = new CircuitBreakerEventBuffer(capacityOf.applyAsInt(name), clock);
            circuitBreaker.addListener(buffer);
            return buffer;
        }));
        registry.onRemoved(circuitBreaker -> buffers.remove(circuitBreaker.getName()));
    }

    /** The buffer of the breaker of this name, if it exists. */
    public Optional<CircuitBreakerEventBuffer> find(String name) {
        return Optional.ofNullable(buffers.get(name));
    }

    /** Every buffer by breaker name, in name order. */
    public Map<String, CircuitBreakerEventBuffer> all() {
        return new TreeMap<>(buffers);
    }
}
