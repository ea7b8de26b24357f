package dev.resilience.core.retry;

import dev.resilience.core.InstanceRegistry;
import dev.resilience.core.Scheduler;

import java.util.Objects;
import java.util.function.Function;

/** Hands out one {@link Retry} per name, created from the config resolved for that name. */
public final class RetryRegistry extends InstanceRegistry<Retry> {

    /**
     * @param configForName resolves the settings of an instance by its name
     * @param scheduler     runs the waits of asynchronous calls, shared by every instance
     */
    public RetryRegistry(Function<String, RetryConfig> configForName, Scheduler scheduler) {
        super(factory(configForName, scheduler));
    }

    private static Function<String, Retry> factory(Function<String, RetryConfig> configForName, Scheduler scheduler) {
        Objects.requireNonNull(configForName, "configForName");
        Objects.requireNonNull(scheduler, "scheduler");
        return name -> new Retry(name, configForName.apply(name), scheduler);
    }
}
