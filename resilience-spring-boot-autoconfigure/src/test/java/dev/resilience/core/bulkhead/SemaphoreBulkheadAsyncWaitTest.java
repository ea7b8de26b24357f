package dev.resilience.core.bulkhead;

import dev.resilience.core.AsyncCall;
import dev.resilience.core.BulkheadFullException;
import dev.resilience.core.ManualScheduler;
import dev.resilience.core.ManualTicker;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An asynchronous call that must wait for a permit waits in a queue, not on its caller's thread: the caller gets a
 * pending future at once, the permit given back next starts the call on the scheduler, and the scheduler rejects
 * it once max-wait-duration has passed.
 */
class SemaphoreBulkheadAsyncWaitTest {

    private final ManualScheduler scheduler = new ManualScheduler(new ManualTicker());
    private final SemaphoreBulkhead bulkhead = new SemaphoreBulkhead("queue", BulkheadConfig.builder()
            .maxConcurrentCalls(1).maxWaitDuration(Duration.ofSeconds(1)).build(), scheduler);
    private final CountingListener listener = new CountingListener();
    /** The stage each invocation of the method returned, in order. */
    private final List<CompletableFuture<Object>> invoked = new CopyOnWriteArrayList<>();
    private final AsyncCall<Object> call = bulkhead.decorateAsync(context -> {
        CompletableFuture<Object> stage = new CompletableFuture<>();
        invoked.add(stage);
        return stage;
    });

    SemaphoreBulkheadAsyncWaitTest() {
        bulkhead.addListener(listener);
    }

    private CompletableFuture<Object> invoke() {
        return call.invoke(null).toCompletableFuture();
    }

    @Test
    void aWaitingCallDoesNotBlockItsCallerAndStartsOnTheSchedulerOnceAPermitIsFree() {
        CompletableFuture<Object> first = invoke();

        // with a blocking wait the test thread would stand still here for the whole second
        CompletableFuture<Object> second = invoke();

        assertThat(second).isNotDone();
        assertThat(invoked).hasSize(1);
        invoked.get(0).complete("one");
        assertThat(first).isCompletedWithValue("one");
        assertThat(invoked).as("started by the scheduler, not by the thread that gave the permit back").hasSize(1);

        scheduler.runDue();

        assertThat(invoked).hasSize(2);
        assertThat(bulkhead.getAvailableConcurrentCalls()).isZero();
        invoked.get(1).complete("two");
        assertThat(second).isCompletedWithValue("two");
        assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(1);
        assertThat(bulkhead.getMetrics()).isEqualTo(new BulkheadMetrics(2, 0, 1, 1));
        assertThat(scheduler.pendingCount()).as("the waiter's deadline was cancelled").isZero();
    }

    @Test
    void aWaiterIsRejectedWhenMaxWaitPassesAndTakesNoPermitWithIt() {
        invoke();
        CompletableFuture<Object> waiting = invoke();

        scheduler.advance(Duration.ofMillis(999));
        assertThat(waiting).isNotDone();
        scheduler.advance(Duration.ofMillis(1));

        assertThatThrownBy(waiting::join).cause().isInstanceOf(BulkheadFullException.class)
                .hasMessageContaining("'queue'").hasMessageContaining("PT1S");
        invoked.get(0).complete("one");
        scheduler.runDue();
        assertThat(invoked).hasSize(1);
        assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(1);
        assertThat(bulkhead.getMetrics()).isEqualTo(new BulkheadMetrics(1, 1, 1, 1));
        assertThat(listener.rejected).hasValue(1);
    }

    @Test
    void cancellingAWaiterWithdrawsIt() {
        invoke();
        CompletableFuture<Object> waiting = invoke();

        waiting.cancel(true);

        assertThat(scheduler.pendingCount()).as("the waiter's deadline was cancelled").isZero();
        invoked.get(0).complete("one");
        scheduler.runDue();
        assertThat(invoked).hasSize(1);
        assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(1);
        assertThat(bulkhead.getMetrics()).isEqualTo(new BulkheadMetrics(1, 1, 1, 1));
    }

    @Test
    void aCallerGivingUpBetweenTheGrantAndTheStartGivesThePermitBackWithoutInvoking() {
        invoke();
        CompletableFuture<Object> waiting = invoke();
        invoked.get(0).complete("one");

        waiting.cancel(true);
        scheduler.runDue();

        assertThat(invoked).hasSize(1);
        assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(1);
        assertThat(listener.permitted.get()).isEqualTo(listener.finished.get());
    }

    @Test
    void waitersAreServedInArrivalOrderAndNewCallsQueueBehindThem() {
        invoke();
        CompletableFuture<Object> second = invoke();
        CompletableFuture<Object> third = invoke();

        invoked.get(0).complete("one");
        scheduler.runDue();
        // a new call finds a waiter ahead of it and queues even though no call is running right now
        invoked.get(1).complete("two");
        CompletableFuture<Object> fourth = invoke();
        scheduler.runDue();
        invoked.get(2).complete("three");
        scheduler.runDue();
        invoked.get(3).complete("four");

        assertThat(second).isCompletedWithValue("two");
        assertThat(third).isCompletedWithValue("three");
        assertThat(fourth).isCompletedWithValue("four");
        assertThat(bulkhead.getMetrics()).isEqualTo(new BulkheadMetrics(4, 0, 1, 1));
    }

    @Test
    void aPermitGivenBackBySynchronousCodeGoesToTheWaiter() {
        assertThat(bulkhead.tryAcquirePermission()).isTrue();
        CompletableFuture<Object> waiting = invoke();

        bulkhead.releasePermission();
        scheduler.runDue();

        assertThat(invoked).hasSize(1);
        invoked.get(0).complete("done");
        assertThat(waiting).isCompletedWithValue("done");
        assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(1);
    }

    @Test
    void cancellingAStartedWaiterCancelsTheMethodsStageAndGivesThePermitBack() {
        invoke();
        CompletableFuture<Object> waiting = invoke();
        invoked.get(0).complete("one");
        scheduler.runDue();

        waiting.cancel(true);

        assertThat(invoked.get(1)).isCancelled();
        assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(1);
    }
}
