package dev.resilience.actuate;

import java.util.List;
import java.util.function.ToLongFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

import dev.resilience.core.retry.Retry;
import dev.resilience.core.retry.RetryMetrics;
import dev.resilience.core.retry.RetryRegistry;

/**
 * {@code resilience.retry.calls}, a counter tagged {@code name} and {@code kind}: {@code successful_without_retry},
 * {@code successful_with_retry}, {@code failed_with_retry}, {@code failed_without_retry}. Each is a function counter
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
                counter(retry, registry, "successful_without_retry", "Calls that succeeded on the first attempt",
                        RetryMetrics::successfulCallsWithoutRetry),
                counter(retry, registry, "successful_with_retry", "Calls that succeeded after one or more retries",
                        RetryMetrics::successfulCallsWithRetry),
                counter(retry, registry, "failed_with_retry", "Calls that failed after one or more retries",
                        RetryMetrics::failedCallsWithRetry),
                counter(retry, registry, "failed_without_retry", "Calls that failed without being retried",
                        RetryMetrics::failedCallsWithoutRetry));
    }

    private static FunctionCounter counter(Retry retry, MeterRegistry registry, String kind, String description,
            ToLongFunction<RetryMetrics> figure) {
        return FunctionCounter.builder(CALLS, retry, instance -> figure.applyAsLong(instance.getMetrics()))
                .description(description)
                .tag(NAME_TAG, retry.getName()).tag(KIND_TAG, kind)
                .register(registry);
    }
}
