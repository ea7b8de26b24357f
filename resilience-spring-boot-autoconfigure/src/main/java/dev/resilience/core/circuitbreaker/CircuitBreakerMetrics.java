package dev.resilience.core.circuitbreaker;

/**
 * A snapshot of what a circuit breaker holds in its current state's window. OPEN, as in Resilience4j, shows the
 * window of the state it replaced (the one that opened it) and goes on counting refused calls from that state's count.
 *
 * @param failureRate       percent of the buffered calls that failed; {@code -1} while fewer than the
 *                          effective minimum number of calls are buffered
 * @param slowCallRate      percent of the buffered calls that were slow; {@code -1} likewise
 * @param bufferedCalls     the calls in the window
 * @param failedCalls       the buffered calls that failed (slow or not)
 * @param slowCalls         the buffered calls that were slow (failed or not)
 * @param successfulCalls   the buffered calls that did not fail (slow or not)
 * @param notPermittedCalls the calls rejected since the breaker entered its current state (OPEN: since it entered the
 *                          state it replaced)
 */
public record CircuitBreakerMetrics(
        float failureRate,
        float slowCallRate,
        int bufferedCalls,
        int failedCalls,
        int slowCalls,
        int successfulCalls,
        long notPermittedCalls) {

    /** The metrics of a state that buffers nothing (OPEN, FORCED_OPEN, DISABLED). */
    static CircuitBreakerMetrics empty(long notPermittedCalls) {
        return new CircuitBreakerMetrics(-1f, -1f, 0, 0, 0, 0, notPermittedCalls);
    }
}
