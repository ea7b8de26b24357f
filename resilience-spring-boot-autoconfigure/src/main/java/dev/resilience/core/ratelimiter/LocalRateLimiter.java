package dev.resilience.core.ratelimiter;

import dev.resilience.core.AsyncCall;
import dev.resilience.core.Call;
import dev.resilience.core.Durations;
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
import java.util.function.Function;

/**
 * A rate limiter whose permits are counted in this process: one lock-free {@link PermitCounter} for its own limit,
 * and one per key ({@link KeyedPermits}, at most {@code max-keys}, the least recently used let go first).
 *
 * <h2>Decisions</h2>
 * The same as Resilience4j's {@code AtomicRateLimiter} for the same settings, calls and clock (see
 * {@link PermitCounter}): at most {@code limit-for-period} permits in each {@code limit-refresh-period}, periods
 * counted from the limiter's creation (a key's from its first call); a call that finds none left takes a permit of a
 * later period when it can wait for it within {@code timeout-duration}, and is refused otherwise. Unlike
 * Resilience4j, a call that would not get a permit in time is refused at once instead of after waiting the whole
 * timeout: the decision is the same, only sooner.
 *
 * <h2>Waiting</h2>
 * A synchronous call parks its thread ({@link Parker}: no spinning) until its permit's period starts. If the wait is
 * interrupted, the call is refused and the interrupt flag is set again; its permit stays used. An asynchronous call
 * never blocks a thread: the caller gets a pending future at once, the shared {@link Scheduler} starts the call when
 * its permit's period starts (off the timer thread, through {@link Scheduler#execute}), and completing that future
 * from outside first (cancelling it) withdraws the call, which then never runs; its permit stays used, and it counts
 * neither as permitted nor as rejected. A call that got its permit at once is not wrapped at all: the caller gets the
 * method's own stage.
 *
 * <h2>Refusals</h2>
 * {@link RateLimitExceededException}, without a stack trace, whose {@code getRetryAfter()} is the time until a permit
 * would be free, rounded up to the millisecond. Refusals whose retry-after rounds to the same millisecond share one
 * exception instance, so that a flood of refused calls allocates at most one exception per millisecond.
 *
 * <p>A permitted call allocates nothing here (without a key; with one, a key seen for the first time allocates its
 * counter).
 */
public final class LocalRateLimiter implements RateLimiter {

    private static final ListenerList.Notice<RateLimiterListener, RateLimiter> PERMITTED =
            (listener, limiter, waitedNanos, none) -> listener.onCallPermitted(limiter, waitedNanos);
    private static final ListenerList.Notice<RateLimiterListener, RateLimiter> REJECTED =
            (listener, limiter, retryAfterNanos, none) -> listener.onCallRejected(limiter, retryAfterNanos);
    private static final long NANOS_PER_MILLI = 1_000_000L;

    private final String name;
    private final RateLimiterConfig config;
    private final Ticker ticker;
    private final Scheduler scheduler;
    private final Parker parker;
    private final long limit;
    private final long periodNanos;
    private final long timeoutNanos;
    private final PermitCounter own;
    private final KeyedPermits keys;
    private final AtomicInteger waitingCalls = new AtomicInteger();
    private final LongAdder permittedCalls = new LongAdder();
    private final LongAdder rejectedCalls = new LongAdder();
    private final ListenerList<RateLimiterListener, RateLimiter> listeners;
    private volatile RateLimitExceededException lastRefusal;

    /**
     * @param ticker    the time of the periods
     * @param scheduler starts the asynchronous calls that wait for a permit
     */
    public LocalRateLimiter(String name, RateLimiterConfig config, Ticker ticker, Scheduler scheduler) {
        this(name, config, ticker, scheduler, Parker.system());
    }

    /** @param parker makes the synchronous calls wait (a test's parker moves a manual ticker instead) */
    public LocalRateLimiter(String name, RateLimiterConfig config, Ticker ticker, Scheduler scheduler, Parker parker) {
        this.name = Objects.requireNonNull(name, "name");
        this.config = Objects.requireNonNull(config, "config");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.parker = Objects.requireNonNull(parker, "parker");
        this.limit = config.limitForPeriod();
        this.periodNanos = Durations.saturatedNanos(config.limitRefreshPeriod());
        this.timeoutNanos = Durations.saturatedNanos(config.timeoutDuration());
        this.own = new PermitCounter(ticker.nanoTime());
        this.keys = new KeyedPermits(config.maxKeys());
        this.listeners = new ListenerList<>(this, "rate limiter '" + name + "'");
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public RateLimiterConfig getConfig() {
        return config;
    }

    @Override
    public RateLimiterMetrics getMetrics() {
        return new RateLimiterMetrics(own.available(ticker, limit, periodNanos), waitingCalls.get(),
                permittedCalls.sum(), rejectedCalls.sum(), keys.size());
    }

    @Override
    public void addListener(RateLimiterListener listener) {
        listeners.add(listener);
    }

    @Override
    public void acquirePermission() {
        acquire(own);
    }

    @Override
    public void acquirePermission(Object key) {
        acquire(counter(key));
    }

    /** {@inheritDoc} A reserved permit counts as permitted, a refusal as rejected. */
    @Override
    public long reservePermission() {
        return reserve(own);
    }

    @Override
    public long reservePermission(Object key) {
        return reserve(counter(key));
    }

    private long reserve(PermitCounter counter) {
        long wait = counter.reserve(ticker, limit, periodNanos, timeoutNanos);
        if (wait >= 0) {
            permitted(wait);
        } else {
            rejectedCalls.increment();
            listeners.notify(REJECTED, -wait, null);
        }
        return wait;
    }

    @Override
    public <C> Call<C> decorate(Call<C> next) {
        return new OwnLimitCall<>(Objects.requireNonNull(next, "next"));
    }

    @Override
    public <C> Call<C> decorate(Call<C> next, Function<? super C, ?> key) {
        return new KeyedCall<>(Objects.requireNonNull(next, "next"), Objects.requireNonNull(key, "key"));
    }

    /**
     * {@inheritDoc}
     *
     * <p>The returned call never throws for a failure of {@code next}: a refusal, an exception thrown by {@code next}
     * and a {@code null} stage all become failed stages. Only an {@link Error} thrown synchronously by {@code next} is
     * rethrown unchanged.
     */
    @Override
    public <C> AsyncCall<C> decorateAsync(AsyncCall<C> next) {
        return new AsyncLimitedCall<>(Objects.requireNonNull(next, "next"), null);
    }

    @Override
    public <C> AsyncCall<C> decorateAsync(AsyncCall<C> next, Function<? super C, ?> key) {
        return new AsyncLimitedCall<>(Objects.requireNonNull(next, "next"), Objects.requireNonNull(key, "key"));
    }

    @Override
    public String toString() {
        return "LocalRateLimiter[" + name + ", " + limit + " per " + config.limitRefreshPeriod() + "]";
    }

    private PermitCounter counter(Object key) {
        return (key == null) ? own : keys.counter(key, ticker);
    }

    /** Takes a permit of {@code counter}, parking the thread until it is free. */
    private void acquire(PermitCounter counter) {
        long wait = counter.reserve(ticker, limit, periodNanos, timeoutNanos);
        if (wait == 0) {
            permitted(0);
        } else if (wait < 0) {
            throw rejected(-wait);
        } else {
            park(wait);
        }
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
        return refusal(retryAfterNanos);
    }

    private RateLimitExceededException refusal(long retryAfterNanos) {
        long millis = retryAfterNanos / NANOS_PER_MILLI + (retryAfterNanos % NANOS_PER_MILLI == 0 ? 0 : 1);
        RateLimitExceededException last = lastRefusal;
        if (last != null && last.getRetryAfter().toMillis() == millis) {
            return last;
        }
        RateLimitExceededException fresh = new RateLimitExceededException(name, Duration.ofMillis(millis));
        lastRefusal = fresh;
        return fresh;
    }

    private final class OwnLimitCall<C> implements Call<C> {

        private final Call<C> next;

        OwnLimitCall(Call<C> next) {
            this.next = next;
        }

        @Override
        public Object invoke(C context) throws Throwable {
            acquire(own);
            return next.invoke(context);
        }
    }

    private final class KeyedCall<C> implements Call<C> {

        private final Call<C> next;
        private final Function<? super C, ?> key;

        KeyedCall(Call<C> next, Function<? super C, ?> key) {
            this.next = next;
            this.key = key;
        }

        @Override
        public Object invoke(C context) throws Throwable {
            acquire(counter(key.apply(context)));
            return next.invoke(context);
        }
    }

    private final class AsyncLimitedCall<C> implements AsyncCall<C> {

        private final AsyncCall<C> next;
        /** {@code null}: the limiter's own limit. */
        private final Function<? super C, ?> key;

        AsyncLimitedCall(AsyncCall<C> next, Function<? super C, ?> key) {
            this.next = next;
            this.key = key;
        }

        @Override
        public CompletionStage<Object> invoke(C context) {
            PermitCounter counter;
            try {
                counter = (key == null) ? own : counter(key.apply(context));
            } catch (RuntimeException keyFailed) {
                return CompletableFuture.failedFuture(keyFailed);
            }
            long wait = counter.reserve(ticker, limit, periodNanos, timeoutNanos);
            if (wait == 0) {
                permitted(0);
                return invokePermitted(context);
            }
            if (wait < 0) {
                return CompletableFuture.failedFuture(rejected(-wait));
            }
            return new AsyncWaiter<>(this, context, wait).start();
        }

        CompletionStage<Object> invokePermitted(C context) {
            try {
                return Failures.nonNullStage(next.invoke(context), "rate limiter", name);
            } catch (RuntimeException failure) {
                return CompletableFuture.failedFuture(failure);
            }
        }
    }

    /**
     * An asynchronous call waiting for its permit's period. Exactly one of two things ends the wait (the state moves
     * once, by CAS, out of WAITING): the scheduler's task fires and the call starts, or the caller's future is
     * completed from outside (cancelled) and the call is withdrawn.
     */
    private final class AsyncWaiter<C> extends AtomicInteger implements Runnable {

        private static final long serialVersionUID = 1L;
        private static final int WAITING = 0;
        private static final int STARTED = 1;
        private static final int WITHDRAWN = 2;

        private final transient AsyncLimitedCall<C> call;
        private final transient C context;
        private final long waitNanos;
        private final transient RelayFuture result = new RelayFuture();
        private transient volatile Scheduler.Scheduled timer;

        AsyncWaiter(AsyncLimitedCall<C> call, C context, long waitNanos) {
            this.call = call;
            this.context = context;
            this.waitNanos = waitNanos;
        }

        CompletionStage<Object> start() {
            waitingCalls.incrementAndGet();
            try {
                timer = scheduler.schedule(this, waitNanos);
            } catch (RuntimeException schedulerRefused) {
                waitingCalls.decrementAndGet();
                rejectedCalls.increment();
                return CompletableFuture.failedFuture(schedulerRefused);
            }
            result.whenComplete((value, failure) -> withdraw());
            return result;
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
                stage = call.invokePermitted(context);
            } catch (Error error) {
                result.completeExceptionally(error);
                throw error;
            }
            result.watch(stage);
            stage.whenComplete(result::relay);
        }
    }
}
