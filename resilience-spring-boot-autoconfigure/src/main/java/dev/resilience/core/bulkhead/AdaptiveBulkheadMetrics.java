package dev.resilience.core.bulkhead;

/**
 * A snapshot of one adaptive bulkhead's counters and limit.
 *
 * @param permittedCalls           calls let in since the bulkhead was created
 * @param rejectedCalls            calls refused because the calls in flight had reached the limit
 * @param availableConcurrentCalls how many more calls could start right now
 * @param maxConcurrentCalls       the calls allowed at once right now: the current limit
 * @param limit                    the current limit, between min-limit and max-limit
 * @param inFlightCalls            the calls inside now (above the limit for a while after it fell)
 * @param droppedCalls             finished calls the algorithm was told were drops (timeouts)
 * @param ignoredCalls             finished calls the algorithm was not told of (failures other than timeouts)
 */
public record AdaptiveBulkheadMetrics(long permittedCalls, long rejectedCalls, int availableConcurrentCalls,
        int maxConcurrentCalls, int limit, int inFlightCalls, long droppedCalls, long ignoredCalls) {
}
