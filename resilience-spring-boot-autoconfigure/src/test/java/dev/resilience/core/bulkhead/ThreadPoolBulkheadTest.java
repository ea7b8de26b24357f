package dev.resilience.core.bulkhead;

import dev.resilience.core.AsyncCall;
import dev.resilience.core.BulkheadFullException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Every test must end: a bulkhead that never gives a call back fails the test here instead of hanging the build. */
@Timeout(60)
class ThreadPoolBulkheadTest {

    private static final ThreadLocal<String> USER = new ThreadLocal<>();

    private final List<ThreadPoolBulkhead> bulkheads = new ArrayList<>();
    private final CountDownLatch gate = new CountDownLatch(1);

    @AfterEach
    void closeBulkheads() {
        gate.countDown();
        bulkheads.forEach(ThreadPoolBulkhead::close);
        USER.remove();
    }

    private ThreadPoolBulkhead bulkhead(String name, int threads, int queueCapacity) {
        return bulkhead(name, threads, queueCapacity, UnaryOperator.identity());
    }

    private ThreadPoolBulkhead bulkhead(String name, int threads, int queueCapacity,
            UnaryOperator<Runnable> contextPropagator) {
        ThreadPoolBulkhead bulkhead = new ThreadPoolBulkhead(name, BulkheadConfig.builder()
                .type(BulkheadConfig.Type.THREAD_POOL)
                .coreThreadPoolSize(threads).maxThreadPoolSize(threads).queueCapacity(queueCapacity)
                .keepAliveDuration(Duration.ofMillis(20)).build(), contextPropagator);
        bulkheads.add(bulkhead);
        return bulkhead;
    }

    /** A method that says it started, then blocks its pool thread until the test opens the gate. */
    private AsyncCall<Object> blockingCall(CountDownLatch started, AtomicInteger invoked) {
        return context -> {
            invoked.incrementAndGet();
            started.countDown();
            try {
                gate.await();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return CompletableFuture.failedFuture(ex);
            }
            return CompletableFuture.completedFuture(context);
        };
    }

    private static List<Thread> liveThreadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith(prefix) && thread.isAlive())
                .toList();
    }

    @Test
    void runsTheMethodOnANamedDaemonPoolThread() {
        ThreadPoolBulkhead bulkhead = bulkhead("reports", 2, 10);
        AsyncCall<Object> call = bulkhead.decorateAsync(context -> {
            Thread thread = Thread.currentThread();
            return CompletableFuture.completedFuture(thread.getName() + (thread.isDaemon() ? " daemon" : ""));
        });

        Object threadName = call.invoke(null).toCompletableFuture().join();

        assertThat((String) threadName).matches("resilience-bulkhead-reports-\\d+ daemon");
        assertThat(Thread.currentThread().getName()).doesNotStartWith("resilience-bulkhead-");
    }

    @Test
    void theReturnedFutureMirrorsTheStageTheMethodReturns() {
        ThreadPoolBulkhead bulkhead = bulkhead("mirror", 1, 10);
        CompletableFuture<Object> later = new CompletableFuture<>();
        CompletableFuture<Object> failing = new CompletableFuture<>();

        CompletableFuture<Object> first = bulkhead.decorateAsync(context -> later).invoke(null).toCompletableFuture();
        CompletableFuture<Object> second = bulkhead.decorateAsync(context -> failing).invoke(null).toCompletableFuture();
        await().until(() -> later.getNumberOfDependents() > 0 && failing.getNumberOfDependents() > 0);
        assertThat(first).isNotDone();
        assertThat(second).isNotDone();

        later.complete("value");
        IOException failure = new IOException("remote");
        failing.completeExceptionally(failure);

        assertThat(first).isCompletedWithValue("value");
        assertThatThrownBy(second::join).hasCause(failure);
        assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(1);
    }

    @Test
    void rejectsWhenEveryThreadIsBusyAndTheQueueIsFull() {
        ThreadPoolBulkhead bulkhead = bulkhead("full", 1, 1);
        CountingListener listener = new CountingListener();
        bulkhead.addListener(listener);
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger invoked = new AtomicInteger();
        AsyncCall<Object> call = bulkhead.decorateAsync(blockingCall(started, invoked));

        CompletableFuture<Object> running = call.invoke("running").toCompletableFuture();
        await().until(() -> started.getCount() == 0);
        assertThat(bulkhead.getAvailableConcurrentCalls()).isZero();
        CompletableFuture<Object> queued = call.invoke("queued").toCompletableFuture();
        CompletableFuture<Object> rejected = call.invoke("rejected").toCompletableFuture();

        assertThat(rejected).isCompletedExceptionally();
        assertThatThrownBy(rejected::join).cause().isInstanceOf(BulkheadFullException.class)
                .hasMessageContaining("'full'").hasMessageContaining("queue of 1 is full");
        assertThat(running).isNotDone();
        assertThat(queued).isNotDone();
        assertThat(bulkhead.getMetrics()).isEqualTo(new BulkheadMetrics(2, 1, 0, 1));
        assertThat(listener.rejected).hasValue(1);

        gate.countDown();

        assertThat(running.join()).isEqualTo("running");
        assertThat(queued.join()).isEqualTo("queued");
        assertThat(invoked).hasValue(2);
        assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(1);
        assertThat(listener.permitted).hasValue(2);
        assertThat(listener.finished).hasValue(2);
    }

    @Test
    void aZeroQueueCapacityRejectsAsSoonAsEveryThreadIsBusy() {
        ThreadPoolBulkhead bulkhead = bulkhead("no-queue", 1, 0);
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger invoked = new AtomicInteger();
        AsyncCall<Object> call = bulkhead.decorateAsync(blockingCall(started, invoked));

        CompletableFuture<Object> running = call.invoke("running").toCompletableFuture();
        await().until(() -> started.getCount() == 0);
        CompletableFuture<Object> rejected = call.invoke("rejected").toCompletableFuture();

        assertThat(rejected).isCompletedExceptionally();
        assertThatThrownBy(rejected::join).cause().isInstanceOf(BulkheadFullException.class);
        gate.countDown();
        assertThat(running.join()).isEqualTo("running");
        assertThat(invoked).hasValue(1);
        assertThat(bulkhead.getMetrics()).isEqualTo(new BulkheadMetrics(1, 1, 1, 1));
    }

    @Test
    void synchronousDecorationFailsNamingTheInstance() {
        ThreadPoolBulkhead bulkhead = bulkhead("ledger", 1, 1);

        assertThatThrownBy(() -> bulkhead.decorate(context -> "sync"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Bulkhead 'ledger' is a thread-pool bulkhead")
                .hasMessageContaining("CompletionStage");
    }

    @Test
    void callersThreadLocalsDoNotFollowTheCallToThePoolThread() {
        ThreadPoolBulkhead bulkhead = bulkhead("no-context", 1, 1);
        USER.set("alice");

        Object seen = bulkhead.decorateAsync(context -> CompletableFuture.completedFuture(String.valueOf(USER.get())))
                .invoke(null).toCompletableFuture().join();

        assertThat(seen).isEqualTo("null");
    }

    @Test
    void theContextPropagatorWrapsEachTaskOnTheCallersThread() {
        AtomicInteger wrapped = new AtomicInteger();
        UnaryOperator<Runnable> propagator = task -> {
            wrapped.incrementAndGet();
            String user = USER.get();
            return () -> {
                USER.set(user);
                try {
                    task.run();
                } finally {
                    USER.remove();
                }
            };
        };
        ThreadPoolBulkhead bulkhead = bulkhead("context", 1, 1, propagator);
        AsyncCall<Object> call = bulkhead.decorateAsync(context -> CompletableFuture.completedFuture(USER.get()));

        USER.set("alice");
        Object first = call.invoke(null).toCompletableFuture().join();
        USER.set("bob");
        Object second = call.invoke(null).toCompletableFuture().join();

        assertThat(first).isEqualTo("alice");
        assertThat(second).isEqualTo("bob");
        assertThat(wrapped).hasValue(2);
    }

    @Test
    void aFailingContextPropagatorFailsTheCallNotTheCaller() {
        IllegalStateException failure = new IllegalStateException("no context");
        ThreadPoolBulkhead bulkhead = bulkhead("bad-context", 1, 1, task -> {
            throw failure;
        });
        AtomicInteger invoked = new AtomicInteger();

        CompletionStage<Object> result = bulkhead.decorateAsync(context -> {
            invoked.incrementAndGet();
            return CompletableFuture.completedFuture("never");
        }).invoke(null);

        assertThatThrownBy(() -> result.toCompletableFuture().join()).hasCause(failure);
        assertThat(invoked).hasValue(0);
    }

    @Test
    void methodThrowingOrReturningNullFailsTheFuture() {
        ThreadPoolBulkhead bulkhead = bulkhead("misbehaving", 1, 10);
        IllegalArgumentException failure = new IllegalArgumentException("bad");
        AssertionError error = new AssertionError("broken");

        CompletableFuture<Object> thrown = bulkhead.decorateAsync(context -> {
            throw failure;
        }).invoke(null).toCompletableFuture();
        CompletableFuture<Object> erred = bulkhead.decorateAsync(context -> {
            throw error;
        }).invoke(null).toCompletableFuture();
        CompletableFuture<Object> nothing = bulkhead.decorateAsync(context -> null).invoke(null).toCompletableFuture();

        assertThatThrownBy(thrown::join).hasCause(failure);
        assertThatThrownBy(erred::join).hasCause(error);
        assertThatThrownBy(nothing::join).cause().isInstanceOf(NullPointerException.class)
                .hasMessageContaining("'misbehaving'");
        // the pool thread ends with the Error, as intended: Awaitility must not take that for the test's failure
        await().dontCatchUncaughtExceptions().until(() -> bulkhead.getAvailableConcurrentCalls() == 1);
        // the pool replaced the thread the Error ended and still serves calls
        assertThat(bulkhead.decorateAsync(context -> CompletableFuture.completedFuture("ok")).invoke(null)
                .toCompletableFuture().join()).isEqualTo("ok");
    }

    @Test
    void aCallCancelledWhileQueuedIsNeverInvoked() {
        ThreadPoolBulkhead bulkhead = bulkhead("cancel-queued", 1, 1);
        CountingListener listener = new CountingListener();
        bulkhead.addListener(listener);
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger invoked = new AtomicInteger();
        AsyncCall<Object> call = bulkhead.decorateAsync(blockingCall(started, invoked));
        CompletableFuture<Object> running = call.invoke("running").toCompletableFuture();
        await().until(() -> started.getCount() == 0);
        CompletableFuture<Object> queued = call.invoke("queued").toCompletableFuture();

        queued.cancel(true);
        gate.countDown();

        assertThat(running.join()).isEqualTo("running");
        await().until(() -> listener.finished.get() == 2);
        assertThat(invoked).hasValue(1);
        assertThat(queued).isCancelled();
    }

    @Test
    void cancellingTheReturnedFuturePassesTheCancellationOnToTheMethodsStage() {
        ThreadPoolBulkhead bulkhead = bulkhead("cancel-running", 1, 1);
        CompletableFuture<Object> pending = new CompletableFuture<>();
        CompletableFuture<Object> result = bulkhead.decorateAsync(context -> pending).invoke(null).toCompletableFuture();
        await().until(() -> pending.getNumberOfDependents() > 0);

        result.cancel(true);

        assertThat(pending).isCancelled();
    }

    @Test
    void closeShutsThePoolDownLettingQueuedCallsFinishAndRejectingNewOnes() throws Exception {
        ThreadPoolBulkhead bulkhead = bulkhead("closing", 1, 1);
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger invoked = new AtomicInteger();
        AsyncCall<Object> call = bulkhead.decorateAsync(blockingCall(started, invoked));
        CompletableFuture<Object> running = call.invoke("running").toCompletableFuture();
        await().until(() -> started.getCount() == 0);
        CompletableFuture<Object> queued = call.invoke("queued").toCompletableFuture();
        assertThat(liveThreadsNamed("resilience-bulkhead-closing-")).hasSize(1);

        bulkhead.close();
        CompletableFuture<Object> afterClose = call.invoke("late").toCompletableFuture();

        assertThat(afterClose).isCompletedExceptionally();
        assertThatThrownBy(afterClose::join).cause().isInstanceOf(BulkheadFullException.class)
                .hasMessageContaining("shut down");
        gate.countDown();
        assertThat(running.get(30, TimeUnit.SECONDS)).isEqualTo("running");
        assertThat(queued.get(30, TimeUnit.SECONDS)).isEqualTo("queued");
        await().until(() -> liveThreadsNamed("resilience-bulkhead-closing-").isEmpty());
    }

    @Test
    void describesItself() {
        ThreadPoolBulkhead bulkhead = bulkhead("described", 4, 2);
        assertThat(bulkhead.getName()).isEqualTo("described");
        assertThat(bulkhead.getMaxConcurrentCalls()).isEqualTo(4);
        assertThat(bulkhead.getAvailableConcurrentCalls()).isEqualTo(4);
        assertThat(bulkhead.getMetrics()).isEqualTo(new BulkheadMetrics(0, 0, 4, 4));
        assertThat(bulkhead).hasToString("ThreadPoolBulkhead[described, 4/4 threads available]");
    }
}
