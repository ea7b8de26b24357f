package dev.resilience.integration;

import dev.resilience.annotation.Retry;
import dev.resilience.annotation.Timeout;
import dev.resilience.core.TimeoutExceededException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The next attempt of an asynchronous retry starts off the shared timer thread: an async method that
 * blocks before it returns its future (bad manners, but common) must not hold up every other deadline
 * of the application.
 */
class AsyncRetryOffTimerThreadTest {

    private final ApplicationContextRunner runner = Support.runner()
            .withBean(Blocking.class)
            .withBean(Guarded.class)
            .withPropertyValues(
                    "resilience.retry.instances.blocking.max-attempts=2",
                    "resilience.retry.instances.blocking.wait-duration=10ms",
                    "resilience.timeout.instances.guarded.timeout-duration=50ms");

    @Test
    void aRetryAttemptThatBlocksDoesNotDelayAnotherCallsTimeout() {
        runner.run(context -> {
            Blocking blocking = context.getBean(Blocking.class);
            CompletableFuture<String> retried = blocking.call();
            await().atMost(Duration.ofSeconds(10)).until(() -> blocking.attempts() == 2);

            // the second attempt now blocks the thread that started it; the timer must still fire
            CompletableFuture<String> guarded = context.getBean(Guarded.class).never();
            assertThatThrownBy(() -> guarded.get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TimeoutExceededException.class);

            blocking.release();
            assertThat(retried.get(10, TimeUnit.SECONDS)).isEqualTo("second");
        });
    }

    static class Blocking {

        private final AtomicInteger attempts = new AtomicInteger();
        private final CountDownLatch release = new CountDownLatch(1);

        // the bean is a class proxy: the test reaches the target's state through methods
        public int attempts() {
            return attempts.get();
        }

        public void release() {
            release.countDown();
        }

        @Retry("blocking")
        public CompletableFuture<String> call() throws InterruptedException {
            if (attempts.incrementAndGet() == 1) {
                return CompletableFuture.failedFuture(new IllegalStateException("first fails"));
            }
            release.await();
            return CompletableFuture.completedFuture("second");
        }
    }

    static class Guarded {

        @Timeout("guarded")
        public CompletableFuture<String> never() {
            return new CompletableFuture<>();
        }
    }
}
