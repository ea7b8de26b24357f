package dev.resilience.core.circuitbreaker;

import dev.resilience.core.AsyncCall;
import dev.resilience.core.Call;
import dev.resilience.core.CircuitBreakerOpenException;
import dev.resilience.core.ManualScheduler;
import dev.resilience.core.ManualTicker;
import dev.resilience.core.circuitbreaker.CircuitBreaker.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The breaker as a decorator of sync and async calls. */
class CircuitBreakerDecorateTest {

    private final ManualTicker ticker = new ManualTicker();
    private final RecordingListener listener = new RecordingListener();
    private final CircuitBreaker breaker = CircuitBreaker.of("remote", CircuitBreakerConfig.builder()
            .slidingWindowSize(4)
            .minimumNumberOfCalls(4)
            .failureRateThreshold(50)
            .slowCallDurationThreshold(Duration.ofSeconds(1))
            .ignoreExceptions(List.of(IllegalArgumentException.class))
            .build(), ticker, new ManualScheduler(ticker));
    private final AtomicInteger invocations = new AtomicInteger();
    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    CircuitBreakerDecorateTest() {
        breaker.addListener(listener);
    }

    @AfterEach
    void stopExecutor() {
        executor.shutdownNow();
    }

    /** A sync call that takes {@code duration} of ticker time and then returns or throws {@code outcome}. */
    private Call<Object> sync(Duration duration, Object outcome) {
        return breaker.decorate(context -> {
            invocations.incrementAndGet();
            ticker.advance(duration);
            if (outcome instanceof Throwable throwable) {
                throw throwable;
            }
            return outcome;
        });
    }

    // ------------------------------------------------------------------------------------ sync

    @Test
    void syncSuccessReturnsTheValueAndRecordsTheDurationFromTheTicker() throws Throwable {
        Call<Object> call = sync(Duration.ofMillis(250), "value");

        assertThat(call.invoke(null)).isEqualTo("value");

        assertThat(listener.successes).hasValue(1);
        assertThat(listener.durations).containsExactly(Duration.ofMillis(250).toNanos());
        assertThat(breaker.getMetrics()).isEqualTo(new CircuitBreakerMetrics(-1f, -1f, 1, 0, 0, 1, 0));
    }

    @Test
    void syncSlowSuccessIsRecordedAsSlow() throws Throwable {
        sync(Duration.ofSeconds(1), "exactly the threshold: not slow").invoke(null);
        sync(Duration.ofSeconds(1).plusNanos(1), "longer: slow").invoke(null);

        assertThat(breaker.getMetrics()).isEqualTo(new CircuitBreakerMetrics(-1f, -1f, 2, 0, 1, 2, 0));
    }

    @Test
    void syncFailureRethrowsTheOriginalCheckedExceptionAndCountsIt() {
        IOException failure = new IOException("down");
        Call<Object> call = sync(Duration.ofMillis(5), failure);

        assertThat(catchThrowable(() -> call.invoke(null))).isSameAs(failure);

        assertThat(listener.errors).containsExactly(failure);
        assertThat(breaker.getMetrics().failedCalls()).isEqualTo(1);
    }

    @Test
    void syncErrorIsRecordedAsAFailureAndRethrownUnchanged() {
        StackOverflowError error = new StackOverflowError();
        Call<Object> call = sync(Duration.ZERO, error);

        assertThat(catchThrowable(() -> call.invoke(null))).isSameAs(error);

        assertThat(breaker.getMetrics().failedCalls()).isEqualTo(1);
    }

    @Test
    void syncIgnoredExceptionIsRethrownAndNotCounted() {
        IllegalArgumentException ignored = new IllegalArgumentException("bad input");
        Call<Object> call = sync(Duration.ZERO, ignored);

        assertThat(catchThrowable(() -> call.invoke(null))).isSameAs(ignored);

        assertThat(listener.ignored).containsExactly(ignored);
        assertThat(breaker.getMetrics().bufferedCalls()).isZero();
    }

    @Test
    void syncCallsOpenTheBreakerAndAreThenRejectedWithoutRunning() throws Throwable {
        Call<Object> failing = sync(Duration.ZERO, new IOException());
        Call<Object> succeeding = sync(Duration.ZERO, "value");
        succeeding.invoke(null);
        succeeding.invoke(null);
        catchThrowable(() -> failing.invoke(null));
        catchThrowable(() -> failing.invoke(null));
        assertThat(breaker.getState()).isEqualTo(State.OPEN);
        invocations.set(0);

        assertThatThrownBy(() -> succeeding.invoke(null))
                .isInstanceOf(CircuitBreakerOpenException.class)
                .hasMessage("CircuitBreaker 'remote' is OPEN and does not permit further calls");

        assertThat(invocations).hasValue(0);
        assertThat(listener.notPermitted).hasValue(1);
        assertThat(breaker.getMetrics().notPermittedCalls()).isEqualTo(1);
    }

    // ----------------------------------------------------------------------------------- async

    @Test
    void asyncRecordsWhenTheStageCompletesAndNeverBlocks() {
        CompletableFuture<Object> inner = new CompletableFuture<>();
        AsyncCall<Object> call = breaker.decorateAsync(context -> inner);

        CompletableFuture<Object> result = call.invoke(null).toCompletableFuture();

        assertThat(result).isNotDone();
        assertThat(breaker.getMetrics().bufferedCalls()).isZero();

        ticker.advance(Duration.ofSeconds(2));
        inner.complete("value");

        assertThat(result).isCompletedWithValue("value");
        assertThat(listener.durations).containsExactly(Duration.ofSeconds(2).toNanos());
        assertThat(breaker.getMetrics()).isEqualTo(new CircuitBreakerMetrics(-1f, -1f, 1, 0, 1, 1, 0));
    }

    @Test
    void asyncStageThatHasAlreadySucceededIsRecordedAtOnceAndHandedOnAsItIs() {
        CompletableFuture<Object> answered = CompletableFuture.completedFuture("cached");
        AsyncCall<Object> call = breaker.decorateAsync(context -> {
            ticker.advance(Duration.ofSeconds(2));
            return answered;
        });

        assertThat(call.invoke(null)).isSameAs(answered);
        assertThat(listener.successes).hasValue(1);
        assertThat(listener.durations).containsExactly(Duration.ofSeconds(2).toNanos());
        assertThat(breaker.getMetrics()).isEqualTo(new CircuitBreakerMetrics(-1f, -1f, 1, 0, 1, 1, 0));
    }

    @Test
    void asyncStageThatHasAlreadyFailedIsCountedAsAFailure() {
        IllegalStateException failure = new IllegalStateException("already failed");
        AsyncCall<Object> call = breaker.decorateAsync(context -> CompletableFuture.failedFuture(failure));

        assertThat(call.invoke(null).toCompletableFuture()).isCompletedExceptionally();
        assertThat(listener.errors).containsExactly(failure);
        assertThat(breaker.getMetrics().failedCalls()).isEqualTo(1);
    }

    @Test
    void asyncFailurePropagatesTheOriginalThrowableUnchanged() {
        IOException failure = new IOException("down");
        AsyncCall<Object> call = breaker.decorateAsync(context -> CompletableFuture.failedFuture(failure));

        CompletionStage<Object> result = call.invoke(null);

        assertThat(result.handle((value, error) -> error).toCompletableFuture().join()).isSameAs(failure);
        assertThat(listener.errors).containsExactly(failure);
        assertThat(breaker.getMetrics().failedCalls()).isEqualTo(1);
    }

    @Test
    void asyncFailureOnAnotherThreadIsClassifiedByTheCauseOfItsCompletionException() {
        IOException failure = new IOException("down");
        AsyncCall<Object> call = breaker.decorateAsync(context -> CompletableFuture.supplyAsync(() -> {
            throw new CompletionException(failure);
        }, executor));

        CompletableFuture<Object> result = call.invoke(null).toCompletableFuture();

        assertThatThrownBy(result::join).isInstanceOf(CompletionException.class).cause().isSameAs(failure);
        assertThat(listener.errors).containsExactly(failure);
        assertThat(breaker.getMetrics().failedCalls()).isEqualTo(1);
    }

    @Test
    void asyncIgnoredCauseInsideACompletionExceptionIsIgnored() {
        IllegalArgumentException ignored = new IllegalArgumentException("bad input");
        CompletionException wrapped = new CompletionException(ignored);
        AsyncCall<Object> call = breaker.decorateAsync(context -> CompletableFuture.failedFuture(wrapped));

        CompletionStage<Object> result = call.invoke(null);

        assertThat(result.handle((value, error) -> error).toCompletableFuture().join()).isSameAs(wrapped);
        assertThat(listener.ignored).containsExactly(ignored);
        assertThat(breaker.getMetrics().bufferedCalls()).isZero();
    }

    @Test
    void asyncSuccessOnAnotherThread() {
        AsyncCall<Object> call = breaker.decorateAsync(context -> CompletableFuture.supplyAsync(() -> "value", executor));

        assertThat(call.invoke(null).toCompletableFuture().join()).isEqualTo("value");
        assertThat(listener.successes).hasValue(1);
        assertThat(breaker.getMetrics().successfulCalls()).isEqualTo(1);
    }

    @Test
    void asyncRejectionIsAFailedStageAndTheCallDoesNotRun() {
        breaker.transitionToForcedOpenState();
        AsyncCall<Object> call = breaker.decorateAsync(context -> {
            invocations.incrementAndGet();
            return CompletableFuture.completedFuture("value");
        });

        CompletionStage<Object> result = call.invoke(null);

        assertThat(result.handle((value, error) -> error).toCompletableFuture().join())
                .isInstanceOf(CircuitBreakerOpenException.class)
                .hasMessageContaining("'remote' is FORCED_OPEN");
        assertThat(invocations).hasValue(0);
        assertThat(listener.notPermitted).hasValue(1);
    }

    @Test
    void asyncCallThatThrowsInsteadOfFailingItsStageStillCountsAndFailsTheStage() {
        IllegalStateException failure = new IllegalStateException("broken contract");
        AsyncCall<Object> call = breaker.decorateAsync(context -> {
            throw failure;
        });

        CompletionStage<Object> result = call.invoke(null);

        assertThat(result.handle((value, error) -> error).toCompletableFuture().join()).isSameAs(failure);
        assertThat(breaker.getMetrics().failedCalls()).isEqualTo(1);
    }

    @Test
    void asyncHalfOpenTrialsAreJudgedWhenTheyComplete() {
        breaker.transitionToHalfOpenState();
        int permitted = breaker.getConfig().permittedNumberOfCallsInHalfOpenState();
        List<CompletableFuture<Object>> inners = IntStream.range(0, permitted)
                .mapToObj(i -> new CompletableFuture<Object>()).toList();
        AtomicInteger next = new AtomicInteger();
        AsyncCall<Object> call = breaker.decorateAsync(context -> inners.get(next.getAndIncrement()));

        for (int i = 0; i < permitted; i++) {
            call.invoke(null);
        }
        CompletionStage<Object> rejected = call.invoke(null);

        assertThat(rejected.toCompletableFuture()).isCompletedExceptionally();
        inners.forEach(inner -> inner.complete("ok"));
        assertThat(breaker.getState()).isEqualTo(State.CLOSED);
    }
}
