package dev.resilience.core.circuitbreaker;

import dev.resilience.core.InvalidConfigException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The lock-free count window keeps its counters equal to what its ring holds, however callers interleave. */
class CountWindowConcurrencyTest {

    @Test
    void countersMatchTheRingAfterConcurrentRecording() throws Exception {
        CircuitBreakerConfig config = CircuitBreakerConfig.builder()
                .slidingWindowSize(50).minimumNumberOfCalls(50).build();
        SlidingWindow.CountBased window = new SlidingWindow.CountBased(50, 50, config);
        int threads = 8;
        int callsPerThread = 20_000;
        AtomicInteger recorded = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    start.await();
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int i = 0; i < callsPerThread; i++) {
                        int verdict = window.record(random.nextBoolean(), random.nextInt(4) == 0);
                        assertThat(verdict).isBetween(SlidingWindow.NOT_ENOUGH_CALLS, SlidingWindow.ABOVE_THRESHOLDS);
                        recorded.incrementAndGet();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> worker : workers) {
                worker.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(recorded.get()).isEqualTo(threads * callsPerThread);
        // one more call from a single thread: afterwards the counters must equal the ring's contents
        window.record(false, false);
        CircuitBreakerMetrics metrics = window.snapshot(0);
        assertThat(metrics.bufferedCalls()).isEqualTo(50);
        assertThat(metrics.failedCalls()).isBetween(0, 50);
        assertThat(metrics.successfulCalls() + metrics.failedCalls()).isEqualTo(50);
        int failedInRing = 0;
        int slowInRing = 0;
        for (int i = 0; i < 50; i++) {
            CircuitBreakerMetrics before = window.snapshot(0);
            // replacing every slot with a success drains exactly what the ring held
            window.record(false, false);
            CircuitBreakerMetrics after = window.snapshot(0);
            failedInRing += before.failedCalls() - after.failedCalls();
            slowInRing += before.slowCalls() - after.slowCalls();
        }
        assertThat(failedInRing).isEqualTo(metrics.failedCalls());
        assertThat(slowInRing).isEqualTo(metrics.slowCalls());
        assertThat(window.snapshot(0).failedCalls()).isZero();
        assertThat(window.snapshot(0).slowCalls()).isZero();
    }

    @Test
    void aCountWindowLargerThanTheCountersHoldIsRefused() {
        assertThatThrownBy(() -> CircuitBreakerConfig.builder().slidingWindowSize(1_000_001).build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("sliding-window-size must be at most 1000000, was 1000001");
        assertThat(CircuitBreakerConfig.builder().slidingWindowType(CircuitBreakerConfig.SlidingWindowType.TIME_BASED)
                .slidingWindowSize(86_400).build().slidingWindowSize()).isEqualTo(86_400);
    }
}
