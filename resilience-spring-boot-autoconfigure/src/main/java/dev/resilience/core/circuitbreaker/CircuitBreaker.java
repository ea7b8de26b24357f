package dev.resilience.core.circuitbreaker;

import dev.resilience.core.Policy;
import dev.resilience.core.Scheduler;
import dev.resilience.core.Ticker;

import java.time.Duration;
import java.util.Optional;

/**
 * A circuit breaker: it watches the outcomes of the calls it permits and, when too many fail or are slow, stops
 * permitting calls for a while, then lets a few trial calls through to decide whether to close again.
 *
 * <p>This is the seam everything that reads or drives a breaker depends on (the registry, health, the endpoints,
 * the meters and events), so that where a breaker keeps its state is the implementation's business:
 * {@link LocalCircuitBreaker} keeps it in this process; a breaker shared by a fleet keeps its own window the same
 * way and exchanges its transitions with the other instances.
 */
public interface CircuitBreaker extends Policy {

    /** The states of a circuit breaker. */
    enum State {
        /** Permits every call and records its outcome. */
        CLOSED,
        /** Refuses every call until the wait in the open state has passed. */
        OPEN,
        /** Permits a fixed number of trial calls and decides from them alone, once min(minimum, that number) ended. */
        HALF_OPEN,
        /** Refuses every call until the state is changed by hand. */
        FORCED_OPEN,
        /** Permits every call and records nothing. */
        DISABLED
    }

    /** A breaker whose state lives in this process. */
    static CircuitBreaker of(String name, CircuitBreakerConfig config, Ticker ticker, Scheduler scheduler) {
        return new LocalCircuitBreaker(name, config, ticker, scheduler);
    }

    CircuitBreakerConfig getConfig();

    State getState();

    /** What the current state's window holds now. */
    CircuitBreakerMetrics getMetrics();

    /**
     * How much longer this breaker refuses calls before it admits trial calls: in OPEN, what is left of
     * {@code wait-duration-in-open-state} (zero once it has run out and no call has moved the breaker on yet). Empty in
     * every other state: FORCED_OPEN has no known end, and the other states admit calls or trial calls now. Asked
     * when a refusal is answered (for example as an HTTP {@code Retry-After}), never on the path of a call.
     * An implementation that cannot tell answers empty.
     */
    default Optional<Duration> getRemainingOpenDuration() {
        return Optional.empty();
    }

    void addListener(CircuitBreakerListener listener);

    /**
     * Asks to run one call. A {@code true} answer must be followed by exactly one of {@link #onSuccess},
     * {@link #onError} or {@link #releasePermission()}; a {@code false} answer counts a refused call.
     */
    boolean tryAcquirePermission();

    /** Like {@link #tryAcquirePermission()}, but throws {@link dev.resilience.core.CircuitBreakerOpenException} when refused. */
    void acquirePermission();

    /** Gives back a permission whose call never ran: in HALF_OPEN its trial slot becomes free again. */
    void releasePermission();

    /** Records a permitted call that succeeded after {@code durationNanos}. */
    void onSuccess(long durationNanos);

    /**
     * Records a permitted call that failed after {@code durationNanos}. An exception that the config ignores, and a
     * full bulkhead inside the breaker (unless {@code record-exceptions} names it), count neither as failure nor as
     * success and give their permission back; when {@code record-exceptions} is set, an exception it does not list
     * counts as a success (as in Resilience4j).
     */
    void onError(long durationNanos, Throwable error);

    /**
     * Moves to {@code target} from whatever state the breaker is in, with an empty window. Asking for the current
     * state restarts it (the window is cleared, an OPEN wait starts over) and is reported as a transition from that
     * state to itself.
     */
    void transitionTo(State target);

    /** Back to CLOSED with an empty window; listeners hear of the transition (if any) and of the reset. */
    void reset();

    default void transitionToClosedState() {
        transitionTo(State.CLOSED);
    }

    default void transitionToOpenState() {
        transitionTo(State.OPEN);
    }

    default void transitionToHalfOpenState() {
        transitionTo(State.HALF_OPEN);
    }

    default void transitionToForcedOpenState() {
        transitionTo(State.FORCED_OPEN);
    }

    default void transitionToDisabledState() {
        transitionTo(State.DISABLED);
    }
}
