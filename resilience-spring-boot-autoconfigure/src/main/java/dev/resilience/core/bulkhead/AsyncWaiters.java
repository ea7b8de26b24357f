package dev.resilience.core.bulkhead;

import dev.resilience.core.AsyncCall;
import dev.resilience.core.BulkheadFullException;
import dev.resilience.core.RelayFuture;
import dev.resilience.core.Scheduler;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The asynchronous calls of one {@link SemaphoreBulkhead} that found no free permit and wait for one without
 * blocking a thread, first come first served.
 *
 * <h2>State and concurrency</h2>
 * A lock-free queue of waiters, each with a pending future handed to its caller at once and a deadline task
 * on the {@link Scheduler}. A waiter's state moves once, by CAS, out of WAITING, to whichever of three comes
 * first: a permit is granted ({@link #grantFreePermits}, which the bulkhead runs after every release and which
 * runs after every new waiter joined, so that neither a free permit nor a waiter is ever left behind), the
 * deadline passes (rejected with the bulkhead's {@link BulkheadFullException}), or the caller's future is
 * completed from outside (cancelled by a timeout, say: the waiter is withdrawn). A permit taken for a waiter
 * that already gave up goes straight back to the semaphore. A granted call starts through
 * {@link Scheduler#execute}, never on the thread that gave the permit back, and holds its permit like any other
 * asynchronous call from then on.
 */
final class AsyncWaiters {

    private final SemaphoreBulkhead bulkhead;
    private final Semaphore semaphore;
    private final Scheduler scheduler;
    private final long maxWaitNanos;
    private final BulkheadFullException fullException;
    private final ConcurrentLinkedQueue<Waiter<?>> queue = new ConcurrentLinkedQueue<>();

    /**
     * @param semaphore     the bulkhead's permits
     * @param scheduler     times out the waiters and starts the granted ones
     * @param fullException completes the future of a waiter whose wait ran out
     */
    AsyncWaiters(SemaphoreBulkhead bulkhead, Semaphore semaphore, Scheduler scheduler, long maxWaitNanos,
            BulkheadFullException fullException) {
        this.bulkhead = bulkhead;
        this.semaphore = semaphore;
        this.scheduler = scheduler;
        this.maxWaitNanos = maxWaitNanos;
        this.fullException = fullException;
    }

    /** Whether no call waits: only then may a new call take a free permit directly, ahead of nobody. */
    boolean isEmpty() {
        return queue.isEmpty();
    }

    /**
     * Queues a call that found no free permit.
     *
     * @param permitted runs the call once it holds a permit, and gives the permit back when the call ends
     * @return the future handed to the caller at once
     */
    <C> CompletionStage<Object> await(AsyncCall<C> permitted, C context) {
        Waiter<C> waiter = new Waiter<>(permitted, context);
        try {
            waiter.deadline = scheduler.schedule(waiter, maxWaitNanos);
        } catch (RuntimeException rejected) {
            bulkhead.onRejected();
            return CompletableFuture.failedFuture(rejected);
        }
        queue.add(waiter);
        grantFreePermits();
        return waiter.result;
    }

    /** Hands free permits to the waiting calls, first come first served. */
    void grantFreePermits() {
        while (!queue.isEmpty() && semaphore.tryAcquire()) {
            Waiter<?> waiter = queue.poll();
            if (waiter == null || !waiter.grant()) {
                // the queue emptied meanwhile, or the waiter gave up: the permit goes back
                semaphore.release();
            }
        }
    }

    /** One waiting call; see the class comment for how its wait ends. */
    private final class Waiter<C> extends AtomicInteger implements Runnable {

        private static final long serialVersionUID = 1L;
        private static final int WAITING = 0;
        private static final int GRANTED = 1;
        private static final int GAVE_UP = 2;

        private final transient AsyncCall<C> permitted;
        private final transient C context;
        private final transient RelayFuture result = new RelayFuture();
        /** Set before the waiter joins the queue, hence visible to whoever grants it. */
        private transient Scheduler.Scheduled deadline;

        Waiter(AsyncCall<C> permitted, C context) {
            this.permitted = permitted;
            this.context = context;
            result.whenComplete((value, failure) -> withdraw());
        }

        /** The deadline passed without a permit. */
        @Override
        public void run() {
            if (compareAndSet(WAITING, GAVE_UP)) {
                queue.remove(this);
                bulkhead.onRejected();
                result.completeExceptionally(fullException);
            }
        }

        /** The caller's future was completed from outside while the call waited. */
        private void withdraw() {
            if (compareAndSet(WAITING, GAVE_UP)) {
                queue.remove(this);
                deadline.cancel();
                bulkhead.onRejected();
            }
        }

        /** Hands the permit just taken to this waiter; false when it no longer waits. */
        boolean grant() {
            if (!compareAndSet(WAITING, GRANTED)) {
                return false;
            }
            deadline.cancel();
            try {
                scheduler.execute(this::start);
            } catch (RuntimeException rejected) {
                semaphore.release();
                bulkhead.onRejected();
                result.completeExceptionally(rejected);
            }
            return true;
        }

        /** Runs the granted call through the scheduler, not on the thread that gave the permit back. */
        private void start() {
            try {
                bulkhead.onPermitted();
            } catch (Error error) {
                result.completeExceptionally(error);
                throw error;
            }
            if (result.isDone()) {
                // the caller gave up between the grant and now: the method is not invoked at all
                bulkhead.releasePermission();
                return;
            }
            CompletionStage<Object> stage;
            try {
                stage = permitted.invoke(context);
            } catch (Error error) {
                result.completeExceptionally(error);
                throw error;
            }
            result.watch(stage);
            stage.whenComplete(result::relay);
        }
    }
}
