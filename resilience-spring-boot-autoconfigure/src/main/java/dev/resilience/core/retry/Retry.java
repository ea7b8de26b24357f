package dev.resilience.core.retry;

import dev.resilience.core.Failures;
import dev.resilience.core.AsyncCall;
import dev.resilience.core.Call;
import dev.resilience.core.Durations;
import dev.resilience.core.CircuitBreakerOpenException;
import dev.resilience.core.ExceptionClassifier;
import dev.resilience.core.ListenerList;
import dev.resilience.core.Policy;
import dev.resilience.core.RelayFuture;
import dev.resilience.core.Scheduler;
import dev.resilience.core.Ticker;

import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.DoubleSupplier;

/**
 * Calls the next step again when it fails with a retryable throwable, up to
 * {@link RetryConfig#maxAttempts()} attempts in all (the first call included), waiting
 * {@link #waitNanosBeforeRetry(int)} between two attempts.
 *
 * <h2>Which failures are retried</h2>
 * A throwable is retried when {@link RetryConfig#retryClassifier()} counts it (it is not an instance of an
 * {@code ignore-exceptions} class and, when {@code retry-exceptions} is set, it is an instance of one of
 * them), with two exclusions that apply even then:
 * <ul>
 * <li>a {@link CircuitBreakerOpenException} is retried only when
 * {@link RetryConfig#retryOnCircuitBreakerOpen()} is set (otherwise a rejection only burns attempts);</li>
 * <li>a {@link dev.resilience.core.BulkheadFullException} or a {@link dev.resilience.core.RateLimitExceededException}
 * is retried only when {@code retry-exceptions} lists it (or a subclass) by name: a full bulkhead or a rate limiter
 * out of permits is this application's own back-pressure, and retrying into it adds load where there is no room;</li>
 * <li>an {@link Error} is retried only when {@code retry-exceptions} explicitly lists a subtype of
 * {@code Error} that it is an instance of; listing {@code Throwable} is not enough. Errors are mostly
 * fatal (out of memory, linkage) and a retry would hide them.</li>
 * </ul>
 * A throwable that is not retried propagates unchanged at once. When the attempts are exhausted the
 * failure of the last attempt propagates unchanged, never wrapped.
 *
 * <h2>Retry budget</h2>
 * With {@link RetryConfig#budget()} set, every call deposits into a {@link RetryBudget} and every retry takes one
 * from it, when the retry is decided (before its wait). A retry the budget refuses is not made: the failure of the
 * attempt propagates unchanged, as when the attempts are exhausted, and the call counts as
 * {@link RetryMetrics#failedCallsBudgetExhausted()} (and only there).
 *
 * <h2>Synchronous calls</h2>
 * The attempts run on the caller's thread, which waits with the {@link Sleeper}. If the wait is
 * interrupted, the retry stops: the interrupt flag is restored and the failure of the last attempt is
 * thrown with the {@link InterruptedException} added as suppressed. A call that succeeds on its first
 * attempt allocates nothing here.
 *
 * <h2>Asynchronous calls</h2>
 * No thread ever sleeps: each wait is a task on the {@link Scheduler}, which then starts the next
 * attempt through {@link Scheduler#execute}, off the timer thread. The returned stage completes with
 * the value of the successful attempt, or with the failure of the last attempt unwrapped from
 * {@link CompletionException}. A step that throws synchronously or returns {@code null} counts as a
 * failed attempt. Cancelling the returned future cancels the attempt that is running and stops further
 * attempts; the call is then counted neither as a success nor as a failure.
 *
 * <h2>State and concurrency</h2>
 * A retry holds no lock and no mutable state shared between calls but its counts ({@link LongAdder}s), its
 * budget (lock-free, see {@link RetryBudget}), its listeners (a copy-on-add array) and the cached per-class answer
 * to "is this throwable excluded by default" (a {@link ClassValue}). A synchronous call keeps its attempt number
 * on the caller's stack and allocates nothing when the first attempt succeeds. An asynchronous call has one
 * {@code AsyncExecution}: its attempts never overlap, each one starting after the previous one ended (through the stage's completion and the
 * scheduler's hand-off, which order the memory effects), so its plain fields need no synchronization.
 */
public final class Retry implements Policy {

    private static final ListenerList.Notice<RetryListener, Retry> SUCCESS =
            (listener, retry, attempts, unused) -> listener.onSuccess(retry, (int) attempts);
    private static final ListenerList.Notice<RetryListener, Retry> GAVE_UP =
            (listener, retry, attempts, error) -> listener.onError(retry, (int) attempts, (Throwable) error);
    private static final ListenerList.Notice<RetryListener, Retry> BUDGET_EXHAUSTED =
            (listener, retry, attempts, error) -> listener.onBudgetExhausted(retry, (int) attempts, (Throwable) error);
    private static final ListenerList.Notice<RetryListener, Retry> IGNORED_ERROR =
            (listener, retry, unused, error) -> listener.onIgnoredError(retry, (Throwable) error);
    private static final double MAX_WAIT_NANOS = Long.MAX_VALUE;
    private static final long NANOS_PER_MILLI = 1_000_000L;

    private final String name;
    private final RetryConfig config;
    private final Scheduler scheduler;
    private final Sleeper sleeper;
    private final DoubleSupplier random;
    private final int maxAttempts;
    private final long baseWaitNanos;
    private final long maxWaitNanos;
    private final ExceptionClassifier classifier;
    /** {@code null} without a budget. */
    private final RetryBudget budget;
    private final ClassValue<Boolean> notExcluded = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return notExcludedByDefault(type);
        }
    };

    private final LongAdder successfulWithoutRetry = new LongAdder();
    private final LongAdder successfulWithRetry = new LongAdder();
    private final LongAdder failedWithRetry = new LongAdder();
    private final LongAdder failedWithoutRetry = new LongAdder();
    private final LongAdder failedBudgetExhausted = new LongAdder();

    private final ListenerList<RetryListener, Retry> listeners;

    /** A retry that sleeps the calling thread between synchronous attempts and draws random waits from {@link ThreadLocalRandom}. */
    public Retry(String name, RetryConfig config, Scheduler scheduler) {
        this(name, config, scheduler, Sleeper.system(), () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * @param sleeper waits between synchronous attempts
     * @param random  supplies numbers in [0, 1) for randomized waits
     */
    public Retry(String name, RetryConfig config, Scheduler scheduler, Sleeper sleeper, DoubleSupplier random) {
        this(name, config, scheduler, sleeper, random, Ticker.system());
    }

    /**
     * @param sleeper waits between synchronous attempts
     * @param random  supplies numbers in [0, 1) for randomized waits
     * @param ticker  the time the retry budget's reserve refills by
     */
    public Retry(String name, RetryConfig config, Scheduler scheduler, Sleeper sleeper, DoubleSupplier random,
            Ticker ticker) {
        this.name = Objects.requireNonNull(name, "name");
        this.config = Objects.requireNonNull(config, "config");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.random = Objects.requireNonNull(random, "random");
        this.maxAttempts = config.maxAttempts();
        this.baseWaitNanos = Durations.saturatedNanos(config.waitDuration());
        this.maxWaitNanos = config.exponentialMaxWaitDuration() == null
                ? Long.MAX_VALUE : Durations.saturatedNanos(config.exponentialMaxWaitDuration());
        this.classifier = config.retryClassifier();
        this.budget = config.budget() == null ? null : new RetryBudget(config.budget(), ticker);
        this.listeners = new ListenerList<>(this, "retry '" + name + "'");
    }

    @Override
    public String getName() {
        return name;
    }

    public RetryConfig getConfig() {
        return config;
    }

    /** How the calls so far ended. */
    public RetryMetrics getMetrics() {
        return new RetryMetrics(successfulWithoutRetry.sum(), successfulWithRetry.sum(), failedWithRetry.sum(),
                failedWithoutRetry.sum(), failedBudgetExhausted.sum());
    }

    /** The retry budget, or {@code null} when the config sets none. */
    public RetryBudget getBudget() {
        return budget;
    }

    public void addListener(RetryListener listener) {
        listeners.add(listener);
    }

    /**
     * The wait before retry number {@code retryNumber} (1 is the wait after the first failed attempt), as
     * Resilience4j computes it: the wait duration; with exponential backoff, each further wait is the one before
     * times the multiplier, rounded down to the millisecond (to the nanosecond when the wait duration has a
     * sub-millisecond part, which Resilience4j would truncate); with randomized wait, then drawn uniformly from
     * [w·(1−f), w·(1+f)]; with exponential backoff, last capped by the exponential max wait duration when one is
     * set. Saturates at {@link Long#MAX_VALUE} instead of overflowing.
     */
    public long waitNanosBeforeRetry(int retryNumber) {
        if (retryNumber < 1) {
            throw new IllegalArgumentException("retryNumber must be at least 1, was " + retryNumber);
        }
        if (baseWaitNanos == 0) {
            return 0;
        }
        double wait = config.enableExponentialBackoff() ? exponentialNanos(retryNumber) : baseWaitNanos;
        if (config.enableRandomizedWait()) {
            double factor = config.randomizedWaitFactor();
            wait = wait * (1 - factor) + random.getAsDouble() * (2 * factor * wait);
        }
        if (config.enableExponentialBackoff()) {
            wait = Math.min(wait, maxWaitNanos);
        }
        // the cast saturates at Long.MAX_VALUE
        return (long) wait;
    }

    /**
     * The exponential wait before retry {@code retryNumber}, uncapped: {@code w(n+1) = floor(w(n) × multiplier)} in
     * whole milliseconds (in nanoseconds when the wait duration is not a whole number of them), step by step as in
     * Resilience4j, so that 100ms × 1.5 gives 100, 150, 225, 337, 505. Stops early once the value can no longer change
     * the answer: saturated, at the cap, or at a fixed point.
     */
    private double exponentialNanos(int retryNumber) {
        boolean wholeMillis = baseWaitNanos % NANOS_PER_MILLI == 0;
        long unit = wholeMillis ? NANOS_PER_MILLI : 1;
        long limit = wholeMillis ? Long.MAX_VALUE / NANOS_PER_MILLI : Long.MAX_VALUE;
        long capInUnits = maxWaitNanos / unit;
        double multiplier = config.exponentialBackoffMultiplier();
        long value = baseWaitNanos / unit;
        for (int step = 1; step < retryNumber; step++) {
            // the cast saturates at Long.MAX_VALUE, as Resilience4j's does
            long next = (long) (value * multiplier);
            if (next == value || next >= limit || multiplier >= 1 && next >= capInUnits && !config.enableRandomizedWait()) {
                value = next;
                break;
            }
            value = next;
        }
        return value >= limit ? MAX_WAIT_NANOS : (double) value * unit;
    }

    @Override
    public <C> Call<C> decorate(Call<C> next) {
        Objects.requireNonNull(next, "next");
        return context -> execute(next, context);
    }

    @Override
    public <C> AsyncCall<C> decorateAsync(AsyncCall<C> next) {
        Objects.requireNonNull(next, "next");
        return context -> {
            if (budget != null) {
                budget.deposit();
            }
            AsyncExecution<C> execution = new AsyncExecution<>(next, context);
            execution.run();
            return execution.result;
        };
    }

    private <C> Object execute(Call<C> next, C context) throws Throwable {
        if (budget != null) {
            budget.deposit();
        }
        int attempt = 1;
        while (true) {
            Object result;
            try {
                result = next.invoke(context);
            } catch (Throwable error) {
                long waitNanos = onAttemptFailed(attempt, error);
                if (waitNanos < 0) {
                    throw error;
                }
                try {
                    sleeper.sleep(waitNanos);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    error.addSuppressed(interrupted);
                    onGaveUp(attempt, error);
                    throw error;
                }
                attempt++;
                continue;
            }
            onSuccess(attempt);
            return result;
        }
    }

    /**
     * Records a failed attempt and decides what follows.
     *
     * @return the wait before the next attempt, or -1 when the failure ends the call (already recorded)
     */
    private long onAttemptFailed(int attempt, Throwable error) {
        if (!isRetryable(error)) {
            // as in Resilience4j: a failure that is not retried counts "without retry", on whichever attempt
            failedWithoutRetry.increment();
            notifyIgnoredError(error);
            return -1;
        }
        if (attempt >= maxAttempts) {
            onGaveUp(attempt, error);
            return -1;
        }
        if (budget != null && !budget.tryAcquire()) {
            failedBudgetExhausted.increment();
            listeners.notify(BUDGET_EXHAUSTED, attempt, error);
            return -1;
        }
        long waitNanos = waitNanosBeforeRetry(attempt);
        notifyRetry(attempt, error, waitNanos);
        return waitNanos;
    }

    private boolean isRetryable(Throwable error) {
        return classifier.counts(error) && notExcluded.get(error.getClass());
    }

    private boolean notExcludedByDefault(Class<?> type) {
        if (CircuitBreakerOpenException.class.isAssignableFrom(type)) {
            return config.retryOnCircuitBreakerOpen();
        }
        if (Failures.isUnlistedBackPressure(type, config.retryExceptions())) {
            return false;
        }
        if (Error.class.isAssignableFrom(type)) {
            for (Class<? extends Throwable> listed : config.retryExceptions()) {
                if (Error.class.isAssignableFrom(listed) && listed.isAssignableFrom(type)) {
                    return true;
                }
            }
            return false;
        }
        return true;
    }

    private void onSuccess(int attempts) {
        (attempts == 1 ? successfulWithoutRetry : successfulWithRetry).increment();
        listeners.notify(SUCCESS, attempts, null);
    }

    /** A retryable failure used up the attempts (even a single one), as Resilience4j counts it: "with retry". */
    private void onGaveUp(int attempts, Throwable error) {
        failedWithRetry.increment();
        listeners.notify(GAVE_UP, attempts, error);
    }

    private void notifyIgnoredError(Throwable error) {
        listeners.notify(IGNORED_ERROR, 0, error);
    }

    private void notifyRetry(int attempt, Throwable error, long waitNanos) {
        // once per failed attempt: the one notice that captures, as it has two numbers to pass
        listeners.notify((listener, retry, wait, failure) -> listener.onRetry(retry, attempt, (Throwable) failure, wait),
                waitNanos, error);
    }

    /**
     * The state of one asynchronous call: it starts each attempt (as the scheduled task of a wait) and
     * hears how each attempt ends. Attempts never overlap, and each one is started after the previous one
     * ended (through the stage's completion and the scheduler's hand-off), so the plain field is safe.
     */
    private final class AsyncExecution<C> implements Runnable, BiConsumer<Object, Throwable> {

        private final AsyncCall<C> next;
        private final C context;
        private final RelayFuture result = new RelayFuture();
        private int attempt;

        AsyncExecution(AsyncCall<C> next, C context) {
            this.next = next;
            this.context = context;
        }

        @Override
        public void run() {
            if (result.isDone()) {
                return;
            }
            attempt++;
            CompletionStage<Object> stage;
            try {
                stage = next.invoke(context);
            } catch (Throwable thrown) {
                // the next step broke its contract by throwing: the failure is this attempt's outcome
                accept(null, thrown);
                return;
            }
            // a null stage is a failed attempt like any other: its handler below runs at once
            stage = Failures.nonNullStage(stage, "retry", name);
            result.watch(stage);
            stage.whenComplete(this);
        }

        @Override
        public void accept(Object value, Throwable failure) {
            if (result.isDone()) {
                return;
            }
            if (failure == null) {
                onSuccess(attempt);
                result.complete(value);
                return;
            }
            Throwable error = Failures.unwrap(failure);
            long waitNanos = onAttemptFailed(attempt, error);
            if (waitNanos < 0) {
                result.completeExceptionally(error);
                return;
            }
            try {
                scheduler.schedule(() -> scheduler.execute(this), waitNanos);
            } catch (RuntimeException rejected) {
                error.addSuppressed(rejected);
                onGaveUp(attempt, error);
                result.completeExceptionally(error);
            }
        }
    }
}
