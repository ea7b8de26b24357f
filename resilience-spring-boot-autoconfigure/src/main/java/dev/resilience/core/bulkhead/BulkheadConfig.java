package dev.resilience.core.bulkhead;

import dev.resilience.core.InvalidConfigException;
import dev.resilience.core.Validate;

import java.time.Duration;

/**
 * The settings of one bulkhead. A semaphore bulkhead limits the calls in flight on the callers' own
 * threads; a thread-pool bulkhead runs asynchronous methods on a bounded pool of its own.
 *
 * @param type                semaphore (default) or thread pool
 * @param maxConcurrentCalls  semaphore: the calls allowed in at once
 * @param maxWaitDuration     semaphore: how long a call waits for room before it is rejected; 0 rejects at once
 * @param coreThreadPoolSize  thread pool: threads kept alive
 * @param maxThreadPoolSize   thread pool: threads at most
 * @param queueCapacity       thread pool: calls that may wait for a thread (at most {@value #MAX_QUEUE_CAPACITY});
 *                            further ones are rejected
 * @param keepAliveDuration   thread pool: how long a thread above the core size stays idle before it ends
 */
public record BulkheadConfig(
        Type type,
        int maxConcurrentCalls,
        Duration maxWaitDuration,
        int coreThreadPoolSize,
        int maxThreadPoolSize,
        int queueCapacity,
        Duration keepAliveDuration) {

    public enum Type { SEMAPHORE, THREAD_POOL }

    /** The most calls a thread pool's queue may hold (the queue is allocated at its full size). */
    public static final int MAX_QUEUE_CAPACITY = 1_000_000;

    public BulkheadConfig {
        if (type == null) {
            throw new InvalidConfigException("type", null, "must be semaphore or thread-pool");
        }
        Validate.atLeast("max-concurrent-calls", maxConcurrentCalls, 1);
        Validate.notNegative("max-wait-duration", maxWaitDuration);
        Validate.atLeast("core-thread-pool-size", coreThreadPoolSize, 1);
        Validate.atLeast("max-thread-pool-size", maxThreadPoolSize, coreThreadPoolSize);
        Validate.atLeast("queue-capacity", queueCapacity, 0);
        Validate.atMost("queue-capacity", queueCapacity, MAX_QUEUE_CAPACITY);
        Validate.notNegative("keep-alive-duration", keepAliveDuration);
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
        }

        public Builder type(Type value) { type = value; return this; }
        public Builder maxConcurrentCalls(int value) { maxConcurrentCalls = value; return this; }
        public Builder maxWaitDuration(Duration value) { maxWaitDuration = value; return this; }
        public Builder coreThreadPoolSize(int value) { coreThreadPoolSize = value; return this; }
        public Builder maxThreadPoolSize(int value) { maxThreadPoolSize = value; return this; }
        public Builder queueCapacity(int value) { queueCapacity = value; return this; }
        public Builder keepAliveDuration(Duration value) { keepAliveDuration = value; return this; }

        public BulkheadConfig build() {
            return new BulkheadConfig(type, maxConcurrentCalls, maxWaitDuration, coreThreadPoolSize,
                    maxThreadPoolSize, queueCapacity, keepAliveDuration);
        }
    }
}
