package dev.resilience.core.retry;

/**
 * Hears how the calls through a {@link Retry} go. Every method does nothing by default. Listeners are
 * called on the thread that runs the attempt (for asynchronous calls, possibly a scheduler thread), must
 * be quick, and a {@link RuntimeException} they throw is logged and never breaks the call.
 */
public interface RetryListener {

    /**
     * An attempt failed with a retryable throwable and another attempt follows after the wait.
     *
     * @param attempt   the number of the attempt that failed, 1 for the first call
     * @param waitNanos the wait before the next attempt
     */
    default void onRetry(Retry retry, int attempt, Throwable error, long waitNanos) {
    }

    /** The call succeeded; {@code attempts} counts the first call, so 1 means without retry. */
    default void onSuccess(Retry retry, int attempts) {
    }

    /** The retry gave up on a retryable failure: attempts exhausted, or the wait was interrupted. */
    default void onError(Retry retry, int attempts, Throwable error) {
    }

    /**
     * An attempt failed with a retryable throwable and attempts were left, but the retry budget refused the retry: the
     * failure propagates as it is. Such a call is heard of here only, not in {@link #onError}.
     *
     * @param attempts the attempts made, the first call included
     */
    default void onBudgetExhausted(Retry retry, int attempts, Throwable error) {
    }

    /** An attempt failed with a throwable that is not retried; it propagates as it is. */
    default void onIgnoredError(Retry retry, Throwable error) {
    }
}
