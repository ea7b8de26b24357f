package dev.resilience.core.bulkhead;

import dev.resilience.core.Policy;

/**
 * Limits how many calls of the methods it protects run at once, so that one slow dependency cannot
 * take every thread of the application. A call that finds no room is rejected with a
 * {@link dev.resilience.core.BulkheadFullException} (thrown for a synchronous call, a failed stage for
 * an asynchronous one).
 *
 * <p>Three kinds exist: a {@link SemaphoreBulkhead} counts calls running on the callers' own threads; a
 * {@link ThreadPoolBulkhead} runs asynchronous methods on a bounded pool of its own; an {@link AdaptiveBulkhead}
 * counts calls like a semaphore one, against a limit that follows their latency.
 */
public sealed interface Bulkhead extends Policy permits SemaphoreBulkhead, ThreadPoolBulkhead,
        AdaptiveBulkhead {

    BulkheadConfig getConfig();

    /**
     * The calls allowed at once: max-concurrent-calls (semaphore), max-thread-pool-size (thread pool) or the current
     * limit (adaptive).
     */
    int getMaxConcurrentCalls();

    /** How many more calls could start right now. */
    int getAvailableConcurrentCalls();

    /** A snapshot of the counters and the current room. */
    BulkheadMetrics getMetrics();

    /** Adds a listener that hears of every call from now on. A listener's RuntimeException never breaks a call. */
    void addListener(BulkheadListener listener);

    /** Releases what the bulkhead owns (the thread pool shuts its executor down). Does nothing by default. */
    default void close() {
    }
}
