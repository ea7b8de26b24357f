package dev.resilience.core.retry;

import dev.resilience.core.AsyncCall;
import dev.resilience.core.ManualScheduler;
import dev.resilience.core.ManualTicker;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

class RetryAsyncTest {

    private final ManualScheduler scheduler = new ManualScheduler(new ManualTicker());
    private final RecordingSleeper sleeper = new RecordingSleeper();
    private final RecordingRetryListener listener = new RecordingRetryListener();
    private final AtomicInteger calls = new AtomicInteger();

    private Retry retry(RetryConfig.Builder config) {
        Retry retry = new Retry("async", config.build(), scheduler, sleeper, () -> 0.0);
        retry.addListener(listener);
        return retry;
    }

    private static RetryConfig.Builder config() {
        return RetryConfig.builder().waitDuration(Duration.ofMillis(100));
    }

    /** A step whose calls return the given stages in turn (each supplier runs at its call). */
    @SafeVarargs
    private AsyncCall<String> steps(Supplier<CompletionStage<Object>>... stages) {
        Deque<Supplier<CompletionStage<Object>>> remaining = new ArrayDeque<>(List.of(stages));
        return context -> {
            calls.incrementAndGet();
            return remaining.isEmpty() ? CompletableFuture.completedFuture("ok") : remaining.poll().get();
        };
    }

    private static Supplier<CompletionStage<Object>> failed(Throwable failure) {
        return () -> CompletableFuture.failedFuture(failure);
    }

    /** The throwable the future was completed with, as completeExceptionally received it. */
    private static Throwable rawFailure(CompletionStage<Object> stage) {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        stage.whenComplete((value, error) -> failure.set(error));
        return failure.get();
    }

    @Test
    void successOnTheFirstAttemptSchedulesNothing() {
        Retry retry = retry(config());

        CompletionStage<Object> result = retry.decorateAsync(steps()).invoke("context");

        assertThat(result.toCompletableFuture()).isCompletedWithValue("ok");
        assertThat(scheduler.pendingCount()).isZero();
        assertThat(retry.getMetrics()).isEqualTo(new RetryMetrics(1, 0, 0, 0));
        assertThat(listener.events).containsExactly("success attempts=1");
    }

    @Test
    void waitsGoThroughTheSchedulerAndNeverThroughTheSleeper() {
        Retry retry = retry(config().maxAttempts(3).enableExponentialBackoff(true));

        CompletableFuture<Object> result = retry.decorateAsync(
                steps(failed(new IOException("a")), failed(new IOException("b")))).invoke("context")
                .toCompletableFuture();

        assertThat(calls).hasValue(1);
        assertThat(result).isNotDone();
        assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofMillis(100));

        scheduler.advance(Duration.ofMillis(99));
        assertThat(calls).hasValue(1);

        scheduler.advance(Duration.ofMillis(1));
        assertThat(calls).hasValue(2);
        assertThat(result).isNotDone();
        // Resilience4j's default multiplier, 1.5
        assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofMillis(150));

        scheduler.advance(Duration.ofMillis(150));
        assertThat(calls).hasValue(3);
        assertThat(result).isCompletedWithValue("ok");
        assertThat(scheduler.pendingCount()).isZero();
        assertThat(sleeper.waits()).isEmpty();
        assertThat(retry.getMetrics()).isEqualTo(new RetryMetrics(0, 1, 0, 0));
        assertThat(listener.events).containsExactly(
                "retry async attempt=1 error=a wait=100000000",
                "retry async attempt=2 error=b wait=150000000",
                "success attempts=3");
    }

    @Test
    void exhaustedRetriesFailWithTheLastFailureUnwrapped() {
        Retry retry = retry(config().maxAttempts(3));
        IOException last = new IOException("third");
        // a dependent stage fails with a CompletionException wrapping the cause
        Supplier<CompletionStage<Object>> wrapped =
                () -> CompletableFuture.failedFuture(last).thenApply(value -> value);

        CompletionStage<Object> result = retry.decorateAsync(
                steps(failed(new IOException("first")), failed(new IOException("second")), wrapped))
                .invoke("context");
        scheduler.advance(Duration.ofMillis(200));

        assertThat(calls).hasValue(3);
        assertThat(rawFailure(result)).isSameAs(last);
        assertThat(scheduler.pendingCount()).isZero();
        assertThat(retry.getMetrics()).isEqualTo(new RetryMetrics(0, 0, 1, 0));
        assertThat(listener.events).containsExactly(
                "retry async attempt=1 error=first wait=100000000",
                "retry async attempt=2 error=second wait=100000000",
                "error attempts=3 error=third");
    }

    @Test
    void aStepThatThrowsSynchronouslyCountsAsAFailedAttempt() {
        Retry retry = retry(config().maxAttempts(2));
        IllegalStateException second = new IllegalStateException("second");
        AtomicInteger invocations = new AtomicInteger();
        AsyncCall<String> throwing = context -> {
            throw invocations.incrementAndGet() == 1 ? new IllegalStateException("first") : second;
        };

        CompletionStage<Object> result = retry.decorateAsync(throwing).invoke("context");

        assertThat(invocations).hasValue(1);
        assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofMillis(100));
        scheduler.advance(Duration.ofMillis(100));
        assertThat(invocations).hasValue(2);
        assertThat(rawFailure(result)).isSameAs(second);
        assertThat(retry.getMetrics()).isEqualTo(new RetryMetrics(0, 0, 1, 0));
    }

    @Test
    void aStepThatReturnsNullCountsAsAFailedAttempt() {
        Retry retry = retry(config().maxAttempts(2));
        AsyncCall<String> returningNull = context -> {
            calls.incrementAndGet();
            return null;
        };

        CompletionStage<Object> result = retry.decorateAsync(returningNull).invoke("context");
        scheduler.advance(Duration.ofMillis(100));

        assertThat(calls).hasValue(2);
        assertThat(rawFailure(result)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aNonRetryableFailureCompletesAtOnce() {
        Retry retry = retry(config().retryExceptions(List.of(IOException.class)));
        IllegalArgumentException notRetried = new IllegalArgumentException("not retried");

        CompletionStage<Object> result = retry.decorateAsync(steps(failed(notRetried))).invoke("context");

        assertThat(calls).hasValue(1);
        assertThat(rawFailure(result)).isSameAs(notRetried);
        assertThat(scheduler.pendingCount()).isZero();
        assertThat(retry.getMetrics()).isEqualTo(new RetryMetrics(0, 0, 0, 1));
        assertThat(listener.events).containsExactly("ignored error=not retried");
    }

    @Test
    void aStageThatCompletesLaterIsAwaitedWithoutBlocking() {
        Retry retry = retry(config());
        CompletableFuture<Object> firstAttempt = new CompletableFuture<>();

        CompletionStage<Object> result = retry.decorateAsync(steps(() -> firstAttempt)).invoke("context");

        assertThat(result.toCompletableFuture()).isNotDone();
        assertThat(scheduler.pendingCount()).isZero();
        firstAttempt.completeExceptionally(new IOException("late"));
        assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofMillis(100));
        scheduler.advance(Duration.ofMillis(100));
        assertThat(result.toCompletableFuture()).isCompletedWithValue("ok");
    }

    @Test
    void cancellingTheResultStopsFurtherAttempts() {
        Retry retry = retry(config());

        CompletionStage<Object> result = retry.decorateAsync(steps(failed(new IOException("a")))).invoke("context");
        result.toCompletableFuture().cancel(false);
        scheduler.advance(Duration.ofMillis(100));

        assertThat(calls).hasValue(1);
    }

    @Test
    void errorsAreNotRetriedAsynchronouslyEither() {
        Retry retry = retry(config());
        StackOverflowError error = new StackOverflowError("fatal");

        CompletionStage<Object> result = retry.decorateAsync(steps(failed(error))).invoke("context");

        assertThat(calls).hasValue(1);
        assertThat(rawFailure(result)).isSameAs(error);
        assertThat(scheduler.pendingCount()).isZero();
    }
}
