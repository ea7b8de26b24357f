package dev.resilience.actuate;

import java.util.Objects;

import org.springframework.context.ApplicationEventPublisher;

import dev.resilience.core.circuitbreaker.CircuitBreaker;
import dev.resilience.core.circuitbreaker.CircuitBreakerListener;
import dev.resilience.core.circuitbreaker.CircuitBreakerRegistry;

/**
 * Publishes a {@link CircuitBreakerStateChangedEvent} for every state transition of every circuit breaker of a
 * registry, those that exist now and those created later.
 */
public class CircuitBreakerStateChangePublisher implements CircuitBreakerListener {

    private final ApplicationEventPublisher publisher;

    public CircuitBreakerStateChangePublisher(CircuitBreakerRegistry registry, ApplicationEventPublisher publisher) {
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        registry.onAdded(circuitBreaker -> circuitBreaker.addListener(this));
    }

    @Override
    public void onStateTransition(CircuitBreaker circuitBreaker, CircuitBreaker.State from, CircuitBreaker.State to) {
        publisher.publishEvent(new CircuitBreakerStateChangedEvent(circuitBreaker, from, to));
    }
}
