package dev.resilience.core.bulkhead;

import dev.resilience.core.InstanceRegistry;
import dev.resilience.core.Scheduler;
import dev.resilience.core.Ticker;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Hands out the named bulkheads: a {@link SemaphoreBulkhead}, a {@link ThreadPoolBulkhead} or an
 * {@link AdaptiveBulkhead} according to the type of the config resolved for the name. The registry owns what it created:
 * {@link #close()} closes every bulkhead (shutting the thread pools down), and {@link #remove(String)}
 * closes the removed one.
 */
public final class BulkheadRegistry extends InstanceRegistry<Bulkhead> implements AutoCloseable {

    /** @param configForName the config of the bulkhead of a name; called once per name */
    public BulkheadRegistry(Function<String, BulkheadConfig> configForName) {
        this(configForName, UnaryOperator.identity());
    }

    /**
     * @param configForName     the config of the bulkhead of a name; called once per name
     * @param contextPropagator given to every thread-pool bulkhead, see
     *                          {@link ThreadPoolBulkhead#ThreadPoolBulkhead(String, BulkheadConfig, UnaryOperator)}
     */
    public BulkheadRegistry(Function<String, BulkheadConfig> configForName, UnaryOperator<Runnable> contextPropagator) {
        super(factory(configForName, contextPropagator, null, Ticker.system()));
    }

    /**
     * @param configForName     the config of the bulkhead of a name; called once per name
     * @param contextPropagator given to every thread-pool bulkhead
     * @param scheduler         given to every semaphore bulkhead, so that an asynchronous call waits for a permit
     *                          without blocking a thread, see
     *                          {@link SemaphoreBulkhead#SemaphoreBulkhead(String, BulkheadConfig, Scheduler)}
     */
    public BulkheadRegistry(Function<String, BulkheadConfig> configForName, UnaryOperator<Runnable> contextPropagator,
            Scheduler scheduler) {
        this(configForName, contextPropagator, scheduler, Ticker.system());
    }

    /**
     * @param configForName     the config of the bulkhead of a name; called once per name
     * @param contextPropagator given to every thread-pool bulkhead
     * @param scheduler         given to every semaphore bulkhead
     * @param ticker            given to every adaptive bulkhead, which times its calls on it
     */
    public BulkheadRegistry(Function<String, BulkheadConfig> configForName, UnaryOperator<Runnable> contextPropagator,
            Scheduler scheduler, Ticker ticker) {
        super(factory(configForName, contextPropagator, Objects.requireNonNull(scheduler, "scheduler"), ticker));
    }

    private static Function<String, Bulkhead> factory(Function<String, BulkheadConfig> configForName,
            UnaryOperator<Runnable> contextPropagator, Scheduler scheduler, Ticker ticker) {
        Objects.requireNonNull(configForName, "configForName");
        Objects.requireNonNull(contextPropagator, "contextPropagator");
        Objects.requireNonNull(ticker, "ticker");
        return name -> {
            BulkheadConfig config = Objects.requireNonNull(configForName.apply(name),
                    () -> "no bulkhead config for '" + name + "'");
            return switch (config.type()) {
                case SEMAPHORE -> new SemaphoreBulkhead(name, config, scheduler);
                case THREAD_POOL -> new ThreadPoolBulkhead(name, config, contextPropagator);
                case ADAPTIVE -> new AdaptiveBulkhead(name, config, ticker);
            };
        };
    }

    /** Removes the bulkhead of this name, if any, and closes it. */
    @Override
    public Optional<Bulkhead> remove(String name) {
        Optional<Bulkhead> removed = super.remove(name);
        removed.ifPresent(Bulkhead::close);
        return removed;
    }

    /** Closes every bulkhead; a failure to close one does not stop the others from being closed. */
    @Override
    public void close() {
        List<RuntimeException> failures = new ArrayList<>();
        for (Bulkhead bulkhead : getAll()) {
            try {
                bulkhead.close();
            } catch (RuntimeException ex) {
                failures.add(ex);
            }
        }
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }
}
