package dev.resilience.core.bulkhead;

/**
 * A snapshot of one bulkhead's counters.
 *
 * @param permittedCalls           calls let in since the bulkhead was created
 * @param rejectedCalls            calls rejected since the bulkhead was created
 * @param availableConcurrentCalls how many more calls could start right now
 * @param maxConcurrentCalls       the calls allowed at once
 */
public record BulkheadMetrics(long permittedCalls, long rejectedCalls, int availableConcurrentCalls,
        int maxConcurrentCalls) {
}
