package dev.resilience.dashboard;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import dev.resilience.core.Policy;
import dev.resilience.core.retry.Retry;
import dev.resilience.core.retry.RetryBudget;
import dev.resilience.core.retry.RetryListener;
import dev.resilience.core.retry.RetryMetrics;

/** A retry: how its calls ended (its own counts, each call once), and, heard from its listener, each retry made. */
final class RetryTrack extends Track implements RetryListener {

    static final String KIND = "retry";

    static final String SUCCESSFUL_WITHOUT_RETRY = "successfulWithoutRetry";
    static final String SUCCESSFUL_WITH_RETRY = "successfulWithRetry";
    static final String FAILED_WITH_RETRY = "failedWithRetry";
    static final String FAILED_WITHOUT_RETRY = "failedWithoutRetry";
    static final String BUDGET_EXHAUSTED = "budgetExhausted";
    static final String RETRIES = "retries";

    private static final List<Counter> COUNTERS = List.of(
            Counter.calls(SUCCESSFUL_WITHOUT_RETRY),
            Counter.calls(SUCCESSFUL_WITH_RETRY),
            Counter.bad(FAILED_WITH_RETRY, "calls fail even after retries",
                    "no more failures after retries"),
            Counter.bad(FAILED_WITHOUT_RETRY, "calls fail and are not retried",
                    "no more unretried failures"),
            Counter.bad(BUDGET_EXHAUSTED, "the retry budget refuses retries",
                    "the retry budget allows retries again"),
            Counter.other(RETRIES));

    private final Retry retry;
    private final LongAdder retries = new LongAdder();
    /** The last failure that ended a call after retries, and the last one that ended a call without. */
    private volatile Throwable lastRetried;
    private volatile Throwable lastUnretried;
    private volatile Throwable lastRefused;

    RetryTrack(Retry retry) {
        super(KIND, retry.getName());
        this.retry = retry;
        retry.addListener(this);
    }

    @Override
    List<Counter> counters() {
        return COUNTERS;
    }

    @Override
    void readCounters(long[] into) {
        RetryMetrics metrics = retry.getMetrics();
        into[0] = metrics.successfulCallsWithoutRetry();
        into[1] = metrics.successfulCallsWithRetry();
        into[2] = metrics.failedCallsWithRetry();
        into[3] = metrics.failedCallsWithoutRetry();
        into[4] = metrics.failedCallsBudgetExhausted();
        into[5] = retries.sum();
    }

    @Override
    void gauges(Map<String, Object> into) {
        into.put("maxAttempts", retry.getConfig().maxAttempts());
        RetryBudget budget = retry.getBudget();
        if (budget != null) {
            into.put("budgetRatio", budget.ratio());
            into.put("budgetRetriesAvailable", Math.floor(budget.availableRetries()));
        }
    }

    @Override
    String detail(Counter counter) {
        Throwable error = switch (counter.name()) {
            case FAILED_WITH_RETRY -> lastRetried;
            case BUDGET_EXHAUSTED -> lastRefused;
            default -> lastUnretried;
        };
        return error == null ? "" : ": " + CircuitBreakerTrack.describe(error);
    }

    @Override
    Policy policy() {
        return retry;
    }

    Retry retry() {
        return retry;
    }

    @Override
    public void onRetry(Retry source, int attempt, Throwable error, long waitNanos) {
        retries.increment();
    }

    @Override
    public void onError(Retry source, int attempts, Throwable error) {
        lastRetried = error; // a retryable failure that used up the attempts: counted failed_with_retry
    }

    @Override
    public void onBudgetExhausted(Retry source, int attempts, Throwable error) {
        lastRefused = error; // the budget refused the retry: counted budget_exhausted
    }

    @Override
    public void onIgnoredError(Retry source, Throwable error) {
        lastUnretried = error; // a failure that is not retried: counted failed_without_retry
    }
}
