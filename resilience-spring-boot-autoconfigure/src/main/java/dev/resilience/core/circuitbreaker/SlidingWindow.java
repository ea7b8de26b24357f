package dev.resilience.core.circuitbreaker;

/**
 * The outcomes a breaker decides from. Every method runs under the window's own monitor: the lock
 * covers a few counter updates, never a user's call.
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

    int totalCalls;
    int failedCalls;
    int slowCalls;

    SlidingWindow(int minimumNumberOfCalls, CircuitBreakerConfig config) {
        this.minimumNumberOfCalls = minimumNumberOfCalls;
        this.failureRateThreshold = config.failureRateThreshold();
        this.slowCallRateThreshold = config.slowCallRateThreshold();
    }

    /** Adds one outcome and answers one of {@link #NOT_ENOUGH_CALLS}, {@link #BELOW_THRESHOLDS}, {@link #ABOVE_THRESHOLDS}. */
    final synchronized int record(boolean failed, boolean slow, long nowNanos) {
        add(failed, slow, nowNanos);
        if (totalCalls < minimumNumberOfCalls) {
            return NOT_ENOUGH_CALLS;
        }
        return rate(failedCalls) >= failureRateThreshold || rate(slowCalls) >= slowCallRateThreshold
                ? ABOVE_THRESHOLDS
                : BELOW_THRESHOLDS;
    }

    final synchronized CircuitBreakerMetrics snapshot(long nowNanos, long notPermittedCalls) {
        expire(nowNanos);
        boolean enough = totalCalls >= minimumNumberOfCalls;
        return new CircuitBreakerMetrics(
                enough ? rate(failedCalls) : -1f,
                enough ? rate(slowCalls) : -1f,
                totalCalls, failedCalls, slowCalls, totalCalls - failedCalls, notPermittedCalls);
    }

    private float rate(int calls) {
        return calls * 100f / totalCalls;
    }

    /** Adds one outcome to the counters; called under the monitor. */
    abstract void add(boolean failed, boolean slow, long nowNanos);

    /** Drops what has aged out of the window by {@code nowNanos}; called under the monitor. */
    abstract void expire(long nowNanos);

    static SlidingWindow of(CircuitBreakerConfig config, long nowNanos) {
        return config.slidingWindowType() == CircuitBreakerConfig.SlidingWindowType.COUNT_BASED
                ? new CountBased(config.slidingWindowSize(), config.effectiveMinimumNumberOfCalls(), config)
                : new TimeBased(config.slidingWindowSize(), config.effectiveMinimumNumberOfCalls(), config, nowNanos);
    }

    /** The last N calls, in a ring buffer of outcomes. */
    static final class CountBased extends SlidingWindow {

        private static final byte FAILED = 1;
        private static final byte SLOW = 2;

        private final byte[] outcomes;
        private int next;

        CountBased(int size, int minimumNumberOfCalls, CircuitBreakerConfig config) {
            super(minimumNumberOfCalls, config);
            this.outcomes = new byte[size];
        }

        @Override
        void add(boolean failed, boolean slow, long nowNanos) {
            if (totalCalls == outcomes.length) {
                byte evicted = outcomes[next];
                failedCalls -= evicted & FAILED;
                slowCalls -= (evicted & SLOW) >> 1;
            } else {
                totalCalls++;
            }
            outcomes[next] = (byte) ((failed ? FAILED : 0) | (slow ? SLOW : 0));
            if (failed) {
                failedCalls++;
            }
            if (slow) {
                slowCalls++;
            }
            next = next + 1 == outcomes.length ? 0 : next + 1;
        }

        @Override
        void expire(long nowNanos) {
            // calls leave a count window only when newer ones push them out
        }
    }

    /**
     * The calls of the last N seconds, in one bucket per second of the ticker's time. The bucket of
     * second {@code s} lives at index {@code s mod N} and holds calls while {@code s > now - N}.
     */
    static final class TimeBased extends SlidingWindow {

        private static final long NANOS_PER_SECOND = 1_000_000_000L;

        private final int[] bucketCalls;
        private final int[] bucketFailed;
        private final int[] bucketSlow;
        private long currentSecond;

        TimeBased(int seconds, int minimumNumberOfCalls, CircuitBreakerConfig config, long nowNanos) {
            super(minimumNumberOfCalls, config);
            this.bucketCalls = new int[seconds];
            this.bucketFailed = new int[seconds];
            this.bucketSlow = new int[seconds];
            this.currentSecond = Math.floorDiv(nowNanos, NANOS_PER_SECOND);
        }

        @Override
        void add(boolean failed, boolean slow, long nowNanos) {
            expire(nowNanos);
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
        }

        @Override
        void expire(long nowNanos) {
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
