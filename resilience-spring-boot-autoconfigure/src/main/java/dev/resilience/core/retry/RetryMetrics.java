package dev.resilience.core.retry;

/**
 * A snapshot of how the calls through one retry ended. Each call counts exactly once.
 *
 * @param successfulCallsWithoutRetry succeeded on the first attempt
 * @param successfulCallsWithRetry    succeeded after at least one retry
 * @param failedCallsWithRetry        failed after at least one retry (attempts exhausted, a non-retryable
 *                                    failure on a later attempt, or an interrupted wait)
 * @param failedCallsWithoutRetry     failed on the first attempt without being retried: the failure was not
 *                                    retryable, {@code max-attempts} is 1, or the first wait was interrupted
 */
public record RetryMetrics(
        long successfulCallsWithoutRetry,
        long successfulCallsWithRetry,
        long failedCallsWithRetry,
        long failedCallsWithoutRetry) {
}
