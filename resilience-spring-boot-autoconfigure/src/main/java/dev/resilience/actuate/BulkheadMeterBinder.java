package dev.resilience.actuate;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

import dev.resilience.core.bulkhead.AdaptiveBulkhead;
import dev.resilience.core.bulkhead.Bulkhead;
import dev.resilience.core.bulkhead.BulkheadRegistry;

/**
 * The bulkhead meters, tagged {@code name}: {@code resilience.bulkhead.calls} (a counter tagged {@code kind}
 * {@code permitted} or {@code rejected}), {@code resilience.bulkhead.available.concurrent.calls} and
 * {@code resilience.bulkhead.max.allowed.concurrent.calls} (gauges; an adaptive bulkhead's current limit is its
 * max allowed); for an adaptive bulkhead also {@code resilience.bulkhead.limit} (its current limit) and
 * {@code resilience.bulkhead.inflight.calls} (the calls inside, which a fallen limit may be below for a while).
 * All read the bulkhead's own figures when scraped.
 */
public class BulkheadMeterBinder extends InstanceMeterBinder<Bulkhead> {

    public static final String CALLS = "resilience.bulkhead.calls";
    public static final String AVAILABLE_CONCURRENT_CALLS = "resilience.bulkhead.available.concurrent.calls";
    public static final String MAX_ALLOWED_CONCURRENT_CALLS = "resilience.bulkhead.max.allowed.concurrent.calls";
    public static final String LIMIT = "resilience.bulkhead.limit";
    public static final String INFLIGHT_CALLS = "resilience.bulkhead.inflight.calls";

    public BulkheadMeterBinder(BulkheadRegistry registry) {
        super(registry);
    }

    @Override
    protected List<Meter> register(Bulkhead bulkhead, MeterRegistry registry) {
        String name = bulkhead.getName();
        List<Meter> meters = new ArrayList<>(List.of(
                callsCounter(registry, CALLS, bulkhead, "permitted", "Calls let into the bulkhead",
                        instance -> instance.getMetrics().permittedCalls()),
                callsCounter(registry, CALLS, bulkhead, "rejected", "Calls rejected by the bulkhead",
                        instance -> instance.getMetrics().rejectedCalls()),
                Gauge.builder(AVAILABLE_CONCURRENT_CALLS, bulkhead, Bulkhead::getAvailableConcurrentCalls)
                        .description("How many more calls could start right now")
                        .tag(NAME_TAG, name).strongReference(true).register(registry),
                Gauge.builder(MAX_ALLOWED_CONCURRENT_CALLS, bulkhead, Bulkhead::getMaxConcurrentCalls)
                        .description("The calls allowed at once")
                        .tag(NAME_TAG, name).strongReference(true).register(registry)));
        if (bulkhead instanceof AdaptiveBulkhead adaptive) {
            meters.add(Gauge.builder(LIMIT, adaptive, AdaptiveBulkhead::getLimit)
                    .description("The adaptive bulkhead's current concurrency limit")
                    .tag(NAME_TAG, name).strongReference(true).register(registry));
            meters.add(Gauge.builder(INFLIGHT_CALLS, adaptive, AdaptiveBulkhead::getInFlightCalls)
                    .description("The calls inside the adaptive bulkhead now")
                    .tag(NAME_TAG, name).strongReference(true).register(registry));
        }
        return meters;
    }
}
