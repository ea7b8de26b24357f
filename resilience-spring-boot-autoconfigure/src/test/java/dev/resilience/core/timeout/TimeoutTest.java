package dev.resilience.core.timeout;

import dev.resilience.core.AsyncCall;
import dev.resilience.core.ManualScheduler;
import dev.resilience.core.ManualTicker;
import dev.resilience.core.TimeoutExceededException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The timeout against a manual scheduler: its tasks run on the test's thread when time is advanced. */
class TimeoutTest {

    private final ManualScheduler scheduler = new ManualScheduler(new ManualTicker());
    private final RecordingTimeoutListener listener = new RecordingTimeoutListener();

    @AfterEach
    void clearInterruptFlag() {
        Thread.interrupted();
    }

    private Timeout timeout(boolean cancelRunningFuture) {
        Timeout timeout = new Timeout("t", TimeoutConfig.builder().timeoutDuration(Duration.ofSeconds(1))
                .cancelRunningFuture(cancelRunningFuture).build(), scheduler);
        timeout.addListener(listener);
        return timeout;
    }

    private static Throwable rawFailure(CompletionStage<Object> stage) {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        stage.whenComplete((value, error) -> failure.set(error));
        return failure.get();
    }

    @Test
    void syncSuccessRunsOnTheCallersThreadAndCancelsTheTimer() throws Throwable {
        Timeout timeout = timeout(true);
        Thread caller = Thread.currentThread();
        AtomicReference<List<Duration>> seen = new AtomicReference<>();

        Object result = timeout.<String>decorate(context -> {
            assertThat(Thread.currentThread()).isSameAs(caller);
            seen.set(scheduler.pendingDelays());
            return context + "!";
        }).invoke("value");

        assertThat(result).isEqualTo("value!");
        assertThat(seen.get()).containsExactly(Duration.ofSeconds(1));
        assertThat(scheduler.pendingCount()).isZero();
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(timeout.getMetrics()).isEqualTo(new TimeoutMetrics(1, 0, 0));
        assertThat(listener.events).containsExactly("success t");
    }

    @Test
    void syncFailureBeforeTheDeadlineIsRethrownUnchanged() {
        Timeout timeout = timeout(true);
        IOException failure = new IOException("broken");

        Throwable thrown = catchThrowable(() -> timeout.<String>decorate(context -> {
            throw failure;
        }).invoke("context"));

        assertThat(thrown).isSameAs(failure);
        assertThat(scheduler.pendingCount()).isZero();
        assertThat(timeout.getMetrics()).isEqualTo(new TimeoutMetrics(0, 1, 0));
        assertThat(listener.events).containsExactly("failure broken");
    }

    @Test
    void aLateResultAfterTheDeadlineIsDiscarded() {
        Timeout timeout = timeout(true);
        AtomicBoolean interruptedByTimer = new AtomicBoolean();

        Throwable thrown = catchThrowable(() -> timeout.<String>decorate(context -> {
            scheduler.advance(Duration.ofSeconds(1));
            interruptedByTimer.set(Thread.interrupted());
            return "late";
        }).invoke("context"));

        assertThat(interruptedByTimer).isTrue();
        assertThat(thrown).isInstanceOf(TimeoutExceededException.class)
                .hasMessage("Timeout 't' expired: the call did not finish within 1000ms");
        assertThat(((TimeoutExceededException) thrown).getName()).isEqualTo("t");
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(timeout.getMetrics()).isEqualTo(new TimeoutMetrics(0, 0, 1));
        assertThat(listener.events).containsExactly("timeout t");
    }

    @Test
    void theInterruptIsClearedWhenTheStepLeavesItSet() {
        Timeout timeout = timeout(true);

        Throwable thrown = catchThrowable(() -> timeout.<String>decorate(context -> {
            scheduler.advance(Duration.ofSeconds(2));
            return "late, flag still set";
        }).invoke("context"));

        assertThat(thrown).isInstanceOf(TimeoutExceededException.class);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void anotherFailureAfterTheDeadlineBecomesTheTimeout() {
        Timeout timeout = timeout(true);

        Throwable thrown = catchThrowable(() -> timeout.<String>decorate(context -> {
            scheduler.advance(Duration.ofSeconds(1));
            throw new IllegalStateException("after the deadline");
        }).invoke("context"));

        assertThat(thrown).isInstanceOf(TimeoutExceededException.class);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(timeout.getMetrics()).isEqualTo(new TimeoutMetrics(0, 0, 1));
    }

    @Test
    void anErrorAfterTheDeadlineIsNeverMasked() {
        Timeout timeout = timeout(true);
        OutOfMemoryError error = new OutOfMemoryError("fatal");

        Throwable thrown = catchThrowable(() -> timeout.<String>decorate(context -> {
            scheduler.advance(Duration.ofSeconds(1));
            throw error;
        }).invoke("context"));

        assertThat(thrown).isSameAs(error);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(timeout.getMetrics()).isEqualTo(new TimeoutMetrics(0, 1, 0));
    }

    @Test
    void anInterruptFlagSetBeforeTheCallIsLeftSet() throws Throwable {
        Timeout timeout = timeout(true);
        Thread.currentThread().interrupt();

        Object result = timeout.<String>decorate(context -> "value").invoke("context");
        assertThat(result).isEqualTo("value");
        assertThat(Thread.currentThread().isInterrupted()).isTrue();

        Throwable thrown = catchThrowable(() -> timeout.<String>decorate(context -> {
            scheduler.advance(Duration.ofSeconds(1));
            return "late";
        }).invoke("context"));
        assertThat(thrown).isInstanceOf(TimeoutExceededException.class);
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
    }

    @Test
    void asyncTimeoutFiresAtTheDeadlineAndCancelsTheRunningFuture() {
        Timeout timeout = timeout(true);
        CompletableFuture<Object> running = new CompletableFuture<>();

        CompletionStage<Object> result = timeout.<String>decorateAsync(context -> running).invoke("context");

        assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofSeconds(1));
        scheduler.advance(Duration.ofMillis(999));
        assertThat(result.toCompletableFuture()).isNotDone();
        assertThat(running).isNotDone();

        scheduler.advance(Duration.ofMillis(1));
        assertThat(rawFailure(result)).isInstanceOf(TimeoutExceededException.class);
        assertThat(((TimeoutExceededException) rawFailure(result)).getName()).isEqualTo("t");
        assertThat(running).isCancelled();
        assertThat(timeout.getMetrics()).isEqualTo(new TimeoutMetrics(0, 0, 1));
        assertThat(listener.events).containsExactly("timeout t");
    }

    @Test
    void asyncTimeoutLeavesTheRunningFutureAloneWhenCancellingIsOff() {
        Timeout timeout = timeout(false);
        CompletableFuture<Object> running = new CompletableFuture<>();

        CompletionStage<Object> result = timeout.<String>decorateAsync(context -> running).invoke("context");
        scheduler.advance(Duration.ofSeconds(1));

        assertThat(rawFailure(result)).isInstanceOf(TimeoutExceededException.class);
        assertThat(running).isNotDone();

        running.complete("too late");
        assertThat(rawFailure(result)).isInstanceOf(TimeoutExceededException.class);
        assertThat(timeout.getMetrics()).isEqualTo(new TimeoutMetrics(0, 0, 1));
        assertThat(listener.events).containsExactly("timeout t");
    }

    @Test
    void asyncSuccessBeforeTheDeadlineMirrorsTheValueAndCancelsTheTimer() {
        Timeout timeout = timeout(true);
        CompletableFuture<Object> running = new CompletableFuture<>();

        CompletionStage<Object> result = timeout.<String>decorateAsync(context -> running).invoke("context");
        scheduler.advance(Duration.ofMillis(999));
        running.complete("value");

        assertThat(result.toCompletableFuture()).isCompletedWithValue("value");
        assertThat(scheduler.pendingCount()).isZero();
        scheduler.advance(Duration.ofSeconds(5));
        assertThat(result.toCompletableFuture()).isCompletedWithValue("value");
        assertThat(timeout.getMetrics()).isEqualTo(new TimeoutMetrics(1, 0, 0));
        assertThat(listener.events).containsExactly("success t");
    }

    @Test
    void asyncStageThatHasAlreadySucceededIsHandedOnWithoutADeadline() {
        Timeout timeout = timeout(true);
        CompletableFuture<Object> answered = CompletableFuture.completedFuture("cached");

        CompletionStage<Object> result = timeout.<String>decorateAsync(context -> answered).invoke("context");

        assertThat(result).isSameAs(answered);
        assertThat(scheduler.pendingCount()).isZero();
        assertThat(timeout.getMetrics()).isEqualTo(new TimeoutMetrics(1, 0, 0));
        assertThat(listener.events).containsExactly("success t");
    }

    @Test
    void asyncFailureBeforeTheDeadlineIsMirroredUnwrapped() {
        Timeout timeout = timeout(true);
        IOException failure = new IOException("broken");

        CompletionStage<Object> result = timeout.<String>decorateAsync(
                context -> CompletableFuture.failedFuture(failure).thenApply(value -> value)).invoke("context");

        assertThat(rawFailure(result)).isSameAs(failure);
        assertThat(scheduler.pendingCount()).isZero();
        assertThat(timeout.getMetrics()).isEqualTo(new TimeoutMetrics(0, 1, 0));
        assertThat(listener.events).containsExactly("failure broken");
    }

    @Test
    void asyncStepThatThrowsOrReturnsNullFailsTheCall() {
        Timeout timeout = timeout(true);
        IllegalStateException failure = new IllegalStateException("thrown");
        AsyncCall<String> throwing = context -> {
            throw failure;
        };

        CompletionStage<Object> thrown = timeout.decorateAsync(throwing).invoke("context");
        CompletionStage<Object> nullStage = timeout.<String>decorateAsync(context -> null).invoke("context");

        assertThat(rawFailure(thrown)).isSameAs(failure);
        assertThat(rawFailure(nullStage)).isInstanceOf(NullPointerException.class);
        assertThat(scheduler.pendingCount()).isZero();
        assertThat(timeout.getMetrics()).isEqualTo(new TimeoutMetrics(0, 2, 0));
    }

    @Test
    void listenerFailuresNeverBreakACall() throws Throwable {
        Timeout timeout = timeout(true);
        timeout.addListener(new TimeoutListener() {
            @Override
            public void onSuccess(Timeout t) {
                throw new IllegalStateException("listener");
            }
        });

        assertThat(timeout.<String>decorate(context -> "value").invoke("context")).isEqualTo("value");
        assertThat(timeout.getMetrics()).isEqualTo(new TimeoutMetrics(1, 0, 0));
    }

    @Test
    void registryCreatesOneInstancePerNameFromItsConfig() {
        TimeoutRegistry registry = new TimeoutRegistry(
                name -> TimeoutConfig.builder().timeoutDuration(Duration.ofSeconds(name.length())).build(), scheduler);

        Timeout first = registry.get("two");
        Timeout again = registry.get("two");
        Timeout other = registry.get("seven");

        assertThat(again).isSameAs(first);
        assertThat(first.getName()).isEqualTo("two");
        assertThat(first.getConfig().timeoutDuration()).isEqualTo(Duration.ofSeconds(3));
        assertThat(other.getConfig().timeoutDuration()).isEqualTo(Duration.ofSeconds(5));
        assertThat(registry.getAll()).containsExactlyInAnyOrder(first, other);
    }
}
