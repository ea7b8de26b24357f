package dev.resilience.core.retry;

import dev.resilience.core.Ticker;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The retry budget of one {@link Retry}: how many retries it may make now, so that retries add at most
 * {@link RetryConfig.Budget#ratio() ratio} to its calls, plus a small reserve for a quiet service, in the manner of
 * Finagle's {@code RetryBudget} and tower's {@code TpsBudget}.
 *
 * <h2>Semantics</h2>
 * Two accounts, both in whole retries and fractions of one:
 * <ul>
 * <li><b>deposits</b>: every call (its first attempt) deposits {@code ratio} of a retry; the balance is capped at
 * what {@value #BANKED_CALLS} calls deposit ({@code ratio × 1000}: 100 retries at 0.1), so a long healthy stretch
 * does not bank a storm of retries for the next outage (Finagle lets deposits expire after a TTL instead);</li>
 * <li><b>reserve</b>: {@code min-retries-per-second} retries a second, refilled continuously (one every
 * {@code 1s / min-retries-per-second}, rounded up to the nanosecond) from the {@link Ticker}, full when the retry is
 * created and capped at one second's worth, so a long quiet period banks no more than that.</li>
 * </ul>
 * A retry spends one whole retry from the deposits when they hold one, else one from the reserve, else it is refused.
 * So after {@code N} calls (no cap reached) and no time passing, exactly {@code floor(N × ratio) +
 * min-retries-per-second} retries are allowed; over a long outage, at most {@code ratio × calls +
 * min-retries-per-second × seconds} plus the two caps. A refused retry takes nothing.
 *
 * <h2>Concurrency</h2>
 * Lock-free: each account is one {@link AtomicLong}, changed by compare-and-set loops that never let it go below
 * zero or above its cap. The deposits are fixed-point ({@value #UNITS_PER_RETRY} units a retry, so a ratio such as
 * 0.1 is exact); a call that finds them at the cap only reads them, so a healthy busy service writes nothing shared
 * per call. The reserve is a single timestamp, as in the generic cell rate algorithm: the instant at which it was (or
 * would have been) empty; it holds {@code min(cap, (now − emptyAt) / interval)} retries, and taking one moves the
 * instant on by one interval. Nothing here allocates.
 */
public final class RetryBudget {

    /** Fixed-point units in one retry: ratios are exact to the millionth. */
    static final long UNITS_PER_RETRY = 1_000_000L;
    /** The deposits are capped at what this many calls deposit. */
    static final int BANKED_CALLS = 1000;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final double ratio;
    private final int minRetriesPerSecond;
    private final Ticker ticker;
    private final long depositUnits;
    private final long depositCapUnits;
    /** Nanoseconds for the reserve to gain one retry; 0 when there is no reserve. */
    private final long reserveIntervalNanos;
    /** Nanoseconds from empty to full: the reserve's cap times its interval. */
    private final long reserveFillNanos;
    private final AtomicLong depositedUnits = new AtomicLong();
    private final AtomicLong reserveEmptyAt;

    /** A budget of {@code config}'s settings, full reserve, no deposits yet; its time read from {@code ticker}. */
    public RetryBudget(RetryConfig.Budget config, Ticker ticker) {
        Objects.requireNonNull(config, "config");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.ratio = config.ratio();
        this.minRetriesPerSecond = config.minRetriesPerSecond();
        this.depositUnits = Math.round(ratio * UNITS_PER_RETRY);
        this.depositCapUnits = depositUnits * BANKED_CALLS;
        this.reserveIntervalNanos = minRetriesPerSecond == 0 ? 0
                : (NANOS_PER_SECOND + minRetriesPerSecond - 1) / minRetriesPerSecond;
        this.reserveFillNanos = reserveIntervalNanos * minRetriesPerSecond;
        this.reserveEmptyAt = new AtomicLong(ticker.nanoTime() - reserveFillNanos);
    }

    public double ratio() {
        return ratio;
    }

    public int minRetriesPerSecond() {
        return minRetriesPerSecond;
    }

    /** A call begins: deposits {@code ratio} of a retry, up to the cap. */
    public void deposit() {
        long current = depositedUnits.get();
        while (current < depositCapUnits) {
            long next = Math.min(current + depositUnits, depositCapUnits);
            if (depositedUnits.compareAndSet(current, next)) {
                return;
            }
            current = depositedUnits.get();
        }
    }

    /** Takes one retry from the deposits, else from the reserve; {@code false}, taking nothing, when neither can. */
    public boolean tryAcquire() {
        long current = depositedUnits.get();
        while (current >= UNITS_PER_RETRY) {
            if (depositedUnits.compareAndSet(current, current - UNITS_PER_RETRY)) {
                return true;
            }
            current = depositedUnits.get();
        }
        return reserveIntervalNanos != 0 && tryAcquireReserve();
    }

    private boolean tryAcquireReserve() {
        long now = ticker.nanoTime();
        long emptyAt = reserveEmptyAt.get();
        while (true) {
            // differences only, so that a ticker anywhere in the long range works
            long from = (now - emptyAt > reserveFillNanos) ? now - reserveFillNanos : emptyAt;
            long next = from + reserveIntervalNanos;
            if (next - now > 0) {
                return false;
            }
            if (reserveEmptyAt.compareAndSet(emptyAt, next)) {
                return true;
            }
            emptyAt = reserveEmptyAt.get();
        }
    }

    /** The retries the budget would allow now, fractions of one included: deposits plus reserve. */
    public double availableRetries() {
        return (double) depositedUnits.get() / UNITS_PER_RETRY + reserveNow();
    }

    /** The whole retries the reserve holds now. */
    private long reserveNow() {
        if (reserveIntervalNanos == 0) {
            return 0;
        }
        long elapsed = ticker.nanoTime() - reserveEmptyAt.get();
        return elapsed <= 0 ? 0 : Math.min(minRetriesPerSecond, elapsed / reserveIntervalNanos);
    }

    /** The deposits in fixed-point units, for tests that check nothing is lost. */
    long depositedUnits() {
        return depositedUnits.get();
    }
}
