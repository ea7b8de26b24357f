package dev.resilience.core.timeout;

import dev.resilience.core.ManualScheduler;
import dev.resilience.core.ManualTicker;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the caller's dependents see when the asynchronous outcome reaches them: the outcome already counted and,
 * after a timeout, the running future already cancelled (a retry reacting to the timeout must not overlap the
 * attempt it gave up on).
 */
class TimeoutAsyncOrderTest {

    private final ManualScheduler scheduler = new ManualScheduler(new ManualTicker());
    private final RecordingTimeoutListener listener = new RecordingTimeoutListener();
    private final Timeout timeout = new Timeout("t",
            TimeoutConfig.builder().timeoutDuration(Duration.ofSeconds(1)).build(), scheduler);
    private final List<String> seenByDependent = new CopyOnWriteArrayList<>();

    TimeoutAsyncOrderTest() {
        timeout.addListener(listener);
    }

    private void watch(CompletableFuture<Object> result, CompletableFuture<Object> running) {
        result.whenComplete((value, failure) -> seenByDependent.add("cancelled=" + running.isCancelled()
                + " metrics=" + timeout.getMetrics() + " events=" + listener.events));
    }

    @Test
    void aTimeoutIsCountedAndTheRunningFutureCancelledBeforeTheCallerHearsOfIt() {
        CompletableFuture<Object> running = new CompletableFuture<>();
        CompletableFuture<Object> result = timeout.decorateAsync(context -> running).invoke(null).toCompletableFuture();
        watch(result, running);

        scheduler.advance(Duration.ofSeconds(1));

        assertThat(seenByDependent).containsExactly(
                "cancelled=true metrics=" + new TimeoutMetrics(0, 0, 1) + " events=[timeout t]");
    }

    @Test
    void successAndFailureAreCountedBeforeTheCallerHearsOfThem() {
        CompletableFuture<Object> succeeding = new CompletableFuture<>();
        watch(timeout.decorateAsync(context -> succeeding).invoke(null).toCompletableFuture(), succeeding);
        succeeding.complete("ok");
        CompletableFuture<Object> failing = new CompletableFuture<>();
        watch(timeout.decorateAsync(context -> failing).invoke(null).toCompletableFuture(), failing);
        failing.completeExceptionally(new IOException("remote"));

        assertThat(seenByDependent).containsExactly(
                "cancelled=false metrics=" + new TimeoutMetrics(1, 0, 0) + " events=[success t]",
                "cancelled=false metrics=" + new TimeoutMetrics(1, 1, 0) + " events=[success t, failure remote]");
        assertThat(scheduler.pendingCount()).isZero();
    }

    @Test
    void aFutureTheCallerCancelledIsNotCountedAsATimeoutLaterAndCancelsTheRunningFuture() {
        CompletableFuture<Object> running = new CompletableFuture<>();
        CompletableFuture<Object> result = timeout.decorateAsync(context -> running).invoke(null).toCompletableFuture();

        result.cancel(true);
        scheduler.advance(Duration.ofSeconds(1));

        assertThat(timeout.getMetrics()).isEqualTo(new TimeoutMetrics(0, 0, 0));
        assertThat(running).isCancelled();
    }
}
