package dev.resilience.integration;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Fallback;
import dev.resilience.annotation.RateLimiter;
import dev.resilience.annotation.Retry;
import dev.resilience.core.ManualTicker;
import dev.resilience.core.RateLimitExceededException;
import dev.resilience.core.Ticker;
import dev.resilience.core.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.core.ratelimiter.RateLimiterRegistry;
import dev.resilience.core.retry.RetryRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@code @RateLimiter} with the real auto-configuration: every retry attempt takes a permit, a refusal is not retried
 * and never reaches the breaker, a fallback can answer it, and a call that waits for a permit parks its thread
 * (synchronous) or holds no thread at all (asynchronous).
 */
class RateLimiterIntegrationTest {

    private final ManualTicker ticker = new ManualTicker();

    private final ApplicationContextRunner runner = Support.runner()
            .withBean(Limited.class)
            .withPropertyValues(
                    "resilience.ratelimiter.configs.default.limit-refresh-period=1m",
                    "resilience.ratelimiter.configs.default.timeout-duration=0",
                    "resilience.ratelimiter.instances.attempts.limit-for-period=5",
                    "resilience.ratelimiter.instances.refusals.limit-for-period=1",
                    "resilience.ratelimiter.instances.fallback.limit-for-period=1",
                    "resilience.retry.configs.default.max-attempts=3",
                    "resilience.retry.configs.default.wait-duration=0",
                    "resilience.circuitbreaker.configs.default.minimum-number-of-calls=1",
                    "resilience.circuitbreaker.configs.default.sliding-window-size=1");

    @Test
    void everyRetryAttemptTakesAPermit() {
        runner.withBean(Ticker.class, () -> ticker).run(context -> {
            Limited bean = context.getBean(Limited.class);
            bean.failNext(2);

            assertThat(bean.attempts()).isEqualTo("ok after 3 calls");

            var limiter = context.getBean(RateLimiterRegistry.class).get("attempts");
            assertThat(limiter.getMetrics().permittedCalls()).isEqualTo(3);
            assertThat(limiter.getMetrics().availablePermissions()).isEqualTo(2);
        });
    }

    @Test
    void aRefusalIsNotRetriedAndNeverCountsAsAFailureOfTheBreakerInside() {
        runner.withBean(Ticker.class, () -> ticker).run(context -> {
            Limited bean = context.getBean(Limited.class);
            assertThat(bean.refusals()).isEqualTo("ok after 1 calls");

            assertThatThrownBy(bean::refusals).isInstanceOf(RateLimitExceededException.class)
                    .hasMessage("RateLimiter 'refusals' does not permit further calls: retry after 60000ms");

            assertThat(bean.calls()).isEqualTo(1);
            assertThat(context.getBean(RateLimiterRegistry.class).get("refusals").getMetrics().rejectedCalls())
                    .as("one attempt, not three").isEqualTo(1);
            assertThat(context.getBean(RetryRegistry.class).get("refusals").getMetrics().failedCallsWithoutRetry())
                    .isEqualTo(1);
            var breaker = context.getBean(CircuitBreakerRegistry.class).get("refusals");
            assertThat(breaker.getMetrics().bufferedCalls()).as("only the call that got through").isEqualTo(1);
            assertThat(breaker.getMetrics().failedCalls()).isZero();
        });
    }

    @Test
    void aFallbackCanAnswerARefusal() {
        runner.withBean(Ticker.class, () -> ticker).run(context -> {
            Limited bean = context.getBean(Limited.class);

            assertThat(bean.withFallback()).isEqualTo("hot");
            assertThat(bean.withFallback()).isEqualTo("cold, retry after 60s");
        });
    }

    @Test
    void aSynchronousCallThatWaitsForAPermitParksItsThread() {
        runner.withPropertyValues("resilience.ratelimiter.instances.waiting.limit-for-period=1",
                "resilience.ratelimiter.instances.waiting.limit-refresh-period=2s",
                "resilience.ratelimiter.instances.waiting.timeout-duration=10s").run(context -> {
            Limited bean = context.getBean(Limited.class);
            var limiter = context.getBean(RateLimiterRegistry.class).get("waiting");
            ExecutorService caller = Executors.newSingleThreadExecutor(task -> new Thread(task, "caller"));
            try {
                while (true) {
                    while (limiter.getMetrics().availablePermissions() > 0) {
                        bean.waiting();
                    }
                    AtomicReference<Thread> thread = new AtomicReference<>();
                    Future<String> waiting = caller.submit(() -> {
                        thread.set(Thread.currentThread());
                        return bean.waiting();
                    });
                    await().atMost(Support.PATIENCE)
                            .until(() -> limiter.getMetrics().waitingCalls() == 1 || waiting.isDone());
                    if (waiting.isDone()) {
                        continue; // the period turned over between the two calls: no wait to see, try again
                    }
                    // parked, not spinning: a spinning thread would stay RUNNABLE
                    await().atMost(Support.PATIENCE).until(() -> thread.get().getState() == Thread.State.TIMED_WAITING);
                    assertThat(waiting.get(Support.PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).startsWith("ok");
                    assertThat(limiter.getMetrics().waitingCalls()).isZero();
                    break;
                }
            }
            finally {
                caller.shutdownNow();
            }
        });
    }

    @Test
    void anAsynchronousCallThatWaitsForAPermitHoldsNoThread() {
        runner.withPropertyValues("resilience.ratelimiter.instances.waiting.limit-for-period=1",
                "resilience.ratelimiter.instances.waiting.limit-refresh-period=2s",
                "resilience.ratelimiter.instances.waiting.timeout-duration=10s").run(context -> {
            Limited bean = context.getBean(Limited.class);
            var limiter = context.getBean(RateLimiterRegistry.class).get("waiting");
            while (true) {
                while (limiter.getMetrics().availablePermissions() > 0) {
                    bean.waitingAsync().join();
                }
                CompletableFuture<String> waiting = bean.waitingAsync();
                if (waiting.isDone()) {
                    continue; // the period turned over between the two calls: try again
                }
                // the caller got its future at once; the method has not run, and no thread of ours waits for it
                assertThat(limiter.getMetrics().waitingCalls()).isEqualTo(1);
                assertThat(waiting.get(Support.PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
                        .as("started by the scheduler's work executor").doesNotContain(Thread.currentThread().getName());
                break;
            }
        });
    }

    static class Limited {

        private final AtomicInteger calls = new AtomicInteger();
        private final AtomicInteger failures = new AtomicInteger();

        /** Through the proxy: its own fields are not the bean's. */
        public int calls() {
            return calls.get();
        }

        public void failNext(int count) {
            failures.set(count);
        }

        @Retry("attempts")
        @RateLimiter("attempts")
        public String attempts() {
            int call = calls.incrementAndGet();
            if (failures.getAndDecrement() > 0) {
                throw new IllegalStateException("boom " + call);
            }
            return "ok after " + call + " calls";
        }

        @Retry("refusals")
        @RateLimiter("refusals")
        @CircuitBreaker("refusals")
        public String refusals() {
            return "ok after " + calls.incrementAndGet() + " calls";
        }

        @Fallback("cold")
        @RateLimiter("fallback")
        public String withFallback() {
            return "hot";
        }

        String cold(RateLimitExceededException refused) {
            return "cold, retry after " + refused.getRetryAfter().toSeconds() + "s";
        }

        @RateLimiter("waiting")
        public String waiting() {
            return "ok on " + Thread.currentThread().getName();
        }

        @RateLimiter("waiting")
        public CompletableFuture<String> waitingAsync() {
            return CompletableFuture.completedFuture("ok on " + Thread.currentThread().getName());
        }
    }
}
