package dev.resilience.actuate;

import java.util.List;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

import dev.resilience.core.retry.Retry;
import dev.resilience.core.retry.RetryRegistry;

/**
 * {@code resilience.retry.calls}, a counter tagged {@code name} and {@code kind}: {@code successful_without_retry},
 * {@code successful_with_retry}, {@code failed_with_retry}, {@code failed_without_retry}, {@code budget_exhausted}
 * (failed when the retry budget refused a retry; each call counts in exactly one kind). Each is a function counter
 * over the retry's own figures (which it keeps for every call anyway), read when scraped, so the hot path pays for
 * counting once and the meters and the {@code retries} endpoint always agree.
 */
public class RetryMeterBinder extends InstanceMeterBinder<Retry> {

    public static final String CALLS = "resilience.retry.calls";

    public RetryMeterBinder(RetryRegistry registry) {
        super(registry);
    }

    @Override
    protected List<Meter> register(Retry retry, MeterRegistry registry) {
        return List.of(
                callsCounter(registry, CALLS, retry, "successful_without_retry",
                        "Calls that succeeded on the first attempt",
                        instance -> instance.getMetrics().successfulCallsWithoutRetry()),
                callsCounter(registry, CALLS, retry, "successful_with_retry",
                        "Calls that succeeded after one or more retries",
                        instance -> instance.getMetrics().successfulCallsWithRetry()),
                callsCounter(registry, CALLS, retry, "failed_with_retry",
                        "Calls that failed after one or more retries",
                        instance -> instance.getMetrics().failedCallsWithRetry()),
                callsCounter(registry, CALLS, retry, "failed_without_retry",
                        "Calls that failed without being retried",
                        instance -> instance.getMetrics().failedCallsWithoutRetry()),
                callsCounter(registry, CALLS, retry, "budget_exhausted",
                        "Calls that failed because the retry budget refused a retry",
                        instance -> instance.getMetrics().failedCallsBudgetExhausted()));
    }
}
