package dev.resilience.core.retry;

/**
 * A snapshot of how the calls through one retry ended. Each call counts exactly once, as Resilience4j counts it: a
 * failed call by how its last failure was judged, not by how many attempts it took.
 *
 * @param successfulCallsWithoutRetry succeeded on the first attempt
 * @param successfulCallsWithRetry    succeeded after at least one retry
 * @param failedCallsWithRetry        failed with a retryable failure that used up the attempts (with
 *                                    {@code max-attempts} 1 too), or whose wait was interrupted or could not be
 *                                    scheduled
 * @param failedCallsWithoutRetry     failed with a failure that is not retried, on whichever attempt
 * @param failedCallsBudgetExhausted  failed with a retryable failure when attempts were left but the retry budget
 *                                    refused the retry
 */
public record RetryMetrics(
        long successfulCallsWithoutRetry,
        long successfulCallsWithRetry,
        long failedCallsWithRetry,
        long failedCallsWithoutRetry,
        long failedCallsBudgetExhausted) {

    /** The figures of a retry none of whose calls the budget ended (or that has no budget). */
    public RetryMetrics(long successfulCallsWithoutRetry, long successfulCallsWithRetry, long failedCallsWithRetry,
            long failedCallsWithoutRetry) {
        this(successfulCallsWithoutRetry, successfulCallsWithRetry, failedCallsWithRetry, failedCallsWithoutRetry, 0);
    }
}
