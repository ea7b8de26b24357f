package dev.resilience.core;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import dev.resilience.core.bulkhead.BulkheadConfig;
import dev.resilience.core.bulkhead.SemaphoreBulkhead;
import dev.resilience.core.timeout.Timeout;
import dev.resilience.core.timeout.TimeoutConfig;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code cancel-running-future: false} a future that never completes is left running at the deadline, but the
 * bulkhead inside the timeout gets its permit back then: two such calls no longer refuse every later call.
 */
class TimeoutKeepsNoPermitTest {

    private final ManualTicker ticker = new ManualTicker();
    private final ManualScheduler scheduler = new ManualScheduler(ticker);
    private final SemaphoreBulkhead bulkhead = new SemaphoreBulkhead("remote",
            BulkheadConfig.builder().maxConcurrentCalls(2).build(), scheduler);

    private AsyncCall<Object> chain(boolean cancelRunningFuture, CompletableFuture<Object> method) {
        Timeout timeout = new Timeout("remote", new TimeoutConfig(Duration.ofMillis(200), cancelRunningFuture),
                scheduler);
        return timeout.decorateAsync(bulkhead.decorateAsync(context -> method));
    }

    @Test
    void theDeadlineGivesThePermitBackAndLeavesTheMethodsFutureRunning() {
        CompletableFuture<Object> first = new CompletableFuture<>();
        CompletableFuture<Object> second = new CompletableFuture<>();
        CompletableFuture<Object> a = chain(false, first).invoke(null).toCompletableFuture();
        CompletableFuture<Object> b = chain(false, second).invoke(null).toCompletableFuture();
        assertThat(bulkhead.getAvailableConcurrentCalls()).isZero();

        scheduler.advance(Duration.ofMillis(200));

        assertThat(a.handle((value, failure) -> failure).join()).isInstanceOf(TimeoutExceededException.class);
        assertThat(b.handle((value, failure) -> failure).join()).isInstanceOf(TimeoutExceededException.class);
        assertThat(first).isNotDone();
        assertThat(second).isNotDone();
        assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(2);
        assertThat(chain(false, CompletableFuture.completedFuture("third")).invoke(null).toCompletableFuture().join())
                .isEqualTo("third");

        // the late completion of an abandoned call gives nothing back twice
        first.complete("late");
        second.completeExceptionally(new IllegalStateException("late"));
        assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(2);
    }

    @Test
    void aWaitingCallIsWithdrawnAtTheDeadlineWithoutTakingAPermit() {
        SemaphoreBulkhead waiting = new SemaphoreBulkhead("remote", BulkheadConfig.builder().maxConcurrentCalls(1)
                .maxWaitDuration(Duration.ofSeconds(10)).build(), scheduler);
        Timeout timeout = new Timeout("remote", new TimeoutConfig(Duration.ofMillis(200), false), scheduler);
        CompletableFuture<Object> holder = new CompletableFuture<>();
        waiting.decorateAsync(context -> holder).invoke(null);
        CompletableFuture<Object> queued = timeout.decorateAsync(waiting.decorateAsync(
                context -> CompletableFuture.completedFuture("never"))).invoke(null).toCompletableFuture();

        scheduler.advance(Duration.ofMillis(200));
        holder.complete("done");

        assertThat(queued.handle((value, failure) -> failure).join()).isInstanceOf(TimeoutExceededException.class);
        assertThat(waiting.getAvailableConcurrentCalls()).isEqualTo(1);
    }

    @Test
    void withCancellationTheMethodsFutureIsCancelledAsBefore() {
        CompletableFuture<Object> method = new CompletableFuture<>();
        CompletableFuture<Object> result = chain(true, method).invoke(null).toCompletableFuture();

        scheduler.advance(Duration.ofMillis(200));

        assertThat(result).isCompletedExceptionally();
        assertThat(method).isCancelled();
        assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(2);
    }
}
