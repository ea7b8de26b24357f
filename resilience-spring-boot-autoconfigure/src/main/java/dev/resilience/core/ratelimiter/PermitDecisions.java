package dev.resilience.core.ratelimiter;

import dev.resilience.core.AsyncCall;
import dev.resilience.core.Failures;
import dev.resilience.core.ListenerList;
import dev.resilience.core.RateLimitExceededException;
import dev.resilience.core.RelayFuture;
import dev.resilience.core.Scheduler;
import dev.resilience.core.Ticker;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Carries out the decisions of one rate limiter, wherever its permits are counted: a decision is a number of
 * nanoseconds, {@code 0} for a permit free now, the wait for a permit of a later period, or minus the time until a
 * permit would be free for a refusal. This is what {@link LocalRateLimiter} and a limiter shared by a fleet have in
 * common: the waits, the counts, the listeners and the refusals.
 *
 * <h2>Waiting</h2>
 * A synchronous call parks its thread ({@link Parker}: no spinning) until its permit's period starts. If the wait is
 * interrupted, the call is refused and the interrupt flag is set again; its permit stays used. An asynchronous call
 * never blocks a thread: the caller gets a pending future at once, the {@link Scheduler} starts the call when its
 * permit's period starts (off the timer thread, through {@link Scheduler#execute}), and completing that future from
 * outside first (cancelling it) withdraws the call, which then never runs; its permit stays used, and it counts
 * neither as permitted nor as rejected.
 *
 * <h2>Refusals</h2>
 * {@link RateLimitExceededException}, without a stack trace, whose {@code getRetryAfter()} is the time until a permit
 * would be free, rounded up to the millisecond. Refusals whose retry-after rounds to the same millisecond share one
 * exception instance, so that a flood of refused calls allocates at most one exception per millisecond.
 *
 * <h2>Concurrency</h2>
 * The counts are adders and the waiting calls an atomic; a waiting asynchronous call ends its wait exactly once (see
 * {@link AsyncWaiter}); the last refusal is a volatile cache that any thread may replace.
 */
public final class PermitDecisions {

    private static final ListenerList.Notice<RateLimiterListener, RateLimiter> PERMITTED =
            (listener, limiter, waitedNanos, none) -> listener.onCallPermitted(limiter, waitedNanos);
    private static final ListenerList.Notice<RateLimiterListener, RateLimiter> REJECTED =
            (listener, limiter, retryAfterNanos, none) -> listener.onCallRejected(limiter, retryAfterNanos);
    private static final long NANOS_PER_MILLI = 1_000_000L;

    private final String name;
    private final Ticker ticker;
    private final Scheduler scheduler;
    private final Parker parker;
    private final AtomicInteger waitingCalls = new AtomicInteger();
    private final LongAdder permittedCalls = new LongAdder();
    private final LongAdder rejectedCalls = new LongAdder();
    private final ListenerList<RateLimiterListener, RateLimiter> listeners;
    private volatile RateLimitExceededException lastRefusal;

    /**
     * @param name      the limiter's name, for its refusals
     * @param limiter   the limiter whose decisions these are (what its listeners hear of)
     * @param ticker    the time of the synchronous waits
     * @param scheduler starts the asynchronous calls that wait for a permit
     * @param parker    makes the synchronous calls wait
     */
    public PermitDecisions(String name, RateLimiter limiter, Ticker ticker, Scheduler scheduler, Parker parker) {
        this.name = Objects.requireNonNull(name, "name");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.parker = Objects.requireNonNull(parker, "parker");
        this.listeners = new ListenerList<>(limiter, "rate limiter '" + name + "'");
    }

    public void addListener(RateLimiterListener listener) {
        listeners.add(listener);
    }

    public int waitingCalls() {
        return waitingCalls.get();
    }

    public long permittedCalls() {
        return permittedCalls.sum();
    }

    public long rejectedCalls() {
        return rejectedCalls.sum();
    }

    /** A reservation handed to the caller ({@code reservePermission}): counted, and answered as it is. */
    public long reserved(long decision) {
        if (decision >= 0) {
            permitted(decision);
        } else {
            rejectedCalls.increment();
            listeners.notify(REJECTED, -decision, null);
        }
        return decision;
    }

    /**
     * Carries out the decision for a synchronous call: returns at once, or after parking until the permit's period,
     * or throws the refusal.
     */
    public void await(long decision) {
        if (decision == 0) {
            permitted(0);
        } else if (decision < 0) {
            throw rejected(-decision);
        } else {
            park(decision);
        }
    }

    /**
     * Carries out the decision for an asynchronous call, on the caller's thread: a call permitted now is invoked at
     * once and its own stage is answered; one that waits gets a pending future; a refusal is a failed stage.
     */
    public <C> CompletionStage<Object> proceed(long decision, AsyncCall<C> next, C context) {
        if (decision == 0) {
            permitted(0);
            return invokePermitted(next, context);
        }
        if (decision < 0) {
            return CompletableFuture.failedFuture(rejected(-decision));
        }
        RelayFuture result = new RelayFuture();
        new AsyncWaiter<>(result, next, context, decision).start();
        return result;
    }

    /**
     * Carries out a decision that arrived later than the call (from another thread, such as a Redis client's) into
     * {@code result}, which the caller already holds: even a call permitted now starts off that thread.
     */
    public <C> void proceedLater(long decision, RelayFuture result, AsyncCall<C> next, C context) {
        if (decision < 0) {
            result.completeExceptionally(rejected(-decision));
            return;
        }
        new AsyncWaiter<>(result, next, context, decision).start();
    }

    private void park(long wait) {
        long deadline = ticker.nanoTime() + wait;
        waitingCalls.incrementAndGet();
        try {
            long remaining = wait;
            do {
                parker.park(remaining);
                remaining = deadline - ticker.nanoTime();
            } while (remaining > 0);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw rejected(Math.max(0, deadline - ticker.nanoTime()));
        } finally {
            waitingCalls.decrementAndGet();
        }
        permitted(wait);
    }

    private void permitted(long waitedNanos) {
        permittedCalls.increment();
        listeners.notify(PERMITTED, waitedNanos, null);
    }

    /** Counts a refused call and answers its exception. */
    private RateLimitExceededException rejected(long retryAfterNanos) {
        rejectedCalls.increment();
        listeners.notify(REJECTED, retryAfterNanos, null);
        long millis = retryAfterNanos / NANOS_PER_MILLI + (retryAfterNanos % NANOS_PER_MILLI == 0 ? 0 : 1);
        RateLimitExceededException last = lastRefusal;
        if (last != null && last.getRetryAfter().toMillis() == millis) {
            return last;
        }
        RateLimitExceededException fresh = new RateLimitExceededException(name, Duration.ofMillis(millis));
        lastRefusal = fresh;
        return fresh;
    }

    private <C> CompletionStage<Object> invokePermitted(AsyncCall<C> next, C context) {
        try {
            return Failures.nonNullStage(next.invoke(context), "rate limiter", name);
        } catch (RuntimeException failure) {
            return CompletableFuture.failedFuture(failure);
        }
    }

    /**
     * An asynchronous call waiting for its permit's period (a wait of 0: only for the scheduler to start it). Exactly
     * one of two things ends the wait (the state moves once, by CAS, out of WAITING): the scheduler's task fires and
     * the call starts, or the caller's future is completed from outside (cancelled) and the call is withdrawn.
     */
    private final class AsyncWaiter<C> extends AtomicInteger implements Runnable {

        private static final long serialVersionUID = 1L;
        private static final int WAITING = 0;
        private static final int STARTED = 1;
        private static final int WITHDRAWN = 2;

        private final transient RelayFuture result;
        private final transient AsyncCall<C> next;
        private final transient C context;
        private final long waitNanos;
        private transient volatile Scheduler.Scheduled timer;

        AsyncWaiter(RelayFuture result, AsyncCall<C> next, C context, long waitNanos) {
            this.result = result;
            this.next = next;
            this.context = context;
            this.waitNanos = waitNanos;
        }

        void start() {
            waitingCalls.incrementAndGet();
            try {
                if (waitNanos == 0) {
                    run();
                    return;
                }
                timer = scheduler.schedule(this, waitNanos);
            } catch (RuntimeException schedulerRefused) {
                waitingCalls.decrementAndGet();
                rejectedCalls.increment();
                result.completeExceptionally(schedulerRefused);
                return;
            }
            result.whenComplete((value, failure) -> withdraw());
        }

        /** The permit's period has come: the call starts off the timer thread. */
        @Override
        public void run() {
            if (!compareAndSet(WAITING, STARTED)) {
                return;
            }
            waitingCalls.decrementAndGet();
            try {
                scheduler.execute(this::proceed);
            } catch (RuntimeException executorRefused) {
                result.completeExceptionally(executorRefused);
            }
        }

        private void withdraw() {
            if (compareAndSet(WAITING, WITHDRAWN)) {
                waitingCalls.decrementAndGet();
                Scheduler.Scheduled scheduled = timer;
                if (scheduled != null) {
                    scheduled.cancel();
                }
            }
        }

        private void proceed() {
            if (result.isDone()) {
                // the caller gave up between the start and now: the method is not invoked at all
                return;
            }
            CompletionStage<Object> stage;
            try {
                permitted(waitNanos);
                stage = invokePermitted(next, context);
            } catch (Error error) {
                result.completeExceptionally(error);
                throw error;
            }
            result.watch(stage);
            stage.whenComplete(result::relay);
        }
    }
}
