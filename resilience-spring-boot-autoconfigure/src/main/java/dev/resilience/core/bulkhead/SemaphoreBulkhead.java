package dev.resilience.core.bulkhead;

import dev.resilience.core.AsyncCall;
import dev.resilience.core.BulkheadFullException;
import dev.resilience.core.Call;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;

/**
 * A bulkhead that lets at most {@code max-concurrent-calls} calls in at once, on the callers' own
 * threads. A further call waits up to {@code max-wait-duration} for room (first come, first served),
 * or not at all when that is zero, and is then rejected with a {@link BulkheadFullException}. A call
 * whose wait is interrupted is rejected too, with the thread's interrupt flag set again.
 *
 * <p>A synchronous call holds its permit while the method runs. An asynchronous call holds it until
 * the stage the method returned completes, not merely until the method returns; cancelling (or
 * otherwise completing) the future handed back to the caller gives the permit back as well, and
 * cancels the method's own stage when it is a {@link Future}. Whatever happens, each permit is given
 * back exactly once.
 *
 * <p>The synchronous path allocates nothing when the call is permitted. Rejections reuse one
 * exception instance per cause: the exception carries no stack trace and no suppressed exceptions.
 */
public final class SemaphoreBulkhead implements Bulkhead {

    private static final int PERMITTED = 0;
    private static final int FULL = 1;
    private static final int INTERRUPTED = 2;

    private final String name;
    private final BulkheadConfig config;
    private final Semaphore semaphore;
    private final long maxWaitNanos;
    private final LongAdder permittedCalls = new LongAdder();
    private final LongAdder rejectedCalls = new LongAdder();
    private final BulkheadListeners listeners = new BulkheadListeners();
    private final BulkheadFullException fullException;
    private final BulkheadFullException interruptedException;

    public SemaphoreBulkhead(String name, BulkheadConfig config) {
        this.name = Objects.requireNonNull(name, "name");
        this.config = Objects.requireNonNull(config, "config");
        this.semaphore = new Semaphore(config.maxConcurrentCalls(), true);
        this.maxWaitNanos = saturatedNanos(config);
        this.fullException = new BulkheadFullException(name, maxWaitNanos == 0
                ? "all " + config.maxConcurrentCalls() + " permits are in use"
                : "no permit of " + config.maxConcurrentCalls() + " became free within " + config.maxWaitDuration());
        this.interruptedException = new BulkheadFullException(name,
                "the thread was interrupted while waiting for a permit");
    }

    private static long saturatedNanos(BulkheadConfig config) {
        try {
            return config.maxWaitDuration().toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
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
        listeners.finished(this);
    }

    private int admit() {
        int outcome = acquire();
        if (outcome == PERMITTED) {
            permittedCalls.increment();
            try {
                listeners.permitted(this);
            } catch (Error error) {
                semaphore.release();
                throw error;
            }
        } else {
            rejectedCalls.increment();
            listeners.rejected(this);
        }
        return outcome;
    }

    private int acquire() {
        if (maxWaitNanos == 0) {
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

        AsyncBulkheadCall(AsyncCall<C> next) {
            this.next = next;
        }

        @Override
        public CompletionStage<Object> invoke(C context) {
            int outcome = admit();
            if (outcome != PERMITTED) {
                return CompletableFuture.failedFuture(rejection(outcome));
            }
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
            if (stage == null) {
                releasePermission();
                return CompletableFuture.failedFuture(new NullPointerException(
                        "The call protected by bulkhead '" + name + "' returned null instead of a CompletionStage"));
            }
            return new AsyncPermit(stage).result;
        }
    }

    /**
     * The permit of one asynchronous call, given back once (the flag) by whichever comes first: the
     * method's stage completing, or the future handed to the caller being completed from outside
     * (typically cancelled by a timeout).
     */
    private final class AsyncPermit extends AtomicBoolean implements BiConsumer<Object, Throwable> {

        private static final long serialVersionUID = 1L;

        private final transient CompletionStage<Object> source;
        private final transient CompletableFuture<Object> result = new CompletableFuture<>();

        AsyncPermit(CompletionStage<Object> source) {
            this.source = source;
            result.whenComplete((value, failure) -> onResultCompleted());
            source.whenComplete(this);
        }

        /** The method's stage completed: give the permit back before the caller's dependents run. */
        @Override
        public void accept(Object value, Throwable failure) {
            try {
                releaseOnce();
            } finally {
                if (failure != null) {
                    result.completeExceptionally(failure);
                } else {
                    result.complete(value);
                }
            }
        }

        private void onResultCompleted() {
            try {
                releaseOnce();
            } finally {
                if (result.isCancelled() && source instanceof Future<?> future) {
                    future.cancel(true);
                }
            }
        }

        private void releaseOnce() {
            if (compareAndSet(false, true)) {
                releasePermission();
            }
        }
    }
}
