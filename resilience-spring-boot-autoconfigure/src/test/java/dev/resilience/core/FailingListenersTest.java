package dev.resilience.core;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.resilience.core.bulkhead.Bulkhead;
import dev.resilience.core.bulkhead.BulkheadConfig;
import dev.resilience.core.bulkhead.BulkheadListener;
import dev.resilience.core.bulkhead.SemaphoreBulkhead;
import dev.resilience.core.circuitbreaker.CircuitBreaker;
import dev.resilience.core.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.circuitbreaker.CircuitBreakerListener;
import dev.resilience.core.retry.Retry;
import dev.resilience.core.retry.RetryConfig;
import dev.resilience.core.retry.RetryListener;
import dev.resilience.core.timeout.Timeout;
import dev.resilience.core.timeout.TimeoutConfig;
import dev.resilience.core.timeout.TimeoutListener;
import dev.resilience.core.timeout.TimeoutMetrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A listener that throws, even an {@link Error} such as a failed assertion, never changes the outcome of a call or
 * the state machine of its policy; only a {@link VirtualMachineError} propagates, and even then the policy's state
 * has moved on.
 */
class FailingListenersTest {

    private final ManualTicker ticker = new ManualTicker();
    private final ManualScheduler scheduler = new ManualScheduler(ticker);

    private final CircuitBreaker breaker = CircuitBreaker.of("remote", CircuitBreakerConfig.builder()
            .slidingWindowSize(2).minimumNumberOfCalls(2).permittedNumberOfCallsInHalfOpenState(1).build(),
            ticker, scheduler);

    @Test
    void aBreakerListenerThrowingAnAssertionErrorInAHalfOpenTrialLeavesTheCallAndTheStateAlone() throws Throwable {
        AtomicInteger told = new AtomicInteger();
        breaker.addListener(new CircuitBreakerListener() {
            @Override
            public void onSuccess(CircuitBreaker circuitBreaker, long durationNanos) {
                throw new AssertionError("listener broke");
            }

            @Override
            public void onStateTransition(CircuitBreaker circuitBreaker, CircuitBreaker.State from,
                    CircuitBreaker.State to) {
                throw new AssertionError("listener broke");
            }
        });
        breaker.addListener(new CircuitBreakerListener() {
            @Override
            public void onSuccess(CircuitBreaker circuitBreaker, long durationNanos) {
                told.incrementAndGet();
            }
        });
        breaker.transitionToHalfOpenState();

        Object result = breaker.decorate(context -> "trial").invoke(null);

        assertThat(result).isEqualTo("trial");
        assertThat(told).as("the next listener is told all the same").hasValue(1);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void anAsyncHalfOpenTrialIsNotWedgedByAThrowingListener() {
        breaker.addListener(new CircuitBreakerListener() {
            @Override
            public void onError(CircuitBreaker circuitBreaker, long durationNanos, Throwable error) {
                throw new AssertionError("listener broke");
            }
        });
        breaker.transitionToHalfOpenState();
        IllegalStateException down = new IllegalStateException("down");

        CompletableFuture<Object> result = breaker.decorateAsync(context -> CompletableFuture.failedFuture(down))
                .invoke(null).toCompletableFuture();

        assertThat(result).isCompletedExceptionally();
        assertThat(result.handle((value, failure) -> failure).join()).isSameAs(down);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void aVirtualMachineErrorOfAListenerPropagatesButTheStateHasMovedOn() {
        OutOfMemoryError fatal = new OutOfMemoryError("listener");
        breaker.addListener(new CircuitBreakerListener() {
            @Override
            public void onSuccess(CircuitBreaker circuitBreaker, long durationNanos) {
                throw fatal;
            }
        });
        breaker.transitionToHalfOpenState();

        assertThatThrownBy(() -> breaker.decorate(context -> "trial").invoke(null)).isSameAs(fatal);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void aRetryListenerThrowingAnErrorDoesNotStopTheRetries() throws Throwable {
        Retry retry = new Retry("remote", RetryConfig.builder().maxAttempts(3).waitDuration(Duration.ZERO).build(),
                scheduler);
        retry.addListener(new RetryListener() {
            @Override
            public void onRetry(Retry r, int attempt, Throwable error, long waitNanos) {
                throw new AssertionError("listener broke");
            }

            @Override
            public void onSuccess(Retry r, int attempts) {
                throw new StackOverflowErrorLike();
            }
        });
        AtomicInteger attempts = new AtomicInteger();

        Object result = retry.decorate(context -> {
            if (attempts.incrementAndGet() < 3) {
                throw new IllegalStateException("not yet");
            }
            return "third";
        }).invoke(null);

        assertThat(result).isEqualTo("third");
        assertThat(retry.getMetrics().successfulCallsWithRetry()).isEqualTo(1);
    }

    @Test
    void aTimeoutListenerThrowingAnErrorDoesNotChangeTheOutcome() throws Throwable {
        Timeout timeout = new Timeout("remote", new TimeoutConfig(Duration.ofSeconds(1), true), scheduler);
        timeout.addListener(new TimeoutListener() {
            @Override
            public void onSuccess(Timeout t) {
                throw new AssertionError("listener broke");
            }

            @Override
            public void onTimeout(Timeout t) {
                throw new AssertionError("listener broke");
            }
        });

        assertThat(timeout.decorate(context -> "in time").invoke(null)).isEqualTo("in time");
        CompletableFuture<Object> late = timeout.decorateAsync(context -> new CompletableFuture<>()).invoke(null)
                .toCompletableFuture();
        scheduler.advance(Duration.ofSeconds(1));

        assertThat(late.handle((value, failure) -> failure).join()).isInstanceOf(TimeoutExceededException.class);
        assertThat(timeout.getMetrics()).isEqualTo(new TimeoutMetrics(1, 0, 1));
    }

    @Test
    void aBulkheadListenerThrowingAnErrorNeitherRejectsTheCallNorKeepsThePermit() throws Throwable {
        SemaphoreBulkhead bulkhead = new SemaphoreBulkhead("remote", BulkheadConfig.builder().maxConcurrentCalls(1)
                .build(), scheduler);
        bulkhead.addListener(new BulkheadListener() {
            @Override
            public void onCallPermitted(Bulkhead b) {
                throw new AssertionError("listener broke");
            }

            @Override
            public void onCallFinished(Bulkhead b) {
                throw new AssertionError("listener broke");
            }
        });

        assertThat(bulkhead.decorate(context -> "inside").invoke(null)).isEqualTo("inside");
        assertThat(bulkhead.decorateAsync(context -> CompletableFuture.completedFuture("async")).invoke(null)
                .toCompletableFuture().join()).isEqualTo("async");
        assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(1);
        assertThat(bulkhead.getMetrics().permittedCalls()).isEqualTo(2);
    }

    /** An Error that is not a VirtualMachineError, thrown where a listener would least be expected to fail. */
    private static final class StackOverflowErrorLike extends Error {

        private static final long serialVersionUID = 1L;
    }
}
