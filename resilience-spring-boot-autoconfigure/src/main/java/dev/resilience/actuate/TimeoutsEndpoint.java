package dev.resilience.actuate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

import dev.resilience.core.timeout.Timeout;
import dev.resilience.core.timeout.TimeoutMetrics;
import dev.resilience.core.timeout.TimeoutRegistry;

/** The {@code timeouts} endpoint: every timeout instance with its settings and how its calls ended. */
@Endpoint(id = TimeoutsEndpoint.ID)
public class TimeoutsEndpoint {

    /** The endpoint id. */
    public static final String ID = "timeouts";

    private final TimeoutRegistry registry;

    public TimeoutsEndpoint(TimeoutRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** {@code GET /actuator/timeouts}. */
    @ReadOperation
    public TimeoutsDescriptor timeouts() {
        Map<String, InstanceDescriptor<TimeoutMetrics>> all = new TreeMap<>();
        registry.getAll().forEach(timeout -> all.put(timeout.getName(), describe(timeout)));
        return new TimeoutsDescriptor(all);
    }

    /** {@code GET /actuator/timeouts/{name}}; 404 when there is none of this name. */
    @ReadOperation
    public @Nullable InstanceDescriptor<TimeoutMetrics> timeout(@Selector String name) {
        return registry.find(name).map(TimeoutsEndpoint::describe).orElse(null);
    }

    private static InstanceDescriptor<TimeoutMetrics> describe(Timeout timeout) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("timeoutDuration", InstanceDescriptor.duration(timeout.getConfig().timeoutDuration()));
        settings.put("cancelRunningFuture", timeout.getConfig().cancelRunningFuture());
        return new InstanceDescriptor<>(settings, timeout.getMetrics());
    }

    /** @param timeouts every timeout instance by name, in name order */
    public record TimeoutsDescriptor(Map<String, InstanceDescriptor<TimeoutMetrics>> timeouts) {
    }
}
