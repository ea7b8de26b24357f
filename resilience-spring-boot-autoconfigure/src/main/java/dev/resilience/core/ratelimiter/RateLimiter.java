package dev.resilience.core.ratelimiter;

import dev.resilience.core.AsyncCall;
import dev.resilience.core.Call;
import dev.resilience.core.Policy;
import dev.resilience.core.Scheduler;
import dev.resilience.core.Ticker;

import java.util.function.Function;

/**
 * A rate limiter: at most {@code limit-for-period} calls in each {@code limit-refresh-period}. A call that finds no
 * permit left waits for one of a later period, up to {@code timeout-duration}, and is refused with a
 * {@link dev.resilience.core.RateLimitExceededException} when none would come in time (at once: it never waits only
 * to be refused). With a key, each distinct key value has a limit of its own, at most {@code max-keys} keys at once.
 *
 * <p>This is the seam everything that reads or drives a limiter depends on (the registry, the interceptor, the
 * endpoint, the meters), so that where its permits live is the implementation's business: {@link LocalRateLimiter}
 * counts them in this process; a limiter shared by a fleet counts them in Redis.
 */
public interface RateLimiter extends Policy {

    /** A limiter whose permits are counted in this process. */
    static RateLimiter of(String name, RateLimiterConfig config, Ticker ticker, Scheduler scheduler) {
        return new LocalRateLimiter(name, config, ticker, scheduler);
    }

    RateLimiterConfig getConfig();

    /** A snapshot of the permits and counts. */
    RateLimiterMetrics getMetrics();

    /**
     * Adds a listener that hears of every call from now on. A listener's {@link RuntimeException} never breaks a
     * call.
     */
    void addListener(RateLimiterListener listener);

    /**
     * Takes a permit of the limiter's own limit, waiting for it up to the timeout.
     *
     * @throws dev.resilience.core.RateLimitExceededException when no permit comes within the timeout, or the wait
     *                                                        is interrupted (the interrupt flag is then set again)
     */
    void acquirePermission();

    /**
     * Takes a permit of {@code key}'s own limit, waiting for it up to the timeout; a {@code null} key takes one of the
     * limiter's own limit, as {@link #acquirePermission()} does.
     *
     * @throws dev.resilience.core.RateLimitExceededException as {@link #acquirePermission()}
     */
    void acquirePermission(Object key);

    /**
     * Takes a permit of the limiter's own limit without waiting for it, as Resilience4j's {@code reservePermission}
     * does: the caller waits itself, if it must, before the call the permit is for.
     *
     * @return {@code 0} when the permit is free now; the nanoseconds to wait before using it when it is one of a later
     *         period, within the timeout; a negative number when refused (nothing is taken): minus the nanoseconds
     *         until a permit would be free
     */
    long reservePermission();

    /** {@link #reservePermission()} for {@code key}'s own limit; a {@code null} key takes one of the limiter's own. */
    long reservePermission(Object key);

    /**
     * Limits the calls of {@code next} by the key each call's context gives: {@code key} is applied to the context
     * before anything else, and a {@code null} answer takes a permit of the limiter's own limit. An exception the key
     * function throws is the call's failure, and the call does not proceed.
     */
    <C> Call<C> decorate(Call<C> next, Function<? super C, ?> key);

    /**
     * The asynchronous counterpart of {@link #decorate(Call, Function)}: a call never blocks a thread to wait, and a
     * refusal, like a failure of the key function, is a failed stage.
     */
    <C> AsyncCall<C> decorateAsync(AsyncCall<C> next, Function<? super C, ?> key);
}
