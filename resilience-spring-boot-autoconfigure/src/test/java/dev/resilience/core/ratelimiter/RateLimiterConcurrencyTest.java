package dev.resilience.core.ratelimiter;

import dev.resilience.core.ManualScheduler;
import dev.resilience.core.ManualTicker;
import dev.resilience.core.RateLimitExceededException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Many threads at once against one limiter never get more than the limit of a period between them. */
class RateLimiterConcurrencyTest {

    private static final int THREADS = 16;
    private static final int CALLS_PER_THREAD = 2_000;
    private static final int LIMIT = 5;

    private final ManualTicker ticker = new ManualTicker();

    @Test
    void sixteenThreadsNeverGetMoreThanTheLimitOfOnePeriod() throws Exception {
        RateLimiter limiter = new LocalRateLimiter("partner", RateLimiterConfig.builder().limitForPeriod(LIMIT)
                .limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(Duration.ZERO).build(), ticker,
                new ManualScheduler(ticker));
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try {
            for (int period = 0; period < 5; period++) {
                assertThat(race(threads, () -> limiter.acquirePermission())).as("period %d", period).isEqualTo(LIMIT);
                ticker.advance(Duration.ofSeconds(1));
            }
        } finally {
            threads.shutdownNow();
        }
        RateLimiterMetrics metrics = limiter.getMetrics();
        assertThat(metrics.permittedCalls()).isEqualTo(5L * LIMIT);
        assertThat(metrics.permittedCalls() + metrics.rejectedCalls()).isEqualTo(5L * THREADS * CALLS_PER_THREAD);
    }

    @Test
    void sixteenThreadsOnEightKeysGetTheLimitOfEachKeyAndNoMore() throws Exception {
        RateLimiter limiter = new LocalRateLimiter("customer", RateLimiterConfig.builder().limitForPeriod(LIMIT)
                .limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(Duration.ZERO).maxKeys(8).build(), ticker,
                new ManualScheduler(ticker));
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        AtomicInteger next = new AtomicInteger();
        try {
            int permitted = race(threads, () -> limiter.acquirePermission("key-" + (next.getAndIncrement() % 8)));
            assertThat(permitted).isEqualTo(8 * LIMIT);
        } finally {
            threads.shutdownNow();
        }
        assertThat(limiter.getMetrics().keys()).isEqualTo(8);
    }

    /** Every thread calls {@code acquire} as fast as it can, all starting together; answers the permits they got. */
    private static int race(ExecutorService threads, Runnable acquire) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger permitted = new AtomicInteger();
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            done.add(threads.submit(() -> {
                start.await();
                for (int i = 0; i < CALLS_PER_THREAD; i++) {
                    try {
                        acquire.run();
                        permitted.incrementAndGet();
                    } catch (RateLimitExceededException refused) {
                        // expected for all but the limit
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> each : done) {
            each.get(30, TimeUnit.SECONDS);
        }
        return permitted.get();
    }
}
