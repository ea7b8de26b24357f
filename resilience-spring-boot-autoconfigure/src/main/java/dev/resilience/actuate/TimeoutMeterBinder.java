package dev.resilience.actuate;

import java.util.List;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

import dev.resilience.core.timeout.Timeout;
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
                callsCounter(registry, CALLS, timeout, "successful",
                        "Calls that finished with a value before the deadline",
                        instance -> instance.getMetrics().successfulCalls()),
                callsCounter(registry, CALLS, timeout, "failed", "Calls that failed before the deadline",
                        instance -> instance.getMetrics().failedCalls()),
                callsCounter(registry, CALLS, timeout, "timeout", "Calls that ran past the deadline",
                        instance -> instance.getMetrics().timedOutCalls()));
    }
}
