package dev.resilience.core;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.resilience.core.bulkhead.BulkheadConfig;
import dev.resilience.core.bulkhead.SemaphoreBulkhead;
import dev.resilience.core.bulkhead.ThreadPoolBulkhead;
import dev.resilience.core.circuitbreaker.CircuitBreaker;
import dev.resilience.core.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.fallback.FallbackDecorator;
import dev.resilience.core.retry.Retry;
import dev.resilience.core.retry.RetryConfig;
import dev.resilience.core.retry.RetryMetrics;
import dev.resilience.core.timeout.Timeout;
import dev.resilience.core.timeout.TimeoutConfig;
import dev.resilience.core.timeout.TimeoutMetrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Cancelling the future a policy hands back reaches the method's own future, whatever the policy holds in between,
 * and gives back what the policy holds for the call without counting it as a failure.
 */
class CancellationTest {

    private final ManualTicker ticker = new ManualTicker();
    private final ManualScheduler scheduler = new ManualScheduler(ticker);
    private final CompletableFuture<Object> running = new CompletableFuture<>();
    private final AtomicInteger invocations = new AtomicInteger();
    private final AsyncCall<Object> method = context -> {
        invocations.incrementAndGet();
        return running;
    };
    private ThreadPoolBulkhead pool;

    @AfterEach
    void closePool() {
        if (pool != null) {
            pool.close();
        }
    }

    @Test
    void theBreakerPassesTheCancellationOnAndGivesItsHalfOpenTrialBack() {
        CircuitBreaker breaker = CircuitBreaker.of("remote", CircuitBreakerConfig.builder()
                .permittedNumberOfCallsInHalfOpenState(1).build(), ticker, scheduler);
        breaker.transitionToHalfOpenState();

        cancel(breaker.decorateAsync(method));

        assertThat(running).isCancelled();
        assertThat(breaker.getMetrics().bufferedCalls()).isZero();
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        assertThat(breaker.tryAcquirePermission()).as("the trial slot is free again").isTrue();
    }

    @Test
    void theTimeoutPassesTheCancellationOnAndCountsNothing() {
        Timeout timeout = new Timeout("remote", new TimeoutConfig(Duration.ofSeconds(1), true), scheduler);

        cancel(timeout.decorateAsync(method));
        scheduler.advance(Duration.ofSeconds(2));

        assertThat(running).isCancelled();
        assertThat(timeout.getMetrics()).isEqualTo(new TimeoutMetrics(0, 0, 0));
    }

    @Test
    void theRetryPassesTheCancellationOnAndMakesNoFurtherAttempt() {
        Retry retry = new Retry("remote", RetryConfig.builder().maxAttempts(3).waitDuration(Duration.ZERO).build(),
                scheduler);

        cancel(retry.decorateAsync(method));
        scheduler.advance(Duration.ofSeconds(1));

        assertThat(running).isCancelled();
        assertThat(invocations).hasValue(1);
        assertThat(retry.getMetrics()).isEqualTo(new RetryMetrics(0, 0, 0, 0));
    }

    @Test
    void theRetryPassesTheCancellationOnToALaterAttempt() {
        CompletableFuture<Object> second = new CompletableFuture<>();
        AsyncCall<Object> failsThenHangs = context -> invocations.incrementAndGet() == 1
                ? CompletableFuture.failedFuture(new IllegalStateException("first")) : second;
        Retry retry = new Retry("remote", RetryConfig.builder().maxAttempts(3).waitDuration(Duration.ofMillis(10)).build(),
                scheduler);

        CompletableFuture<Object> result = retry.decorateAsync(failsThenHangs).invoke(null).toCompletableFuture();
        scheduler.advance(Duration.ofMillis(10));
        assertThat(invocations).hasValue(2);
        result.cancel(true);

        assertThat(second).isCancelled();
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(invocations).hasValue(2);
    }

    @Test
    void theSemaphoreBulkheadPassesTheCancellationOnAndGivesItsPermitBack() {
        SemaphoreBulkhead bulkhead = new SemaphoreBulkhead("remote", BulkheadConfig.builder().maxConcurrentCalls(1)
                .build(), scheduler);

        cancel(bulkhead.decorateAsync(method));

        assertThat(running).isCancelled();
        assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(1);
    }

    @Test
    void aBulkheadWaiterThatGotItsPermitPassesTheCancellationOn() {
        SemaphoreBulkhead bulkhead = new SemaphoreBulkhead("remote", BulkheadConfig.builder().maxConcurrentCalls(1)
                .maxWaitDuration(Duration.ofSeconds(1)).build(), scheduler);
        CompletableFuture<Object> first = new CompletableFuture<>();
        bulkhead.decorateAsync(context -> first).invoke(null);
        CompletableFuture<Object> waiting = bulkhead.decorateAsync(method).invoke(null).toCompletableFuture();
        first.complete("done");
        scheduler.runDue();
        assertThat(invocations).hasValue(1);

        waiting.cancel(true);

        assertThat(running).isCancelled();
        assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(1);
    }

    @Test
    void theThreadPoolBulkheadPassesTheCancellationOn() {
        pool = new ThreadPoolBulkhead("remote", BulkheadConfig.builder().type(BulkheadConfig.Type.THREAD_POOL)
                .coreThreadPoolSize(1).maxThreadPoolSize(1).build());
        CompletableFuture<Object> result = pool.decorateAsync(method).invoke(null).toCompletableFuture();
        await().untilAsserted(() -> assertThat(invocations).hasValue(1));

        result.cancel(true);

        await().untilAsserted(() -> assertThat(running).isCancelled());
    }

    @Test
    void theFallbackPassesTheCancellationOnAndDoesNotAnswerIt() {
        AtomicInteger answered = new AtomicInteger();
        AsyncCall<Object> call = FallbackDecorator.decorateAsync(method,
                new ExceptionClassifier(java.util.List.of(Throwable.class), java.util.List.of()),
                (context, failure) -> {
                    answered.incrementAndGet();
                    return CompletableFuture.completedFuture("fallback");
                });

        cancel(call);

        assertThat(running).isCancelled();
        assertThat(answered).hasValue(0);
    }

    @Test
    void theFallbacksOwnFutureIsCancelledOnceItAnswers() {
        CompletableFuture<Object> answer = new CompletableFuture<>();
        AsyncCall<Object> call = FallbackDecorator.decorateAsync(
                context -> CompletableFuture.failedFuture(new IllegalStateException("down")),
                new ExceptionClassifier(java.util.List.of(Throwable.class), java.util.List.of()),
                (context, failure) -> answer);

        cancel(call);

        assertThat(answer).isCancelled();
    }

    @Test
    void aWholeChainPassesTheCancellationToTheMethodAndGivesEveryPermitBack() {
        CircuitBreaker breaker = CircuitBreaker.of("remote", CircuitBreakerConfig.builder().build(), ticker, scheduler);
        SemaphoreBulkhead bulkhead = new SemaphoreBulkhead("remote", BulkheadConfig.builder().maxConcurrentCalls(1)
                .build(), scheduler);
        Timeout timeout = new Timeout("remote", new TimeoutConfig(Duration.ofSeconds(1), true), scheduler);
        Retry retry = new Retry("remote", RetryConfig.builder().build(), scheduler);
        AsyncCall<Object> chain = retry.decorateAsync(breaker.decorateAsync(timeout.decorateAsync(
                bulkhead.decorateAsync(method))));

        cancel(chain);
        scheduler.advance(Duration.ofSeconds(5));

        assertThat(running).isCancelled();
        assertThat(invocations).hasValue(1);
        assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(1);
        assertThat(breaker.getMetrics().bufferedCalls()).isZero();
        assertThat(timeout.getMetrics()).isEqualTo(new TimeoutMetrics(0, 0, 0));
    }

    private static void cancel(AsyncCall<Object> call) {
        CompletionStage<Object> stage = call.invoke(null);
        assertThat(stage.toCompletableFuture()).isNotDone();
        assertThat(stage.toCompletableFuture().cancel(true)).isTrue();
    }
}
