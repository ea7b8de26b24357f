package dev.resilience.actuate;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * One retry, timeout or bulkhead instance as the read endpoints show it.
 *
 * @param settings the resolved settings, keyed like the properties in camel case (durations in ISO-8601,
 *                 exception classes by name)
 * @param metrics  the live figures: the policy's metrics record
 * @param <M>      the type of the metrics record
 */
public record InstanceDescriptor<M>(Map<String, Object> settings, M metrics) {

    static @Nullable String duration(@Nullable Duration duration) {
        return (duration != null) ? duration.toString() : null;
    }

    static List<String> classNames(List<Class<? extends Throwable>> classes) {
        return classes.stream().map(Class::getName).toList();
    }
}
