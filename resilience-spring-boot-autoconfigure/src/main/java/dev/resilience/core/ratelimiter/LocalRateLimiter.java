package dev.resilience.core.ratelimiter;

import dev.resilience.core.AsyncCall;
import dev.resilience.core.Call;
import dev.resilience.core.Durations;
import dev.resilience.core.RateLimitExceededException;
import dev.resilience.core.Scheduler;
import dev.resilience.core.Ticker;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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
 * <h2>Waiting and refusals</h2>
 * As {@link PermitDecisions} carries them out: a synchronous call parks, an asynchronous one never blocks a thread
 * and can be withdrawn while it waits; a refusal is a {@link RateLimitExceededException} without a stack trace. A
 * call that got its permit at once is not wrapped at all: the caller gets the method's own stage.
 *
 * <p>A permitted call allocates nothing here (without a key; with one, a key seen for the first time allocates its
 * counter).
 */
public final class LocalRateLimiter implements RateLimiter {

    private final String name;
    private final RateLimiterConfig config;
    private final Ticker ticker;
    private final long limit;
    private final long periodNanos;
    private final long timeoutNanos;
    private final PermitCounter own;
    private final KeyedPermits keys;
    private final PermitDecisions decisions;

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
        this.limit = config.limitForPeriod();
        this.periodNanos = Durations.saturatedNanos(config.limitRefreshPeriod());
        this.timeoutNanos = Durations.saturatedNanos(config.timeoutDuration());
        this.own = new PermitCounter(ticker.nanoTime());
        this.keys = new KeyedPermits(config.maxKeys());
        this.decisions = new PermitDecisions(name, this, ticker, scheduler, parker);
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
        return new RateLimiterMetrics(own.available(ticker, limit, periodNanos), decisions.waitingCalls(),
                decisions.permittedCalls(), decisions.rejectedCalls(), keys.size());
    }

    @Override
    public void addListener(RateLimiterListener listener) {
        decisions.addListener(listener);
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
        return decisions.reserved(decide(counter));
    }

    private long decide(PermitCounter counter) {
        return counter.reserve(ticker, limit, periodNanos, timeoutNanos);
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
        decisions.await(decide(counter));
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
            return decisions.proceed(decide(counter), next, context);
        }
    }
}
