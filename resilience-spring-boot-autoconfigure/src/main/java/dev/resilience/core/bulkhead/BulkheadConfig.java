package dev.resilience.core.bulkhead;

import dev.resilience.core.InvalidConfigException;
import dev.resilience.core.Validate;

import java.time.Duration;

/**
 * The settings of one bulkhead. A semaphore bulkhead limits the calls in flight on the callers' own
 * threads; a thread-pool bulkhead runs asynchronous methods on a bounded pool of its own; an adaptive
 * bulkhead limits the calls in flight like a semaphore one, to a limit that follows the measured latency.
 *
 * @param type                semaphore (default) or thread pool
 * @param maxConcurrentCalls  semaphore: the calls allowed in at once
 * @param maxWaitDuration     semaphore: how long a call waits for room before it is rejected; 0 rejects at once
 * @param coreThreadPoolSize  thread pool: threads kept alive
 * @param maxThreadPoolSize   thread pool: threads at most
 * @param queueCapacity       thread pool: calls that may wait for a thread (at most {@value #MAX_QUEUE_CAPACITY});
 *                            further ones are rejected
 * @param keepAliveDuration   thread pool: how long a thread above the core size stays idle before it ends
 * @param limitAlgorithm      adaptive: the algorithm that moves the limit (Netflix's concurrency-limits)
 * @param initialLimit        adaptive: the limit before any call was measured, between min and max
 * @param minLimit            adaptive: the limit never falls below this, at least 1
 * @param maxLimit            adaptive: the limit never rises above this, at least min
 */
public record BulkheadConfig(
        Type type,
        int maxConcurrentCalls,
        Duration maxWaitDuration,
        int coreThreadPoolSize,
        int maxThreadPoolSize,
        int queueCapacity,
        Duration keepAliveDuration,
        LimitAlgorithm limitAlgorithm,
        int initialLimit,
        int minLimit,
        int maxLimit) {

    public enum Type { SEMAPHORE, THREAD_POOL, ADAPTIVE }

    /** The algorithms of an adaptive bulkhead, each Netflix concurrency-limits' class of that name. */
    public enum LimitAlgorithm { GRADIENT2, VEGAS, AIMD }

    /** The most calls a thread pool's queue may hold (the queue is allocated at its full size). */
    public static final int MAX_QUEUE_CAPACITY = 1_000_000;

    public BulkheadConfig {
        if (type == null) {
            throw new InvalidConfigException("type", null, "must be semaphore, thread-pool or adaptive");
        }
        if (limitAlgorithm == null) {
            throw new InvalidConfigException("limit-algorithm", null, "must be gradient2, vegas or aimd");
        }
        Validate.atLeast("max-concurrent-calls", maxConcurrentCalls, 1);
        Validate.notNegative("max-wait-duration", maxWaitDuration);
        Validate.atLeast("core-thread-pool-size", coreThreadPoolSize, 1);
        Validate.atLeast("max-thread-pool-size", maxThreadPoolSize, coreThreadPoolSize);
        Validate.atLeast("queue-capacity", queueCapacity, 0);
        Validate.atMost("queue-capacity", queueCapacity, MAX_QUEUE_CAPACITY);
        Validate.notNegative("keep-alive-duration", keepAliveDuration);
        Validate.atLeast("min-limit", minLimit, 1);
        Validate.atLeast("max-limit", maxLimit, minLimit);
        Validate.atLeast("initial-limit", initialLimit, minLimit);
        Validate.atMost("initial-limit", initialLimit, maxLimit);
        if (type == Type.ADAPTIVE && !maxWaitDuration.isZero()) {
            throw new InvalidConfigException("max-wait-duration", maxWaitDuration, "must be 0 for an adaptive "
                    + "bulkhead: it refuses a call over its limit at once, so that no queue in front of the limit hides "
                    + "the latency it follows");
        }
    }

    public static BulkheadConfig ofDefaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public static final class Builder {

        private Type type = Type.SEMAPHORE;
        private int maxConcurrentCalls = 25;
        private Duration maxWaitDuration = Duration.ZERO;
        private int maxThreadPoolSize = Runtime.getRuntime().availableProcessors();
        private int coreThreadPoolSize = Math.max(1, maxThreadPoolSize - 1);
        private int queueCapacity = 100;
        private Duration keepAliveDuration = Duration.ofMillis(20);
        private LimitAlgorithm limitAlgorithm = LimitAlgorithm.GRADIENT2;
        private int initialLimit = 20;
        private int minLimit = 1;
        private int maxLimit = 200;

        private Builder() {
        }

        private Builder(BulkheadConfig config) {
            type = config.type;
            maxConcurrentCalls = config.maxConcurrentCalls;
            maxWaitDuration = config.maxWaitDuration;
            coreThreadPoolSize = config.coreThreadPoolSize;
            maxThreadPoolSize = config.maxThreadPoolSize;
            queueCapacity = config.queueCapacity;
            keepAliveDuration = config.keepAliveDuration;
            limitAlgorithm = config.limitAlgorithm;
            initialLimit = config.initialLimit;
            minLimit = config.minLimit;
            maxLimit = config.maxLimit;
        }

        public Builder type(Type value) { type = value; return this; }
        public Builder maxConcurrentCalls(int value) { maxConcurrentCalls = value; return this; }
        public Builder maxWaitDuration(Duration value) { maxWaitDuration = value; return this; }
        public Builder coreThreadPoolSize(int value) { coreThreadPoolSize = value; return this; }
        public Builder maxThreadPoolSize(int value) { maxThreadPoolSize = value; return this; }
        public Builder queueCapacity(int value) { queueCapacity = value; return this; }
        public Builder keepAliveDuration(Duration value) { keepAliveDuration = value; return this; }
        public Builder limitAlgorithm(LimitAlgorithm value) { limitAlgorithm = value; return this; }
        public Builder initialLimit(int value) { initialLimit = value; return this; }
        public Builder minLimit(int value) { minLimit = value; return this; }
        public Builder maxLimit(int value) { maxLimit = value; return this; }

        public BulkheadConfig build() {
            return new BulkheadConfig(type, maxConcurrentCalls, maxWaitDuration, coreThreadPoolSize,
                    maxThreadPoolSize, queueCapacity, keepAliveDuration, limitAlgorithm, initialLimit, minLimit, maxLimit);
        }
    }
}
