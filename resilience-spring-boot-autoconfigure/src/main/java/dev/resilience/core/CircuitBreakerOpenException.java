package dev.resilience.core;

/** The circuit breaker did not permit the call (it is OPEN, FORCED_OPEN, or HALF_OPEN with every trial taken). */
public class CircuitBreakerOpenException extends ResilienceException {

    private static final long serialVersionUID = 1L;

    public CircuitBreakerOpenException(String name, String state) {
        super(name, "CircuitBreaker '" + name + "' is " + state + " and does not permit further calls");
    }
}
