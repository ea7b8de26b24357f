package dev.resilience.core.timeout;

/**
 * A snapshot of how the calls through one timeout ended. Each call counts exactly once.
 *
 * @param successfulCalls finished with a value before the deadline
 * @param failedCalls     failed before the deadline (or with an {@link Error}, which is never masked)
 * @param timedOutCalls   ended with {@link dev.resilience.core.TimeoutExceededException}
 */
public record TimeoutMetrics(long successfulCalls, long failedCalls, long timedOutCalls) {
}
