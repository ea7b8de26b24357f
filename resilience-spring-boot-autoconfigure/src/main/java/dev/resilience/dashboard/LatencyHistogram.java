package dev.resilience.dashboard;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * Call durations in a fixed set of buckets, for the percentiles of the live view: recording one is a shift, a leading
 * zero count and one atomic increment, with no allocation and no lock, whatever the number of calls.
 *
 * <p>Buckets grow geometrically, four to an octave, from one microsecond (1,024 ns) to about two minutes; a longer
 * call falls into the last one. A percentile is answered as the middle of its bucket, so it is off by at most about
 * 11% of the true value (never beyond the largest duration seen); the mean and the maximum are exact.
 *
 * <p>The counts only ever grow: a reader takes {@linkplain #copyCounts(long[]) copies} at its own pace and subtracts
 * two copies to look at the calls in between, so that any number of windows can be read from one histogram. The
 * maximum is the one exception: {@link #takeMax()} answers the largest duration since its last call, and restarts.
 */
final class LatencyHistogram {

    /** Four sub-buckets per power of two of microseconds: 2 bits of precision. */
    private static final int SUB_BITS = 2;
    private static final int SUBS = 1 << SUB_BITS;
    /** Durations are counted in units of 1,024 ns: one shift instead of a division. */
    private static final int UNIT_SHIFT = 10;
    /** The highest power of two of units that has buckets of its own: 2^27 units, about 137 s. */
    private static final int MAX_EXPONENT = 27;

    /** The number of buckets. */
    static final int BUCKETS = (MAX_EXPONENT - SUB_BITS + 2) * SUBS;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final LongAdder totalNanos = new LongAdder();
    private final LongAccumulator max = new LongAccumulator(Math::max, 0);

    /** Records one call that took {@code nanos} (a negative duration counts as zero). */
    void record(long nanos) {
        long duration = Math.max(0, nanos);
        counts.incrementAndGet(bucket(duration));
        totalNanos.add(duration);
        max.accumulate(duration);
    }

    /** Copies the count of every bucket, in bucket order, into {@code into} (of {@link #BUCKETS} elements). */
    void copyCounts(long[] into) {
        for (int i = 0; i < BUCKETS; i++) {
            into[i] = counts.get(i);
        }
    }

    /** The sum of every recorded duration, in nanoseconds. */
    long totalNanos() {
        return totalNanos.sum();
    }

    /** The largest duration recorded since the previous call (0 when none), in nanoseconds. */
    long takeMax() {
        return max.getThenReset();
    }

    static int bucket(long nanos) {
        long units = nanos >>> UNIT_SHIFT;
        if (units < SUBS) {
            return (int) units;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(units);
        if (exponent > MAX_EXPONENT) {
            return BUCKETS - 1;
        }
        int sub = (int) (units >>> (exponent - SUB_BITS)) & (SUBS - 1);
        return (exponent - SUB_BITS + 1) * SUBS + sub;
    }

    /** The smallest duration, in nanoseconds, that falls into bucket {@code index}. */
    static long lowerBound(int index) {
        if (index < SUBS) {
            return (long) index << UNIT_SHIFT;
        }
        int exponent = index / SUBS + SUB_BITS - 1;
        int sub = index % SUBS;
        return ((long) (SUBS + sub) << (exponent - SUB_BITS)) << UNIT_SHIFT;
    }

    /** The smallest duration of the bucket after {@code index}: where bucket {@code index} ends. */
    static long upperBound(int index) {
        return index == BUCKETS - 1 ? Long.MAX_VALUE : lowerBound(index + 1);
    }

    /**
     * The duration below which {@code percent} of the calls counted in {@code counts} fall (the difference of two
     * copies), in nanoseconds, never more than {@code maxNanos}; 0 when {@code counts} holds no call.
     *
     * @param counts   calls per bucket, as {@link #copyCounts(long[])} gives them, or the difference of two
     * @param total    the sum of {@code counts}
     * @param percent  0 to 100
     * @param maxNanos the largest duration among these calls: answers percentile 100, and caps every other
     */
    static long percentile(long[] counts, long total, double percent, long maxNanos) {
        if (total <= 0) {
            return 0;
        }
        if (percent >= 100) {
            return maxNanos;
        }
        long rank = Math.max(1, (long) Math.ceil(total * percent / 100.0));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                long lower = lowerBound(i);
                long upper = upperBound(i);
                long middle = upper == Long.MAX_VALUE ? lower : lower + (upper - lower) / 2;
                return Math.min(middle, maxNanos);
            }
        }
        return maxNanos;
    }
}
