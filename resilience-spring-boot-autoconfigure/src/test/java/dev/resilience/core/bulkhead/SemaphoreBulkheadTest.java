package dev.resilience.core.bulkhead;

import dev.resilience.core.AsyncCall;
import dev.resilience.core.BulkheadFullException;
import dev.resilience.core.Call;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Every test must end: a bulkhead that never gives a call back fails the test here instead of hanging the build. */
@Timeout(60)
class SemaphoreBulkheadTest {

    private final List<CallerThread> callers = new ArrayList<>();

    @AfterEach
    void stopCallers() {
        callers.forEach(caller -> caller.thread.interrupt());
    }

    private static SemaphoreBulkhead bulkhead(String name, int maxConcurrentCalls, Duration maxWait) {
        return new SemaphoreBulkhead(name, BulkheadConfig.builder()
                .maxConcurrentCalls(maxConcurrentCalls).maxWaitDuration(maxWait).build());
    }

    private CallerThread callOnThread(String name, Call<Object> call) {
        CallerThread caller = new CallerThread(name, call);
        callers.add(caller);
        return caller;
    }

    // --- limits and waiting -------------------------------------------------------------------

    @Test
    void permitsUpToMaxConcurrentCallsAndRejectsTheNextWithoutWaitingWhenMaxWaitIsZero() throws Throwable {
        SemaphoreBulkhead bulkhead = bulkhead("inventory", 2, Duration.ZERO);
        assertThat(bulkhead.tryAcquirePermission()).isTrue();
        assertThat(bulkhead.tryAcquirePermission()).isTrue();
        assertThat(bulkhead.getAvailableConcurrentCalls()).isZero();

        // the test thread holds both permits: had the call waited for one, it would never return
        Call<Object> call = bulkhead.decorate(context -> "never");
        assertThatThrownBy(() -> call.invoke(null))
                .isInstanceOf(BulkheadFullException.class)
                .hasMessageContaining("'inventory'")
                .hasMessageContaining("all 2 permits are in use")
                .satisfies(ex -> assertThat(((BulkheadFullException) ex).getName()).isEqualTo("inventory"));

        bulkhead.releasePermission();
        assertThat(call.invoke(null)).isEqualTo("never");
        bulkhead.releasePermission();
        assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(2);
        assertThat(bulkhead.getMetrics()).isEqualTo(new BulkheadMetrics(3, 1, 2, 2));
    }

    @Test
    void aWaitingCallGetsInOnceAPermitIsReleased() {
        SemaphoreBulkhead bulkhead = bulkhead("wait-permit", 1, Duration.ofMinutes(5));
        bulkhead.acquirePermission();

        CallerThread waiter = callOnThread("waiter", bulkhead.decorate(context -> "got in"));
        await().until(waiter::isWaiting);
        assertThat(waiter.outcome).isNotDone();

        bulkhead.releasePermission();

        await().until(waiter.outcome::isDone);
        assertThat(waiter.outcome).isCompletedWithValue("got in");
        assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(1);
        assertThat(bulkhead.getMetrics().permittedCalls()).isEqualTo(2);
        assertThat(bulkhead.getMetrics().rejectedCalls()).isZero();
    }

    @Test
    void aWaitingCallIsRejectedWhenNoPermitFreesUpWithinMaxWait() {
        SemaphoreBulkhead bulkhead = bulkhead("wait-reject", 1, Duration.ofMillis(50));
        bulkhead.acquirePermission();
        AtomicInteger invoked = new AtomicInteger();

        CallerThread waiter = callOnThread("waiter", bulkhead.decorate(context -> invoked.incrementAndGet()));

        await().until(waiter.outcome::isDone);
        assertThatThrownBy(waiter.outcome::join).cause()
                .isInstanceOf(BulkheadFullException.class)
                .hasMessageContaining("'wait-reject'")
                .hasMessageContaining("within PT0.05S");
        assertThat(invoked).hasValue(0);
        assertThat(bulkhead.getAvailableConcurrentCalls()).isZero();
        bulkhead.releasePermission();
        assertThat(bulkhead.getMetrics()).isEqualTo(new BulkheadMetrics(1, 1, 1, 1));
    }

    @Test
    void anInterruptedWaitIsRejectedAndKeepsTheInterruptFlag() {
        SemaphoreBulkhead bulkhead = bulkhead("interrupted", 1, Duration.ofMinutes(5));
        bulkhead.acquirePermission();
        CallerThread waiter = callOnThread("waiter", bulkhead.decorate(context -> "never"));
        await().until(waiter::isWaiting);

        waiter.thread.interrupt();

        await().until(waiter.outcome::isDone);
        assertThatThrownBy(waiter.outcome::join).cause()
                .isInstanceOf(BulkheadFullException.class)
                .hasMessageContaining("interrupted");
        assertThat(waiter.wasInterruptedAtEnd()).isTrue();
        assertThat(bulkhead.getMetrics().rejectedCalls()).isEqualTo(1);
        assertThat(bulkhead.getAvailableConcurrentCalls()).isZero();
    }

    @Test
    void anInterruptedCallerIsRefusedEvenWithAZeroWaitAndRoomLeftAsInResilience4j() {
        SemaphoreBulkhead bulkhead = bulkhead("interrupted-on-entry", 3, Duration.ZERO);
        Thread.currentThread().interrupt();
        try {
            assertThat(bulkhead.tryAcquirePermission()).isFalse();
            assertThatThrownBy(bulkhead::acquirePermission).isInstanceOf(BulkheadFullException.class)
                    .hasMessageContaining("interrupted");
            assertThat(Thread.currentThread().isInterrupted()).as("the flag stays set").isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(3);
        assertThat(bulkhead.getMetrics().rejectedCalls()).isEqualTo(2);
        assertThat(bulkhead.tryAcquirePermission()).isTrue();
    }

    @Test
    void tryAcquirePermissionSaysNoWhenFull() {
        SemaphoreBulkhead bulkhead = bulkhead("direct", 1, Duration.ZERO);
        assertThat(bulkhead.tryAcquirePermission()).isTrue();
        assertThat(bulkhead.tryAcquirePermission()).isFalse();
        assertThatThrownBy(bulkhead::acquirePermission).isInstanceOf(BulkheadFullException.class);
        bulkhead.releasePermission();
        assertThat(bulkhead.tryAcquirePermission()).isTrue();
        assertThat(bulkhead.getMetrics()).isEqualTo(new BulkheadMetrics(2, 2, 0, 1));
    }

    // --- synchronous calls always give the permit back ---------------------------------------

    @Test
    void syncCallReleasesItsPermitOnSuccessAndOnNull() throws Throwable {
        SemaphoreBulkhead bulkhead = bulkhead("sync", 1, Duration.ZERO);
        AtomicInteger availableInside = new AtomicInteger(-1);
        Call<Object> call = bulkhead.decorate(context -> {
            availableInside.set(bulkhead.getAvailableConcurrentCalls());
            return context;
        });

        assertThat(call.invoke("value")).isEqualTo("value");
        assertThat(availableInside).hasValue(0);
        assertThat(call.invoke(null)).isNull();
        assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(1);
    }

    @Test
    void syncCallReleasesItsPermitWhenTheMethodThrowsAnException() {
        SemaphoreBulkhead bulkhead = bulkhead("sync-exception", 1, Duration.ZERO);
        IOException failure = new IOException("disk");
        Call<Object> call = bulkhead.decorate(context -> {
            throw failure;
        });

        assertThatThrownBy(() -> call.invoke(null)).isSameAs(failure);
        assertThatThrownBy(() -> call.invoke(null)).isSameAs(failure);
        assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(1);
    }

    @Test
    void syncCallReleasesItsPermitWhenTheMethodThrowsAnError() {
        SemaphoreBulkhead bulkhead = bulkhead("sync-error", 1, Duration.ZERO);
        StackOverflowError error = new StackOverflowError("deep");
        Call<Object> call = bulkhead.decorate(context -> {
            throw error;
        });

        assertThatThrownBy(() -> call.invoke(null)).isSameAs(error);
        assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(1);
        assertThat(bulkhead.getMetrics().permittedCalls()).isEqualTo(1);
    }

    // --- asynchronous calls hold the permit until the stage completes ------------------------

    @Test
    void asyncPermitIsHeldUntilTheStageCompletesNotUntilTheMethodReturns() {
        SemaphoreBulkhead bulkhead = bulkhead("async", 2, Duration.ZERO);
        CompletableFuture<Object> pending = new CompletableFuture<>();
        AsyncCall<Object> call = bulkhead.decorateAsync(context -> pending);

        CompletableFuture<Object> result = call.invoke(null).toCompletableFuture();

        assertThat(result).isNotDone();
        assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(1);

        pending.complete("done");

        assertThat(result).isCompletedWithValue("done");
        assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(2);
    }

    @Test
    void asyncPermitIsFreeAgainWhenTheCallersDependentsRun() {
        SemaphoreBulkhead bulkhead = bulkhead("async-order", 1, Duration.ZERO);
        CompletableFuture<Object> pending = new CompletableFuture<>();
        AsyncCall<Object> call = bulkhead.decorateAsync(context -> pending);
        AtomicInteger availableInDependent = new AtomicInteger(-1);

        call.invoke(null).thenRun(() -> availableInDependent.set(bulkhead.getAvailableConcurrentCalls()));
        pending.complete("done");

        // a retry chained on the stage must find the permit already free
        assertThat(availableInDependent).hasValue(1);
    }

    @Test
    void asyncFailedStageIsMirroredAndReleasesThePermit() {
        SemaphoreBulkhead bulkhead = bulkhead("async-failed", 1, Duration.ZERO);
        CompletableFuture<Object> pending = new CompletableFuture<>();
        CompletableFuture<Object> result = bulkhead.decorateAsync(context -> pending).invoke(null).toCompletableFuture();
        assertThat(bulkhead.getAvailableConcurrentCalls()).isZero();

        IOException failure = new IOException("remote");
        pending.completeExceptionally(failure);

        assertThat(result).isCompletedExceptionally();
        assertThatThrownBy(result::join).isInstanceOf(CompletionException.class).hasCause(failure);
        assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(1);
    }

    @Test
    void asyncAlreadyCompletedStageReleasesAtOnce() {
        SemaphoreBulkhead bulkhead = bulkhead("async-completed", 1, Duration.ZERO);
        AsyncCall<Object> call = bulkhead.decorateAsync(context -> CompletableFuture.completedFuture("now"));

        assertThat(call.invoke(null).toCompletableFuture()).isCompletedWithValue("now");
        assertThat(call.invoke(null).toCompletableFuture()).isCompletedWithValue("now");
        assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(1);
    }

    @Test
    void asyncCallIsRejectedWithAFailedStageWhenFull() {
        SemaphoreBulkhead bulkhead = bulkhead("async-full", 1, Duration.ZERO);
        CompletableFuture<Object> pending = new CompletableFuture<>();
        AtomicInteger invoked = new AtomicInteger();
        AsyncCall<Object> call = bulkhead.decorateAsync(context -> {
            invoked.incrementAndGet();
            return pending;
        });
        call.invoke(null);

        CompletableFuture<Object> rejected = call.invoke(null).toCompletableFuture();

        assertThat(rejected).isCompletedExceptionally();
        assertThatThrownBy(rejected::join).cause().isInstanceOf(BulkheadFullException.class)
                .hasMessageContaining("'async-full'");
        assertThat(invoked).hasValue(1);
        pending.complete("done");
        assertThat(bulkhead.getMetrics()).isEqualTo(new BulkheadMetrics(1, 1, 1, 1));
    }

    @Test
    void cancellingTheReturnedFutureReleasesOnceAndCancelsTheMethodsStage() {
        SemaphoreBulkhead bulkhead = bulkhead("async-cancel", 2, Duration.ZERO);
        CompletableFuture<Object> pending = new CompletableFuture<>();
        CountingListener listener = new CountingListener();
        bulkhead.addListener(listener);
        CompletableFuture<Object> result = bulkhead.decorateAsync(context -> pending).invoke(null).toCompletableFuture();
        assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(1);

        result.cancel(true);

        assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(2);
        assertThat(pending).isCancelled();
        assertThatThrownBy(result::join).isInstanceOf(CancellationException.class);

        // the method's stage ending later must not give the permit back a second time
        pending.complete("late");
        assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(2);
        assertThat(listener.finished).hasValue(1);
    }

    @Test
    void completingTheReturnedFutureFromOutsideReleasesOnce() {
        SemaphoreBulkhead bulkhead = bulkhead("async-outside", 1, Duration.ZERO);
        CompletableFuture<Object> pending = new CompletableFuture<>();
        CompletableFuture<Object> result = bulkhead.decorateAsync(context -> pending).invoke(null).toCompletableFuture();

        result.completeExceptionally(new IllegalStateException("given up"));
        assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(1);
        assertThat(pending).isNotDone();

        pending.complete("late");
        assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(1);
    }

    @Test
    void asyncMethodThrowingSynchronouslyReleasesAndFailsTheStage() {
        SemaphoreBulkhead bulkhead = bulkhead("async-throws", 1, Duration.ZERO);
        IllegalArgumentException failure = new IllegalArgumentException("bad");
        AsyncCall<Object> call = bulkhead.decorateAsync(context -> {
            throw failure;
        });

        CompletableFuture<Object> result = call.invoke(null).toCompletableFuture();

        assertThat(result).isCompletedExceptionally();
        assertThatThrownBy(result::join).hasCause(failure);
        assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(1);
    }

    @Test
    void asyncMethodThrowingAnErrorReleasesAndRethrowsIt() {
        SemaphoreBulkhead bulkhead = bulkhead("async-error", 1, Duration.ZERO);
        OutOfMemoryError error = new OutOfMemoryError("heap");
        AsyncCall<Object> call = bulkhead.decorateAsync(context -> {
            throw error;
        });

        assertThatThrownBy(() -> call.invoke(null)).isSameAs(error);
        assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(1);
    }

    @Test
    void asyncMethodReturningNullReleasesAndFailsTheStage() {
        SemaphoreBulkhead bulkhead = bulkhead("async-null", 1, Duration.ZERO);
        AsyncCall<Object> call = bulkhead.decorateAsync(context -> null);

        CompletionStage<Object> result = call.invoke(null);

        assertThat(result.toCompletableFuture()).isCompletedExceptionally();
        assertThatThrownBy(() -> result.toCompletableFuture().join())
                .cause().isInstanceOf(NullPointerException.class).hasMessageContaining("'async-null'");
        assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(1);
    }

    // --- listeners and metrics ----------------------------------------------------------------

    @Test
    void listenersHearEveryCallAndMetricsCountThem() throws Throwable {
        SemaphoreBulkhead bulkhead = bulkhead("counted", 1, Duration.ZERO);
        CountingListener listener = new CountingListener();
        bulkhead.addListener(listener);
        Call<Object> call = bulkhead.decorate(context -> "ok");
        CompletableFuture<Object> pending = new CompletableFuture<>();
        AsyncCall<Object> async = bulkhead.decorateAsync(context -> pending);

        call.invoke(null);
        call.invoke(null);
        async.invoke(null);
        assertThatThrownBy(() -> call.invoke(null)).isInstanceOf(BulkheadFullException.class);
        assertThat(listener.finished).hasValue(2);
        pending.complete("ok");

        assertThat(listener.permitted).hasValue(3);
        assertThat(listener.rejected).hasValue(1);
        assertThat(listener.finished).hasValue(3);
        assertThat(bulkhead.getMetrics()).isEqualTo(new BulkheadMetrics(3, 1, 1, 1));
    }

    @Test
    void aFailingListenerNeverBreaksACall() throws Throwable {
        SemaphoreBulkhead bulkhead = bulkhead("failing-listener", 1, Duration.ZERO);
        bulkhead.addListener(new BulkheadListener() {
            @Override
            public void onCallPermitted(Bulkhead b) {
                throw new IllegalStateException("permitted");
            }

            @Override
            public void onCallRejected(Bulkhead b) {
                throw new IllegalStateException("rejected");
            }

            @Override
            public void onCallFinished(Bulkhead b) {
                throw new IllegalStateException("finished");
            }
        });
        CountingListener second = new CountingListener();
        bulkhead.addListener(second);

        assertThat(bulkhead.decorate(context -> "ok").invoke(null)).isEqualTo("ok");
        bulkhead.acquirePermission();
        assertThatThrownBy(bulkhead::acquirePermission).isInstanceOf(BulkheadFullException.class);
        bulkhead.releasePermission();

        assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(1);
        assertThat(second.permitted).hasValue(2);
        assertThat(second.rejected).hasValue(1);
        assertThat(second.finished).hasValue(2);
    }

    @Test
    void describesItself() {
        SemaphoreBulkhead bulkhead = bulkhead("described", 3, Duration.ZERO);
        assertThat(bulkhead.getName()).isEqualTo("described");
        assertThat(bulkhead.getMaxConcurrentCalls()).isEqualTo(3);
        assertThat(bulkhead.getConfig().maxConcurrentCalls()).isEqualTo(3);
        assertThat(bulkhead).hasToString("SemaphoreBulkhead[described, 3/3 available]");
    }
}
