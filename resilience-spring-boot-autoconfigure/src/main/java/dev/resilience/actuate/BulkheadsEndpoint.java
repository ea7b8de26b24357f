package dev.resilience.actuate;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

import dev.resilience.core.bulkhead.AdaptiveBulkhead;
import dev.resilience.core.bulkhead.Bulkhead;
import dev.resilience.core.bulkhead.BulkheadConfig;
import dev.resilience.core.bulkhead.BulkheadRegistry;

/**
 * The {@code bulkheads} endpoint: every bulkhead with its settings, its counts and its room right now; an adaptive
 * bulkhead also with its algorithm, its current limit and the calls in flight
 * ({@link dev.resilience.core.bulkhead.AdaptiveBulkheadMetrics}).
 */
@Endpoint(id = BulkheadsEndpoint.ID)
public class BulkheadsEndpoint {

    /** The endpoint id. */
    public static final String ID = "bulkheads";

    private final BulkheadRegistry registry;

    public BulkheadsEndpoint(BulkheadRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** {@code GET /actuator/bulkheads}. */
    @ReadOperation
    public BulkheadsDescriptor bulkheads() {
        Map<String, InstanceDescriptor<?>> all = new TreeMap<>();
        registry.getAll().forEach(bulkhead -> all.put(bulkhead.getName(), describe(bulkhead)));
        return new BulkheadsDescriptor(all);
    }

    /** {@code GET /actuator/bulkheads/{name}}; 404 when there is none of this name. */
    @ReadOperation
    public @Nullable InstanceDescriptor<?> bulkhead(@Selector String name) {
        return registry.find(name).map(BulkheadsEndpoint::describe).orElse(null);
    }

    private static InstanceDescriptor<?> describe(Bulkhead bulkhead) {
        BulkheadConfig config = bulkhead.getConfig();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("type", config.type().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        if (bulkhead instanceof AdaptiveBulkhead adaptive) {
            settings.put("limitAlgorithm", config.limitAlgorithm().name().toLowerCase(Locale.ROOT));
            settings.put("initialLimit", config.initialLimit());
            settings.put("minLimit", config.minLimit());
            settings.put("maxLimit", config.maxLimit());
            return new InstanceDescriptor<>(settings, adaptive.getAdaptiveMetrics());
        }
        if (config.type() == BulkheadConfig.Type.SEMAPHORE) {
            settings.put("maxConcurrentCalls", config.maxConcurrentCalls());
            settings.put("maxWaitDuration", InstanceDescriptor.duration(config.maxWaitDuration()));
        }
        else {
            settings.put("coreThreadPoolSize", config.coreThreadPoolSize());
            settings.put("maxThreadPoolSize", config.maxThreadPoolSize());
            settings.put("queueCapacity", config.queueCapacity());
            settings.put("keepAliveDuration", InstanceDescriptor.duration(config.keepAliveDuration()));
        }
        return new InstanceDescriptor<>(settings, bulkhead.getMetrics());
    }

    /** @param bulkheads every bulkhead by name, in name order */
    public record BulkheadsDescriptor(Map<String, InstanceDescriptor<?>> bulkheads) {
    }
}
