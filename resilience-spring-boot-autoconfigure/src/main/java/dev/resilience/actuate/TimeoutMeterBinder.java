package dev.resilience.actuate;

import java.util.List;
import java.util.function.ToLongFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

import dev.resilience.core.timeout.Timeout;
import dev.resilience.core.timeout.TimeoutMetrics;
import dev.resilience.core.timeout.TimeoutRegistry;

/**
 * {@code resilience.timeout.calls}, a counter tagged {@code name} and {@code kind}: {@code successful},
 * {@code failed}, {@code timeout}; function counters over the timeout's own figures, read when scraped.
 */
public class TimeoutMeterBinder extends InstanceMeterBinder<Timeout> {

    public static final String CALLS = "resilience.timeout.calls";

    public TimeoutMeterBinder(TimeoutRegistry registry) {
        super(registry);
    }

    @Override
    protected List<Meter> register(Timeout timeout, MeterRegistry registry) {
        return List.of(
                counter(timeout, registry, "successful", "Calls that finished with a value before the deadline",
                        TimeoutMetrics::successfulCalls),
                counter(timeout, registry, "failed", "Calls that failed before the deadline",
                        TimeoutMetrics::failedCalls),
                counter(timeout, registry, "timeout", "Calls that ran past the deadline",
                        TimeoutMetrics::timedOutCalls));
    }

    private static FunctionCounter counter(Timeout timeout, MeterRegistry registry, String kind, String description,
            ToLongFunction<TimeoutMetrics> figure) {
        return FunctionCounter.builder(CALLS, timeout, instance -> figure.applyAsLong(instance.getMetrics()))
                .description(description)
                .tag(NAME_TAG, timeout.getName()).tag(KIND_TAG, kind)
                .register(registry);
    }
}
