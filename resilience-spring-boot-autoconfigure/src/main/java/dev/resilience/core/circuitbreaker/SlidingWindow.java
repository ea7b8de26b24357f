package dev.resilience.core.circuitbreaker;

import dev.resilience.core.Ticker;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The outcomes a breaker decides from. Recording never holds a lock around a user's call: the count
 * window is lock-free, the time window serialises a few counter updates on its own monitor.
 */
abstract class SlidingWindow {

    /** Fewer calls than the minimum are buffered: no decision yet. */
    static final int NOT_ENOUGH_CALLS = 0;
    /** Both rates are below their thresholds. */
    static final int BELOW_THRESHOLDS = 1;
    /** The failure rate or the slow-call rate is at or above its threshold. */
    static final int ABOVE_THRESHOLDS = 2;

    private final int minimumNumberOfCalls;
    private final float failureRateThreshold;
    private final float slowCallRateThreshold;

    SlidingWindow(int minimumNumberOfCalls, CircuitBreakerConfig config) {
        this.minimumNumberOfCalls = minimumNumberOfCalls;
        this.failureRateThreshold = config.failureRateThreshold();
        this.slowCallRateThreshold = config.slowCallRateThreshold();
    }

    /**
     * Adds one outcome and answers one of {@link #NOT_ENOUGH_CALLS}, {@link #BELOW_THRESHOLDS},
     * {@link #ABOVE_THRESHOLDS}; {@link #NOT_ENOUGH_CALLS} too when the outcome left the counts as they
     * were, since the call that last changed them has been given their verdict.
     */
    abstract int record(boolean failed, boolean slow);

    abstract CircuitBreakerMetrics snapshot(long notPermittedCalls);

    final int verdict(int totalCalls, int failedCalls, int slowCalls) {
        if (totalCalls < minimumNumberOfCalls) {
            return NOT_ENOUGH_CALLS;
        }
        return rate(failedCalls, totalCalls) >= failureRateThreshold
                || rate(slowCalls, totalCalls) >= slowCallRateThreshold
                ? ABOVE_THRESHOLDS
                : BELOW_THRESHOLDS;
    }

    final CircuitBreakerMetrics metrics(int totalCalls, int failedCalls, int slowCalls, long notPermittedCalls) {
        boolean enough = totalCalls >= minimumNumberOfCalls;
        return new CircuitBreakerMetrics(
                enough ? rate(failedCalls, totalCalls) : -1f,
                enough ? rate(slowCalls, totalCalls) : -1f,
                totalCalls, failedCalls, slowCalls, totalCalls - failedCalls, notPermittedCalls);
    }

    private static float rate(int calls, int totalCalls) {
        return calls * 100f / totalCalls;
    }

    static SlidingWindow of(CircuitBreakerConfig config, Ticker ticker) {
        return config.slidingWindowType() == CircuitBreakerConfig.SlidingWindowType.COUNT_BASED
                ? new CountBased(config.slidingWindowSize(), config.effectiveMinimumNumberOfCalls(), config)
                : new TimeBased(config.slidingWindowSize(), config.effectiveMinimumNumberOfCalls(), config, ticker);
    }

    /**
     * The last N calls, in a ring of outcomes, without a lock: a call claims the next slot, swaps its
     * outcome in, and moves the three counters by the difference to the outcome it evicted in one
     * atomic add on a packed word, so every verdict is taken from a consistent set of counts.
     */
    static final class CountBased extends SlidingWindow {

        /** The largest window the packed counters hold. */
        static final int MAX_SIZE = (1 << 21) - 1;

        private static final int RECORDED = 1;
        private static final int FAILED = 2;
        private static final int SLOW = 4;
        private static final int BITS = 21;
        private static final long FIELD = (1L << BITS) - 1;
        private static final long ONE_FAILED = 1L << BITS;
        private static final long ONE_SLOW = 1L << (2 * BITS);

        private final int size;
        private final AtomicIntegerArray outcomes;
        private final AtomicInteger nextSlot = new AtomicInteger();
        /** calls in bits 0..20, failed calls in bits 21..41, slow calls in bits 42..62. */
        private final AtomicLong counts = new AtomicLong();

        CountBased(int size, int minimumNumberOfCalls, CircuitBreakerConfig config) {
            super(minimumNumberOfCalls, config);
            if (size > MAX_SIZE) {
                throw new IllegalArgumentException("a count window holds at most " + MAX_SIZE + " calls");
            }
            this.size = size;
            this.outcomes = new AtomicIntegerArray(size);
        }

        @Override
        int record(boolean failed, boolean slow) {
            int outcome = RECORDED | (failed ? FAILED : 0) | (slow ? SLOW : 0);
            // the sequence wraps after 2^32 calls; a slot then being reused early once is harmless
            int slot = Integer.remainderUnsigned(nextSlot.getAndIncrement(), size);
            int evicted = outcomes.getAndSet(slot, outcome);
            if (outcome == evicted) {
                // the usual case in a steady flow: the counts stay as they are, and the call that last
                // changed them has already acted on their verdict
                return NOT_ENOUGH_CALLS;
            }
            long now = counts.addAndGet(weight(outcome) - weight(evicted));
            return verdict(calls(now), failedCalls(now), slowCalls(now));
        }

        @Override
        CircuitBreakerMetrics snapshot(long notPermittedCalls) {
            long now = counts.get();
            return metrics(calls(now), failedCalls(now), slowCalls(now), notPermittedCalls);
        }

        private static long weight(int outcome) {
            return (outcome & RECORDED) + ((outcome & FAILED) != 0 ? ONE_FAILED : 0) + ((outcome & SLOW) != 0 ? ONE_SLOW : 0);
        }

        private static int calls(long packed) {
            return (int) (packed & FIELD);
        }

        private static int failedCalls(long packed) {
            return (int) ((packed >>> BITS) & FIELD);
        }

        private static int slowCalls(long packed) {
            return (int) ((packed >>> (2 * BITS)) & FIELD);
        }
    }

    /**
     * The calls of the last N seconds, in one bucket per second of the ticker's time. The bucket of
     * second {@code s} lives at index {@code s mod N} and holds calls while {@code s > now - N}. Its
     * methods run under the window's own monitor, which covers a few counter updates only.
     */
    static final class TimeBased extends SlidingWindow {

        private static final long NANOS_PER_SECOND = 1_000_000_000L;

        private final Ticker ticker;
        private final int[] bucketCalls;
        private final int[] bucketFailed;
        private final int[] bucketSlow;
        private long currentSecond;
        private int totalCalls;
        private int failedCalls;
        private int slowCalls;

        TimeBased(int seconds, int minimumNumberOfCalls, CircuitBreakerConfig config, Ticker ticker) {
            super(minimumNumberOfCalls, config);
            this.ticker = ticker;
            this.bucketCalls = new int[seconds];
            this.bucketFailed = new int[seconds];
            this.bucketSlow = new int[seconds];
            this.currentSecond = Math.floorDiv(ticker.nanoTime(), NANOS_PER_SECOND);
        }

        @Override
        synchronized int record(boolean failed, boolean slow) {
            expire(ticker.nanoTime());
            int index = (int) Math.floorMod(currentSecond, (long) bucketCalls.length);
            bucketCalls[index]++;
            totalCalls++;
            if (failed) {
                bucketFailed[index]++;
                failedCalls++;
            }
            if (slow) {
                bucketSlow[index]++;
                slowCalls++;
            }
            return verdict(totalCalls, failedCalls, slowCalls);
        }

        @Override
        synchronized CircuitBreakerMetrics snapshot(long notPermittedCalls) {
            expire(ticker.nanoTime());
            return metrics(totalCalls, failedCalls, slowCalls, notPermittedCalls);
        }

        private void expire(long nowNanos) {
            long second = Math.floorDiv(nowNanos, NANOS_PER_SECOND);
            if (second <= currentSecond) {
                return;
            }
            // the buckets of the seconds now entering the window hold the calls of seconds leaving it
            long entering = Math.min(second - currentSecond, bucketCalls.length);
            for (long step = 1; step <= entering; step++) {
                int index = (int) Math.floorMod(currentSecond + step, (long) bucketCalls.length);
                totalCalls -= bucketCalls[index];
                failedCalls -= bucketFailed[index];
                slowCalls -= bucketSlow[index];
                bucketCalls[index] = 0;
                bucketFailed[index] = 0;
                bucketSlow[index] = 0;
            }
            currentSecond = second;
        }
    }
}
