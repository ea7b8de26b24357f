package dev.resilience.core.bulkhead;

import dev.resilience.core.BulkheadFullException;
import dev.resilience.core.Call;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Many threads against one bulkhead of 10: the limit holds at every instant and the counts add up. */
@Timeout(120)
class SemaphoreBulkheadConcurrencyTest {

    private static final int THREADS = 200;
    private static final int LIMIT = 10;

    private final AtomicInteger current = new AtomicInteger();
    private final AtomicInteger maxSeen = new AtomicInteger();
    private final AtomicInteger entered = new AtomicInteger();
    private final AtomicInteger rejected = new AtomicInteger();
    private final AtomicInteger otherFailures = new AtomicInteger();

    private void enter() {
        int now = current.incrementAndGet();
        maxSeen.accumulateAndGet(now, Math::max);
        entered.incrementAndGet();
    }

    private void leave() {
        current.decrementAndGet();
    }

    /**
     * Each call that gets in stays inside until every one of the 200 threads has either got in or been
     * rejected, so no permit is freed during the burst: exactly 10 get in, all at the same time, and
     * 190 are rejected (at once with a zero wait, after their wait with a small one).
     */
    @ParameterizedTest(name = "max-wait {0} ms")
    @ValueSource(longs = {0, 20})
    void aBurstOf200CallsLetsExactly10InAtOnce(long maxWaitMillis) throws Exception {
        SemaphoreBulkhead bulkhead = new SemaphoreBulkhead("burst", BulkheadConfig.builder()
                .maxConcurrentCalls(LIMIT).maxWaitDuration(Duration.ofMillis(maxWaitMillis)).build());
        CountingListener listener = new CountingListener();
        bulkhead.addListener(listener);
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch attempted = new CountDownLatch(THREADS);
        Call<Object> call = bulkhead.decorate(context -> {
            enter();
            try {
                attempted.countDown();
                attempted.await();
                return null;
            } finally {
                leave();
            }
        });

        runOnThreads(THREADS, start, () -> {
            try {
                call.invoke(null);
            } catch (BulkheadFullException full) {
                rejected.incrementAndGet();
                attempted.countDown();
            }
        });

        assertThat(otherFailures).hasValue(0);
        assertThat(maxSeen).hasValue(LIMIT);
        assertThat(entered).hasValue(LIMIT);
        assertThat(rejected).hasValue(THREADS - LIMIT);
        assertThat(current).hasValue(0);
        assertThat(bulkhead.getMetrics()).isEqualTo(new BulkheadMetrics(LIMIT, THREADS - LIMIT, LIMIT, LIMIT));
        assertThat(listener.permitted).hasValue(LIMIT);
        assertThat(listener.rejected).hasValue(THREADS - LIMIT);
        assertThat(listener.finished).hasValue(LIMIT);
    }

    /**
     * 200 threads each make many short calls, so permits are taken and freed all the time; with a
     * zero wait some are rejected, with a long one they queue. Either way never more than 10 are
     * inside, every call is either permitted or rejected, and every permit comes back.
     */
    @ParameterizedTest(name = "max-wait {0} ms")
    @ValueSource(longs = {0, 1, 60_000})
    void churningCallsNeverExceedTheLimitAndAllPermitsComeBack(long maxWaitMillis) throws Exception {
        int callsPerThread = 25;
        SemaphoreBulkhead bulkhead = new SemaphoreBulkhead("churn", BulkheadConfig.builder()
                .maxConcurrentCalls(LIMIT).maxWaitDuration(Duration.ofMillis(maxWaitMillis)).build());
        CountingListener listener = new CountingListener();
        bulkhead.addListener(listener);
        CountDownLatch start = new CountDownLatch(1);
        Call<Object> call = bulkhead.decorate(context -> {
            enter();
            try {
                for (int i = 0; i < 200; i++) {
                    Thread.onSpinWait();
                }
                Thread.yield();
                return null;
            } finally {
                leave();
            }
        });

        runOnThreads(THREADS, start, () -> {
            for (int i = 0; i < callsPerThread; i++) {
                try {
                    call.invoke(null);
                } catch (BulkheadFullException full) {
                    rejected.incrementAndGet();
                }
            }
        });

        int total = THREADS * callsPerThread;
        BulkheadMetrics metrics = bulkhead.getMetrics();
        assertThat(otherFailures).hasValue(0);
        assertThat(maxSeen.get()).isBetween(1, LIMIT);
        assertThat(current).hasValue(0);
        assertThat(entered.get() + rejected.get()).isEqualTo(total);
        assertThat(metrics.permittedCalls()).isEqualTo(entered.get());
        assertThat(metrics.rejectedCalls()).isEqualTo(rejected.get());
        assertThat(metrics.availableConcurrentCalls()).isEqualTo(LIMIT);
        assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(LIMIT);
        assertThat(listener.permitted.get()).isEqualTo(entered.get());
        assertThat(listener.finished.get()).isEqualTo(entered.get());
        assertThat(listener.rejected.get()).isEqualTo(rejected.get());
    }

    private void runOnThreads(int threads, CountDownLatch start, ThrowingRunnable body) throws InterruptedException {
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            for (int i = 0; i < threads; i++) {
                executor.execute(() -> {
                    try {
                        start.await();
                        body.run();
                    } catch (Throwable unexpected) {
                        otherFailures.incrementAndGet();
                    }
                });
            }
            start.countDown();
        } finally {
            executor.shutdown();
        }
        assertThat(executor.awaitTermination(60, TimeUnit.SECONDS)).as("all callers finished").isTrue();
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Throwable;
    }
}
