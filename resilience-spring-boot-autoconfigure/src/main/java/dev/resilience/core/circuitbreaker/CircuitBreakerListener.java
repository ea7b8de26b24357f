package dev.resilience.core.circuitbreaker;

/**
 * Hears what happens in a circuit breaker, for metrics, health and logs. Every method has a no-op
 * default, so a listener overrides only what it needs. The breaker passes primitives, never event
 * objects, so that listening costs no allocation per call.
 *
 * <p>Methods about one call run on the thread that finished (or was refused) the call. State
 * transitions and resets are delivered one at a time, in the order in which they happened; a
 * transition triggered from inside a listener is delivered after the current one. A listener must be
 * quick and thread-safe; a {@link RuntimeException} it throws is logged and otherwise ignored.
 */
public interface CircuitBreakerListener {

    /** The breaker moved from {@code from} to {@code to} (the same state when a state was restarted by hand). */
    default void onStateTransition(CircuitBreaker circuitBreaker, CircuitBreaker.State from, CircuitBreaker.State to) {
    }

    /** A permitted call succeeded; it took {@code durationNanos}. */
    default void onSuccess(CircuitBreaker circuitBreaker, long durationNanos) {
    }

    /** A permitted call failed with an exception that counts as a failure. */
    default void onError(CircuitBreaker circuitBreaker, long durationNanos, Throwable error) {
    }

    /** A permitted call failed with an exception that neither counts as failure nor as success. */
    default void onIgnoredError(CircuitBreaker circuitBreaker, long durationNanos, Throwable error) {
    }

    /** A call was refused. */
    default void onCallNotPermitted(CircuitBreaker circuitBreaker) {
    }

    /** The breaker was reset to CLOSED with an empty window. */
    default void onReset(CircuitBreaker circuitBreaker) {
    }
}
