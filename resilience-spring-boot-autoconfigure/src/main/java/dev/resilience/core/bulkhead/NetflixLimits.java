package dev.resilience.core.bulkhead;

import com.netflix.concurrency.limits.Limit;
import com.netflix.concurrency.limits.limit.AIMDLimit;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import com.netflix.concurrency.limits.limit.VegasLimit;

/**
 * The one place that names Netflix concurrency-limits' algorithms, so that the library stays optional: nothing
 * else loads it until an adaptive bulkhead is created. Each algorithm gets our initial, min and max limit and
 * otherwise Netflix's own defaults.
 */
final class NetflixLimits {

    /** A class of the library, to tell whether it is on the class path without loading any of ours that uses it. */
    static final String LIMIT_CLASS = "com.netflix.concurrency.limits.Limit";

    private NetflixLimits() {
    }

    static Limit create(BulkheadConfig config) {
        return switch (config.limitAlgorithm()) {
            case GRADIENT2 -> Gradient2Limit.newBuilder().initialLimit(config.initialLimit())
                    .minLimit(config.minLimit()).maxConcurrency(config.maxLimit()).build();
            // Vegas has no minimum of its own: the bulkhead holds its limit at min-limit from below
            case VEGAS -> VegasLimit.newBuilder().initialLimit(config.initialLimit())
                    .maxConcurrency(config.maxLimit()).build();
            case AIMD -> AIMDLimit.newBuilder().initialLimit(config.initialLimit()).minLimit(config.minLimit())
                    .maxLimit(config.maxLimit()).build();
        };
    }

    /** Whether the library is on the class path of {@code loader}. */
    static boolean isPresent(ClassLoader loader) {
        try {
            Class.forName(LIMIT_CLASS, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError absent) {
            return false;
        }
    }
}
