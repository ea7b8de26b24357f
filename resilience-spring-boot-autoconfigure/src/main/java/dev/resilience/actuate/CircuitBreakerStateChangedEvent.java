package dev.resilience.actuate;

import java.util.Objects;

import org.springframework.context.ApplicationEvent;

import dev.resilience.core.circuitbreaker.CircuitBreaker;

/**
 * Published in the application context each time a circuit breaker changes state, so that an
 * {@code @EventListener} can react (alert, log, warm a cache). The source is the {@link CircuitBreaker}.
 *
 * <p>The event is published synchronously on the thread whose call caused the transition (or that asked for
 * it through the endpoint), so a listener should be quick or hand the work off.
 */
@SuppressWarnings("serial")
public class CircuitBreakerStateChangedEvent extends ApplicationEvent {

    private final String name;
    private final CircuitBreaker.State from;
    private final CircuitBreaker.State to;

    public CircuitBreakerStateChangedEvent(CircuitBreaker circuitBreaker, CircuitBreaker.State from,
            CircuitBreaker.State to) {
        super(circuitBreaker);
        this.name = circuitBreaker.getName();
        this.from = Objects.requireNonNull(from, "from");
        this.to = Objects.requireNonNull(to, "to");
    }

    /** The instance name of the circuit breaker. */
    public String getName() {
        return name;
    }

    /** The state the breaker left. */
    public CircuitBreaker.State getFrom() {
        return from;
    }

    /** The state the breaker entered (the same as {@link #getFrom()} when a state was restarted by hand). */
    public CircuitBreaker.State getTo() {
        return to;
    }

    @Override
    public String toString() {
        return "CircuitBreakerStateChangedEvent[name=" + name + ", from=" + from + ", to=" + to + "]";
    }
}
