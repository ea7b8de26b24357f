package dev.resilience.core.bulkhead;

import dev.resilience.core.AsyncCall;
import dev.resilience.core.BulkheadFullException;
import dev.resilience.core.Call;
import dev.resilience.core.Durations;
import dev.resilience.core.Failures;
import dev.resilience.core.RelayFuture;
import dev.resilience.core.Scheduler;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;

/**
 * A bulkhead that lets at most {@code max-concurrent-calls} calls in at once, on the callers' own
 * threads. A further call waits up to {@code max-wait-duration} for room (first come, first served),
 * or not at all when that is zero, and is then rejected with a {@link BulkheadFullException}. A call
 * whose wait is interrupted, or whose thread is interrupted when it arrives (even with a zero wait, as in
 * Resilience4j), is rejected too, with the thread's interrupt flag set again.
 *
 * <p>An asynchronous call never blocks its caller's thread to wait: when this bulkhead was given a
 * {@link Scheduler}, a call that finds no room gets a pending future at once and waits in a queue
 * ({@link AsyncWaiters}: first come, first served among asynchronous calls); the next permit given back
 * goes to the first waiter, whose method is then started through {@link Scheduler#execute}, and the
 * scheduler rejects a waiter whose max-wait-duration has passed. Completing the waiter's future from
 * outside (typically a timeout cancelling it) withdraws it from the queue. Without a scheduler an
 * asynchronous call waits on the caller's thread like a synchronous one.
 *
 * <p>A synchronous call holds its permit while the method runs. An asynchronous call holds it until
 * the stage the method returned completes, not merely until the method returns; cancelling (or
 * otherwise completing) the future handed back to the caller gives the permit back as well, and a
 * cancellation is passed on to the method's own stage ({@link RelayFuture}). Whatever happens, each
 * permit is given back exactly once.
 *
 * <h2>State and concurrency</h2>
 * The permits are one fair {@link Semaphore}, the only point where callers meet; there is no lock of this
 * class's own. Counts are {@link LongAdder}s, the listeners a copy-on-add array. The asynchronous path allocates
 * one CAS-guarded object per call: {@link AsyncPermit}, whose flag makes sure that the stage completing and
 * the caller's future being completed from outside give the permit back once between them; the waiting
 * calls live in {@link AsyncWaiters}, which every release asks to hand the freed permit on. The synchronous
 * path allocates nothing when the call is permitted. Rejections reuse one exception instance per cause:
 * the exception carries no stack trace and no suppressed exceptions.
 */
public final class SemaphoreBulkhead implements Bulkhead {

    private static final int PERMITTED = 0;
    private static final int FULL = 1;
    private static final int INTERRUPTED = 2;

    private final String name;
    private final BulkheadConfig config;
    private final Semaphore semaphore;
    /** Null when asynchronous calls wait on the caller's thread (no scheduler) or never wait. */
    private final AsyncWaiters waiters;
    private final long maxWaitNanos;
    private final LongAdder permittedCalls = new LongAdder();
    private final LongAdder rejectedCalls = new LongAdder();
    private final BulkheadListeners listeners;
    private final BulkheadFullException fullException;
    private final BulkheadFullException interruptedException;

    /** A bulkhead whose asynchronous calls, when they must wait, wait on the caller's thread. */
    public SemaphoreBulkhead(String name, BulkheadConfig config) {
        this(name, config, null);
    }

    /**
     * @param scheduler times out waiting asynchronous calls and starts those that got a permit, so that an
     *                  asynchronous call never blocks a thread to wait; {@code null} makes them wait on the
     *                  caller's thread
     */
    public SemaphoreBulkhead(String name, BulkheadConfig config, Scheduler scheduler) {
        this.name = Objects.requireNonNull(name, "name");
        this.config = Objects.requireNonNull(config, "config");
        this.semaphore = new Semaphore(config.maxConcurrentCalls(), true);
        this.maxWaitNanos = Durations.saturatedNanos(config.maxWaitDuration());
        this.listeners = new BulkheadListeners(this);
        this.fullException = new BulkheadFullException(name, maxWaitNanos == 0
                ? "all " + config.maxConcurrentCalls() + " permits are in use"
                : "no permit of " + config.maxConcurrentCalls() + " became free within " + config.maxWaitDuration());
        this.interruptedException = new BulkheadFullException(name,
                "the thread was interrupted while waiting for a permit");
        this.waiters = (scheduler != null && maxWaitNanos != 0)
                ? new AsyncWaiters(this, semaphore, scheduler, maxWaitNanos, fullException)
                : null;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public BulkheadConfig getConfig() {
        return config;
    }

    @Override
    public int getMaxConcurrentCalls() {
        return config.maxConcurrentCalls();
    }

    @Override
    public int getAvailableConcurrentCalls() {
        return semaphore.availablePermits();
    }

    @Override
    public BulkheadMetrics getMetrics() {
        return new BulkheadMetrics(permittedCalls.sum(), rejectedCalls.sum(), getAvailableConcurrentCalls(),
                getMaxConcurrentCalls());
    }

    @Override
    public void addListener(BulkheadListener listener) {
        listeners.add(listener);
    }

    /**
     * Takes a permit, waiting up to max-wait-duration for one.
     *
     * @return whether the call may go; when it may, {@link #releasePermission()} must follow exactly once
     */
    public boolean tryAcquirePermission() {
        return admit() == PERMITTED;
    }

    /**
     * Takes a permit, waiting up to max-wait-duration for one; {@link #releasePermission()} must follow
     * exactly once.
     *
     * @throws BulkheadFullException when no permit became free in time or the wait was interrupted
     */
    public void acquirePermission() {
        int outcome = admit();
        if (outcome != PERMITTED) {
            throw rejection(outcome);
        }
    }

    /** Gives back a permit taken by {@link #tryAcquirePermission()} or {@link #acquirePermission()}. */
    public void releasePermission() {
        semaphore.release();
        listeners.finished();
        if (waiters != null) {
            waiters.grantFreePermits();
        }
    }

    private int admit() {
        int outcome = acquire();
        if (outcome == PERMITTED) {
            onPermitted();
        } else {
            onRejected();
        }
        return outcome;
    }

    /** Counts a call that holds a permit now; gives the permit back if a listener throws an {@link Error}. */
    void onPermitted() {
        permittedCalls.increment();
        try {
            listeners.permitted();
        } catch (Error error) {
            semaphore.release();
            throw error;
        }
    }

    /** Counts a call that got no permit. */
    void onRejected() {
        rejectedCalls.increment();
        listeners.rejected();
    }

    private int acquire() {
        if (maxWaitNanos == 0) {
            // as in Resilience4j, whose zero wait is still a timed tryAcquire: an interrupted caller is refused
            if (Thread.currentThread().isInterrupted()) {
                return INTERRUPTED;
            }
            return semaphore.tryAcquire() ? PERMITTED : FULL;
        }
        try {
            return semaphore.tryAcquire(maxWaitNanos, TimeUnit.NANOSECONDS) ? PERMITTED : FULL;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return INTERRUPTED;
        }
    }

    private BulkheadFullException rejection(int outcome) {
        return outcome == INTERRUPTED ? interruptedException : fullException;
    }

    @Override
    public <C> Call<C> decorate(Call<C> next) {
        return new SyncCall<>(Objects.requireNonNull(next, "next"));
    }

    /**
     * {@inheritDoc}
     *
     * <p>The returned call never throws for a failure of {@code next}: a rejection, an exception thrown
     * by {@code next} and a {@code null} stage all become failed stages. Only an {@link Error} thrown
     * synchronously by {@code next} is rethrown unchanged, after the permit was given back.
     */
    @Override
    public <C> AsyncCall<C> decorateAsync(AsyncCall<C> next) {
        return new AsyncBulkheadCall<>(Objects.requireNonNull(next, "next"));
    }

    @Override
    public String toString() {
        return "SemaphoreBulkhead[" + name + ", " + getAvailableConcurrentCalls() + "/" + getMaxConcurrentCalls()
                + " available]";
    }

    private final class SyncCall<C> implements Call<C> {

        private final Call<C> next;

        SyncCall(Call<C> next) {
            this.next = next;
        }

        @Override
        public Object invoke(C context) throws Throwable {
            acquirePermission();
            try {
                return next.invoke(context);
            } finally {
                releasePermission();
            }
        }
    }

    private final class AsyncBulkheadCall<C> implements AsyncCall<C> {

        private final AsyncCall<C> next;
        /** This call once it holds a permit, as the waiters run it; built once, not per call. */
        private final AsyncCall<C> permitted = this::invokePermitted;

        AsyncBulkheadCall(AsyncCall<C> next) {
            this.next = next;
        }

        @Override
        public CompletionStage<Object> invoke(C context) {
            if (waiters != null) {
                return invokeOrWait(context);
            }
            int outcome = admit();
            if (outcome != PERMITTED) {
                return CompletableFuture.failedFuture(rejection(outcome));
            }
            return invokePermitted(context);
        }

        /** Without room, the call joins the queue of waiters instead of blocking the caller's thread. */
        private CompletionStage<Object> invokeOrWait(C context) {
            if (waiters.isEmpty() && semaphore.tryAcquire()) {
                onPermitted();
                return invokePermitted(context);
            }
            return waiters.await(permitted, context);
        }

        /** Runs the call that holds a permit; the permit is given back once its stage completes. */
        private CompletionStage<Object> invokePermitted(C context) {
            CompletionStage<Object> stage;
            try {
                stage = next.invoke(context);
            } catch (Error error) {
                releasePermission();
                throw error;
            } catch (Throwable failure) {
                releasePermission();
                return CompletableFuture.failedFuture(failure);
            }
            if (stage instanceof CompletableFuture<Object> done && done.isDone()) {
                // answered at once (a cached or synchronous answer, Mono.just): the permit goes back now
                releasePermission();
                return done;
            }
            // a null stage fails the call: the permit goes back at once, when the failed stage "completes"
            return new AsyncPermit(Failures.nonNullStage(stage, "bulkhead", name)).result;
        }
    }

    /**
     * The permit of one asynchronous call, given back once (the flag) by whichever comes first: the
     * method's stage completing, or the future handed to the caller being completed from outside
     * (cancelled, or abandoned by a timeout that leaves the method's future running).
     */
    private final class AsyncPermit extends AtomicBoolean implements BiConsumer<Object, Throwable> {

        private static final long serialVersionUID = 1L;

        private final transient RelayFuture result;

        AsyncPermit(CompletionStage<Object> source) {
            this.result = new RelayFuture(source);
            result.whenComplete((value, failure) -> releaseOnce());
            source.whenComplete(this);
        }

        /** The method's stage completed: give the permit back before the caller's dependents run. */
        @Override
        public void accept(Object value, Throwable failure) {
            try {
                releaseOnce();
            } finally {
                result.relay(value, failure);
            }
        }

        private void releaseOnce() {
            if (compareAndSet(false, true)) {
                releasePermission();
            }
        }
    }
}
