package dev.resilience.core.ratelimiter;

import dev.resilience.core.Ticker;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The permits of one limit (a limiter's own, or one key's): a single atomic number, lock-free, that a permitted call
 * moves on by one compare-and-set and nothing else, so that taking a permit allocates nothing.
 *
 * <h2>The count</h2>
 * Time runs in periods of {@code periodNanos} from the counter's {@linkplain #origin origin}: period {@code c} is
 * {@code [origin + c·period, origin + (c+1)·period)}. The permits are numbered: those of period {@code c} are
 * {@code c·limit} to {@code (c+1)·limit − 1}, and the counter holds the number of the next one to hand out. A call in
 * period {@code c} takes {@code max(next, c·limit)}: a permit of the current period if one is left (so unused permits
 * never carry over into a later period), otherwise one of a later period, to be waited for until that period starts,
 * and taken only if that wait is within the caller's timeout. A refused call changes nothing.
 *
 * <p>These are the decisions of Resilience4j's {@code AtomicRateLimiter}, whose state is the active cycle and its
 * available permissions (negative when permits of later cycles are reserved): with {@code a} available in cycle
 * {@code p}, the next permit's number is {@code (p+1)·limit − a}, and at a later cycle {@code c} both give
 * {@code min(a + (c−p)·limit, limit)} permits and the same wait. One {@code long} instead of an immutable state object
 * per call is what makes the permitted path free of allocation.
 */
class PermitCounter extends AtomicLong {

    private static final long serialVersionUID = 1L;

    /** When period 0 starts, in the ticker's nanoseconds. */
    final long origin;

    /**
     * The period of the latest call: a hint that spares the calls of the same period a 64-bit division (the most
     * costly step of taking a permit after reading the clock). Checked before it is used, so a stale or racing
     * value only costs that division.
     */
    private volatile long lastPeriod;

    PermitCounter(long origin) {
        this.origin = origin;
    }

    /**
     * Takes the next permit if it is free now or becomes free within {@code timeoutNanos}.
     *
     * @return {@code 0} when the permit is free now; a positive number of nanoseconds to wait before using the permit
     *         taken; or, when refused (nothing taken), minus the nanoseconds until a permit would be free, always
     *         below {@code -timeoutNanos}
     */
    final long reserve(Ticker ticker, long limit, long periodNanos, long timeoutNanos) {
        while (true) {
            long now = ticker.nanoTime() - origin;
            long first = period(now, periodNanos) * limit;
            long current = get();
            long taken = Math.max(current, first);
            long wait = (taken - first < limit) ? 0 : (taken / limit) * periodNanos - now;
            if (wait > timeoutNanos) {
                return -wait;
            }
            if (compareAndSet(current, taken + 1)) {
                return wait;
            }
        }
    }

    /**
     * The permits left in the current period, as a call now would find them; negative when calls wait for permits of
     * later periods. Reads only.
     */
    final long available(Ticker ticker, long limit, long periodNanos) {
        long now = ticker.nanoTime() - origin;
        long first = period(now, periodNanos) * limit;
        return first + limit - Math.max(get(), first);
    }

    /** The number of the period {@code now} falls in: {@code now / periodNanos}, without dividing when it can. */
    private long period(long now, long periodNanos) {
        long hint = lastPeriod;
        long start = hint * periodNanos;
        if (now >= start && now - start < periodNanos) {
            return hint;
        }
        long period = now / periodNanos;
        if (period > hint) {
            lastPeriod = period;
        }
        return period;
    }
}
