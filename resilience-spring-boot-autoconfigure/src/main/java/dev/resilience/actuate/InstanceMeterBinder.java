package dev.resilience.actuate;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import dev.resilience.core.InstanceRegistry;
import dev.resilience.core.Policy;

/**
 * Registers the meters of each instance of one kind as the instance is created (and for those that exist when it is
 * bound), and removes them when the instance is removed. No meter is looked up per call: what a call updates is
 * held by the instance's listener, and gauges and function counters read the instance only when scraped.
 *
 * @param <T> the kind of instance
 */
public abstract class InstanceMeterBinder<T extends Policy> implements MeterBinder {

    /** The tag that names the instance, on every meter. */
    public static final String NAME_TAG = "name";

    /** The tag that tells the outcomes of a calls meter apart. */
    public static final String KIND_TAG = "kind";

    private final InstanceRegistry<T> instances;

    protected InstanceMeterBinder(InstanceRegistry<T> instances) {
        this.instances = Objects.requireNonNull(instances, "instances");
    }

    @Override
    public final void bindTo(MeterRegistry registry) {
        // keyed by the instance itself: a removed name created again is a new instance with new meters
        Map<T, List<Meter>> meters = new ConcurrentHashMap<>();
        instances.onAdded(instance -> meters.computeIfAbsent(instance, created -> register(created, registry)));
        instances.onRemoved(instance -> {
            List<Meter> removed = meters.remove(instance);
            if (removed != null) {
                removed.forEach(registry::remove);
            }
        });
    }

    /** Registers the meters of one instance and answers them, so that they can be removed with it. */
    protected abstract List<Meter> register(T instance, MeterRegistry registry);

    /**
     * One outcome ({@code kind}) of a calls counter, read from the instance's own figures when scraped, so that
     * a call pays for its counting once and the meters and the endpoints always agree.
     */
    protected static <P extends Policy> FunctionCounter callsCounter(MeterRegistry registry, String meter,
            P instance, String kind, String description, ToDoubleFunction<P> count) {
        return FunctionCounter.builder(meter, instance, count)
                .description(description)
                .tag(NAME_TAG, instance.getName()).tag(KIND_TAG, kind)
                .register(registry);
    }
}
