package dev.resilience.dashboard;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.resilience.core.Policy;
import dev.resilience.core.bulkhead.AdaptiveBulkhead;
import dev.resilience.core.bulkhead.Bulkhead;
import dev.resilience.core.bulkhead.BulkheadConfig;
import dev.resilience.core.bulkhead.BulkheadMetrics;

/**
 * A bulkhead: the calls it let in and turned away (its own counts), the room it has now, and the most calls it held
 * at once at any tick of the window.
 */
final class BulkheadTrack extends Track {

    static final String KIND = "bulkhead";

    static final String PERMITTED = "permitted";
    static final String REJECTED = "rejected";

    private static final List<Counter> COUNTERS = List.of(
            Counter.calls(PERMITTED),
            Counter.rejections(REJECTED, "full: calls are rejected", "room again"));

    private final Bulkhead bulkhead;
    /** The calls inside at each of the last ticks, for the most at once over the window. */
    private final int[] inUse;
    private int head;

    BulkheadTrack(Bulkhead bulkhead, int windowTicks) {
        super(KIND, bulkhead.getName());
        this.bulkhead = bulkhead;
        this.inUse = new int[Math.max(1, windowTicks)];
    }

    @Override
    List<Counter> counters() {
        return COUNTERS;
    }

    @Override
    void readCounters(long[] into) {
        BulkheadMetrics metrics = bulkhead.getMetrics();
        into[0] = metrics.permittedCalls();
        into[1] = metrics.rejectedCalls();
    }

    @Override
    void ticked() {
        inUse[head] = inUse();
        head = (head + 1) % inUse.length;
    }

    @Override
    void gauges(Map<String, Object> into) {
        BulkheadConfig config = bulkhead.getConfig();
        into.put("type", config.type().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        into.put("maxConcurrentCalls", bulkhead.getMaxConcurrentCalls());
        into.put("availableConcurrentCalls", bulkhead.getAvailableConcurrentCalls());
        into.put("inUse", inUse());
        into.put("maxInUse", maxInUse());
        if (config.type() == BulkheadConfig.Type.THREAD_POOL) {
            into.put("queueCapacity", config.queueCapacity());
        }
        if (bulkhead instanceof AdaptiveBulkhead adaptive) {
            into.put("limit", adaptive.getLimit());
            into.put("limitAlgorithm", config.limitAlgorithm().name().toLowerCase(Locale.ROOT));
            into.put("minLimit", config.minLimit());
            into.put("maxLimit", config.maxLimit());
        }
    }

    /** The calls inside now (an adaptive bulkhead may hold more than its limit for a while after it fell). */
    int inUse() {
        if (bulkhead instanceof AdaptiveBulkhead adaptive) {
            return adaptive.getInFlightCalls();
        }
        return Math.max(0, bulkhead.getMaxConcurrentCalls() - bulkhead.getAvailableConcurrentCalls());
    }

    /** The most calls inside at once at any tick of the window. */
    int maxInUse() {
        int max = 0;
        for (int value : inUse) {
            max = Math.max(max, value);
        }
        return max;
    }

    @Override
    Policy policy() {
        return bulkhead;
    }

    Bulkhead bulkhead() {
        return bulkhead;
    }
}
